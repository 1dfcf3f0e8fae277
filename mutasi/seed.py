"""Seed the five demo governments: tenants, units and positions directly, employees as events.

Idempotent: running it again appends nothing for employees whose data is unchanged.
"""

from __future__ import annotations

from typing import Any

import asyncpg

from mutasi.db import create_pool
from mutasi.domain import seed_data
from mutasi.domain.events import EmployeeEvent
from mutasi.domain.model import Employee, Position, Tenant, Unit
from mutasi.log.projections import ReadModels
from mutasi.log.store import Actor, NewEvent, append
from mutasi.settings import Settings

SEEDER = Actor("seed", "system")

# What the domain model leaves to the deployment: where the head signs, the time zone.
TENANT_PLACES: dict[str, dict[str, str]] = {
    "kota-sorong": {"capital": "Sorong", "timezone": "Asia/Jayapura", "head_title": "Wali Kota Sorong"},
    "provinsi-jambi": {"capital": "Jambi", "timezone": "Asia/Jakarta", "head_title": "Gubernur Jambi"},
    "kota-palembang": {"capital": "Palembang", "timezone": "Asia/Jakarta",
                       "head_title": "Wali Kota Palembang"},
    "kabupaten-bengkulu-selatan": {"capital": "Manna", "timezone": "Asia/Jakarta",
                                   "head_title": "Bupati Bengkulu Selatan"},
    "kota-medan": {"capital": "Medan", "timezone": "Asia/Jakarta", "head_title": "Wali Kota Medan"},
}
