"""A government's planning settings and its units' locations, changed as events of the log.

- Profile matching (`ProfileConfig`): `planning.settings_changed` with the whole configuration
  after the change. The log stores no floats, so numbers travel as decimal strings; reading
  them back is ProfileConfig's own validation.
- Where a unit's office is: `unit.located` (city; coordinates as strings with ≤ 6 decimals).
"""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import asyncpg

from mutasi.domain.events import PlanningEvent, UnitEvent
from mutasi.domain.profile_config import ProfileConfig
from mutasi.errors import NotFound
from mutasi.log.projections import ReadModels
from mutasi.log.store import Actor, NewEvent, append
from mutasi.planning.queries import profile_config


def decimals_as_text(value: Any) -> Any:
    """The same structure with every float written as a decimal string ("0.6", "4.5")."""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict):
        return {str(k): decimals_as_text(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [decimals_as_text(v) for v in value]
    return value


def _changed(before: ProfileConfig, after: ProfileConfig) -> list[str]:
    old, new = before.model_dump(), after.model_dump()
    return [name for name in type(after).model_fields if old[name] != new[name]]


async def change_profile(
    pool: asyncpg.Pool, tenant: str, actor: Actor, profile: ProfileConfig, reason: str | None
) -> list[str]:
    """Record the new configuration; return what changed (empty: nothing was recorded)."""
    async with pool.acquire() as conn, conn.transaction():
        changed = _changed(await profile_config(conn, tenant), profile)
        if not changed:
            return []
        payload = {
            "profile": decimals_as_text(profile.model_dump(mode="json")),
            "changed": changed,
        }
        event = NewEvent(f"planning/{tenant}", PlanningEvent.SETTINGS_CHANGED.value, payload,
                         actor, reason=reason, event_id=uuid4())  # fmt: skip
        await append(conn, tenant, [event], projector=ReadModels())
        return changed


def _degrees(value: float | None) -> str | None:
    return None if value is None else f"{value:.6f}".rstrip("0").rstrip(".")


async def locate_unit(
    pool: asyncpg.Pool,
    tenant: str,
    actor: Actor,
    unit_code: str,
    city: str | None,
    coords: tuple[float, float] | None,
) -> bool:
    """Record where the unit is; False when it is recorded there already."""
    async with pool.acquire() as conn, conn.transaction():
        return await locate(conn, tenant, actor, unit_code, city, coords)


async def locate(
    conn: asyncpg.Connection,
    tenant: str,
    actor: Actor,
    unit_code: str,
    city: str | None,
    coords: tuple[float, float] | None,
) -> bool:
    """`locate_unit` inside the caller's transaction (the units import uses it too)."""
    latitude, longitude = (_degrees(coords[0]), _degrees(coords[1])) if coords else (None, None)
    row = await conn.fetchrow(
        "SELECT city, latitude, longitude FROM units WHERE tenant = $1 AND code = $2",
        tenant,
        unit_code,
    )
    if row is None:
        raise NotFound("Unit kerja tidak ditemukan", "Unit not found")
    stored = (row["city"], _degrees(row["latitude"]), _degrees(row["longitude"]))
    if stored == (city, latitude, longitude):
        return False
    payload = {"unit_code": unit_code, "city": city, "latitude": latitude, "longitude": longitude}
    event = NewEvent(f"unit/{tenant}/{unit_code}", UnitEvent.LOCATED.value, payload, actor,
                     event_id=uuid4())  # fmt: skip
    await append(conn, tenant, [event], projector=ReadModels())
    return True
