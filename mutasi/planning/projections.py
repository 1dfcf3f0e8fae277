"""Planning's read models as projections of the log (registered in mutasi.log.projections).

- `employee.assessed` → a row of `assessments`; the employee's current competencies (in
  `employees.data`, what matching reads) become the latest assessment's levels.
- `employee.performance_rated` → the year's SKP predicate in `employees.data`.
- `aspiration.recorded` → the employee's wishes in `employees.data.aspirations`.
- `unit.located` → the unit's city and coordinates (columns of `units`).
- `planning.settings_changed` → the government's row of `planning_settings`.
- `plan.*` → `plans` (one row per plan, its status and objective) and `plan_lines` (the
  lines of its latest optimisation, with the transfer each became).
"""

from __future__ import annotations

from datetime import date

import asyncpg

from mutasi.domain.events import (
    AspirationEvent,
    EmployeeEvent,
    PlanEvent,
    PlanningEvent,
    UnitEvent,
)
from mutasi.log.store import StoredEvent

TABLES = ("assessments", "planning_settings", "plan_lines", "plans")


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


async def _plan_drafted(conn: asyncpg.Connection, e: StoredEvent) -> None:
    await conn.execute(
        "INSERT INTO plans (id, tenant, title, status, scope, created_by, created_at,"
        " updated_at, last_sequence) VALUES ($1, $2, $3, 'draft', $4, $5, $6, $6, $7)"
        " ON CONFLICT (id) DO NOTHING",
        e.stream_id,
        e.tenant,
        e.payload["title"],
        e.payload["spec"],
        e.actor_id,
        e.occurred_at,
        e.sequence,
    )


async def _plan_status(conn: asyncpg.Connection, e: StoredEvent, status: str | None) -> None:
    await conn.execute(
        "UPDATE plans SET status = coalesce($2, status), updated_at = $3, last_sequence = $4"
        " WHERE id = $1",
        e.stream_id,
        status,
        e.occurred_at,
        e.sequence,
    )


async def _plan_edited(conn: asyncpg.Connection, e: StoredEvent) -> None:
    await conn.execute(
        "UPDATE plans SET scope = $2::jsonb, title = $2::jsonb->>'title' WHERE id = $1",
        e.stream_id,
        e.payload["spec"],
    )
    await _plan_status(conn, e, "draft")


async def _plan_optimised(conn: asyncpg.Connection, e: StoredEvent) -> None:
    p = e.payload
    kept = ("method", "gap", "bound", "status_quo", "optimum", "units", "candidates", "posts",
            "seconds", "problem")  # fmt: skip
    objective = {k: p[k] for k in kept if k in p}
    await conn.execute(
        "UPDATE plans SET objective = $2, baseline = $3, revision = $4 WHERE id = $1",
        e.stream_id,
        objective,
        p["greedy"],
        p["revision"],
    )
    await _plan_status(conn, e, "draft" if p.get("problem") else "optimised")
    await conn.execute("DELETE FROM plan_lines WHERE plan_id = $1", e.stream_id)
    await conn.executemany(
        "INSERT INTO plan_lines (plan_id, line, employee_nip, employee_name,"
        " origin_position_code, origin_unit_code, target_position_code, target_unit_code,"
        " value, gain, components, locked) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,"
        " $11, $12)",
        [
            (e.stream_id, x["line"], x["nip"], x["name"], x["origin_position"],
             x["origin_unit"], x["target_position"], x["target_unit"], float(x["value"]),
             float(x["value"]) - float(x["stay_value"]),
             {**x["parts"], "fit_score": x["fit"], "km": x["km"], "vacated_by": x["vacated_by"],
              "stay_value": x["stay_value"]}, x["locked"])
            for x in p["lines"]
        ],
    )  # fmt: skip


async def _plan_approved(conn: asyncpg.Connection, e: StoredEvent) -> None:
    await conn.execute(
        "UPDATE plans SET meeting_id = $2 WHERE id = $1", e.stream_id, e.payload["meeting_id"]
    )
    await _plan_status(conn, e, "approved")


async def _plan_line_proposed(conn: asyncpg.Connection, e: StoredEvent) -> None:
    await conn.execute(
        "UPDATE plan_lines SET transfer_id = $3 WHERE plan_id = $1 AND line = $2",
        e.stream_id,
        e.payload["line"],
        e.payload["transfer_id"],
    )
    await _plan_status(conn, e, "in_progress")


async def _plan_completed(conn: asyncpg.Connection, e: StoredEvent) -> None:
    await _plan_status(conn, e, "completed")


async def _plan_cancelled(conn: asyncpg.Connection, e: StoredEvent) -> None:
    await _plan_status(conn, e, "cancelled")


HANDLERS = {
    EmployeeEvent.ASSESSED: [_assessed],
    EmployeeEvent.PERFORMANCE_RATED: [_performance_rated],
    AspirationEvent.RECORDED: [_aspiration_recorded],
    UnitEvent.LOCATED: [_unit_located],
    PlanningEvent.SETTINGS_CHANGED: [_settings_changed],
    PlanEvent.DRAFTED: [_plan_drafted],
    PlanEvent.EDITED: [_plan_edited],
    PlanEvent.OPTIMISED: [_plan_optimised],
    PlanEvent.APPROVED: [_plan_approved],
    PlanEvent.LINE_PROPOSED: [_plan_line_proposed],
    PlanEvent.COMPLETED: [_plan_completed],
    PlanEvent.CANCELLED: [_plan_cancelled],
}
