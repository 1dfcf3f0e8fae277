"""Embedded servers (PostgreSQL, NATS, Temporal, SMTP sink) from PyPI packages, no Docker.

Used by `mutasi run` and by the test session; production points the settings at real servers.
"""
