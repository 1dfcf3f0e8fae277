"""Planning's read models as projections of the log (registered in mutasi.log.projections).

- `employee.assessed` → a row of `assessments`; the employee's current competencies (in
  `employees.data`, what matching reads) become the latest assessment's levels.
- `employee.performance_rated` → the year's SKP predicate in `employees.data`.
- `aspiration.recorded` → the employee's wishes in `employees.data.aspirations`.
- `unit.located` → the unit's city and coordinates (columns of `units`).
- `planning.settings_changed` → the government's row of `planning_settings`.
"""

from __future__ import annotations

from datetime import date

import asyncpg

from mutasi.domain.events import AspirationEvent, EmployeeEvent, PlanningEvent, UnitEvent
from mutasi.log.store import StoredEvent

TABLES = ("assessments", "planning_settings")


async def _assessed(conn: asyncpg.Connection, e: StoredEvent) -> None:
    p = e.payload
    await conn.execute(
        "INSERT INTO assessments (id, tenant, nip, assessed_on, institution, method, assessor,"
        " levels, scores, sequence) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        " ON CONFLICT (id) DO NOTHING",
        p["assessment_id"],
        e.tenant,
        p["nip"],
        date.fromisoformat(p["assessed_on"]),
        p["institution"],
        p.get("method") or "",
        p.get("assessor"),
        p["levels"],
        p.get("scores") or {},
        e.sequence,
    )
    await conn.execute(
        "UPDATE employees SET data = jsonb_set(data, '{competencies}', ("
        " SELECT levels FROM assessments WHERE tenant = $1 AND nip = $2"
        " ORDER BY assessed_on DESC, sequence DESC LIMIT 1)), last_sequence = $3"
        " WHERE tenant = $1 AND nip = $2",
        e.tenant,
        p["nip"],
        e.sequence,
    )


async def _performance_rated(conn: asyncpg.Connection, e: StoredEvent) -> None:
    p = e.payload
    await conn.execute(
        "UPDATE employees SET data = jsonb_set(data, ARRAY['performance', $3::text], $4::jsonb),"
        " last_sequence = $5 WHERE tenant = $1 AND nip = $2",
        e.tenant,
        p["nip"],
        str(p["year"]),
        p["performance"],  # the pool's jsonb codec encodes it
        e.sequence,
    )


async def _aspiration_recorded(conn: asyncpg.Connection, e: StoredEvent) -> None:
    p = e.payload
    wishes = {"units": p["units"], "positions": p["positions"], "cities": p["cities"]}
    await conn.execute(
        "UPDATE employees SET data = jsonb_set(data, '{aspirations}', $3::jsonb),"
        " last_sequence = $4 WHERE tenant = $1 AND nip = $2",
        e.tenant,
        p["nip"],
        wishes,
        e.sequence,
    )


def _degrees(text: str | None) -> float | None:
    return float(text) if text is not None else None


async def _unit_located(conn: asyncpg.Connection, e: StoredEvent) -> None:
    p = e.payload
    await conn.execute(
        "UPDATE units SET city = $3, latitude = $4, longitude = $5 WHERE tenant = $1 AND code = $2",
        e.tenant,
        p["unit_code"],
        p["city"],
        _degrees(p["latitude"]),
        _degrees(p["longitude"]),
    )


async def _settings_changed(conn: asyncpg.Connection, e: StoredEvent) -> None:
    await conn.execute(
        "INSERT INTO planning_settings (tenant, profile, sequence) VALUES ($1, $2, $3)"
        " ON CONFLICT (tenant) DO UPDATE SET profile = $2, sequence = $3",
        e.tenant,
        e.payload["profile"],
        e.sequence,
    )


HANDLERS = {
    EmployeeEvent.ASSESSED: [_assessed],
    EmployeeEvent.PERFORMANCE_RATED: [_performance_rated],
    AspirationEvent.RECORDED: [_aspiration_recorded],
    UnitEvent.LOCATED: [_unit_located],
    PlanningEvent.SETTINGS_CHANGED: [_settings_changed],
}
