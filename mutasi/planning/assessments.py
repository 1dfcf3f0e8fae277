"""Recording an employee's assessment data through the API: each change an event of the log.

- An assessment-centre result is `employee.assessed`, identified like an imported row
  (NIP, date, institution, method): recording it again answers the stored one, the same
  identity with other levels is refused (409), so a retried request duplicates nothing.
- An SKP predicate for a year is `employee.performance_rated`; rating a year with the
  predicate it already has records nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, uuid4, uuid5

import asyncpg

from mutasi.domain.competency import canonical_name
from mutasi.domain.events import EmployeeEvent
from mutasi.domain.performance import Performance
from mutasi.errors import Conflict, InvalidInput, NotFound
from mutasi.imports.assessments import assessment_id
from mutasi.log.projections import ReadModels
from mutasi.log.store import Actor, NewEvent, append

_NS = uuid5(NAMESPACE_URL, "https://mutasi.go.id/assessments")


@dataclass(frozen=True)
class Assessment:
    nip: str
    assessed_on: date
    institution: str
    method: str
    assessor: str | None
    levels: dict[str, int]


async def _employee_exists(conn: asyncpg.Connection, tenant: str, nip: str) -> None:
    if not await conn.fetchval(
        "SELECT EXISTS (SELECT 1 FROM employees WHERE tenant = $1 AND nip = $2)", tenant, nip
    ):
        raise NotFound("Pegawai tidak ditemukan", "Employee not found")


async def record_assessment(
    pool: asyncpg.Pool, tenant: str, actor: Actor, a: Assessment, today: date
) -> tuple[dict[str, Any], bool]:
    """(the assessment as stored, whether this call recorded it)."""
    if a.assessed_on > today:
        raise InvalidInput(
            f"Tanggal penilaian {a.assessed_on:%d-%m-%Y} belum terjadi",
            "The assessment date is in the future",
            field="assessed_on",
        )
    levels = {canonical_name(name): level for name, level in a.levels.items()}
    identity = assessment_id(tenant, a.nip, a.assessed_on, a.institution, a.method)
    async with pool.acquire() as conn, conn.transaction():
        await _employee_exists(conn, tenant, a.nip)
        stored = await conn.fetchrow(
            "SELECT assessor, levels FROM assessments WHERE id = $1", identity
        )
        if stored is not None:
            if (stored["assessor"], stored["levels"]) != (a.assessor, levels):
                raise Conflict(
                    "Penilaian ini sudah tercatat dengan nilai lain",
                    "This assessment is recorded with other levels",
                )
            return await _read(conn, identity), False
        payload = {
            "nip": a.nip,
            "assessment_id": str(identity),
            "assessed_on": a.assessed_on.isoformat(),
            "institution": a.institution,
            "method": a.method,
            "assessor": a.assessor,
            "levels": levels,
        }
        event = NewEvent(f"employee/{a.nip}", EmployeeEvent.ASSESSED.value, payload, actor,
                         event_id=uuid5(_NS, str(identity)))  # fmt: skip
        await append(conn, tenant, [event], projector=ReadModels())
        return await _read(conn, identity), True


async def _read(conn: asyncpg.Connection, identity: Any) -> dict[str, Any]:
    row = await conn.fetchrow(
        "SELECT id, nip, assessed_on, institution, method, assessor, levels, sequence"
        " FROM assessments WHERE id = $1",
        identity,
    )
    return dict(row)


async def history(
    pool: asyncpg.Pool, tenant: str, nip: str, limit: int, offset: int
) -> list[dict[str, Any]]:
    """The employee's assessments, the current (latest) first."""
    rows = await pool.fetch(
        "SELECT id, nip, assessed_on, institution, method, assessor, levels, sequence"
        " FROM assessments WHERE tenant = $1 AND nip = $2"
        " ORDER BY assessed_on DESC, sequence DESC LIMIT $3 OFFSET $4",
        tenant,
        nip,
        limit,
        offset,
    )
    return [dict(r) for r in rows]


async def rate_performance(
    pool: asyncpg.Pool, tenant: str, actor: Actor, nip: str, year: int, rating: Performance
) -> bool:
    """Record the year's SKP predicate; False if the employee already has exactly that."""
    async with pool.acquire() as conn, conn.transaction():
        await _employee_exists(conn, tenant, nip)
        current = await conn.fetchval(
            "SELECT data->'performance'->>$3 FROM employees WHERE tenant = $1 AND nip = $2",
            tenant,
            nip,
            str(year),
        )
        if current == rating.value:
            return False
        payload = {"nip": nip, "year": year, "performance": rating.value}
        event = NewEvent(f"employee/{nip}", EmployeeEvent.PERFORMANCE_RATED.value, payload,
                         actor, event_id=uuid4())  # fmt: skip
        await append(conn, tenant, [event], projector=ReadModels())
        return True
