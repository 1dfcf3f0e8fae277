"""Governments on one deployment: reading their configuration, and onboarding new ones."""
