"""Fresh people for browser stories: an employee no other test touches, with a vacancy in
their own unit, enrolled at the local issuer (as an identity provider would add an account).

Lookups use their own event loop in a worker thread: Playwright's sync API owns this one.
"""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from typing import Any

import asyncpg

from mutasi import clock
from mutasi.domain.lifecycle import FINISHED as _FINISHED
from mutasi.oidc_local.directory import DemoPerson, directory_path, read_directory
from mutasi.seed.cast import DemoCast
from mutasi.settings import Settings

CAST = DemoCast.for_kota_sorong()
FINISHED = [status.value for status in _FINISHED]
_CAST_NIPS = [CAST.eligible_nip, CAST.sanctioned_nip, CAST.due_for_rotation_nip,
              CAST.supervisor_nip, CAST.hr_officer_nip, *CAST.panel_member_nips]  # fmt: skip


@dataclass(frozen=True)
class Case:
    tenant: str
    nip: str
    name: str
    unit: str
    target_position: str  # code
    target_name: str
    supervisor: str  # the sign-in id of the head of the unit


def run(coroutine: Any) -> Any:
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _query(settings: Settings, sql: str, *args: Any) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(settings.dsn())
    try:
        return await conn.fetch(sql, *args)
    finally:
        await conn.close()


def movable(settings: Settings, tenant: str = "kota-sorong", skip: int = 0) -> Case:
    """An employee with no open transfer and no running sanction, outside the demo cast, and
    a vacancy in their unit; their head of unit (in post, not being moved) enrolled as
    supervisor. Only open transfers count, and several proposals may name one vacancy (R1
    reads vacancies, not proposals): after a whole test run (fuzzers included) no employee
    of Kota Sorong was left untouched with a vacancy no proposal named."""
    rows = run(
        _query(
            settings,
            """
            SELECT e.nip, e.name, e.unit_code, f.position_code AS target, p.name AS target_name,
                   h.nip AS head_nip, h.name AS head_name, u.name AS unit_name
            FROM employees e
            JOIN position_filled f ON f.tenant = e.tenant AND f.unit_code = e.unit_code
              AND f.filled < f.needed AND f.position_code <> e.position_code
            JOIN positions p ON p.tenant = f.tenant AND p.code = f.position_code
            JOIN units u ON u.tenant = e.tenant AND u.code = e.unit_code
            JOIN employees h ON h.tenant = e.tenant AND h.position_code = u.head_position_code
            WHERE e.tenant = $1 AND e.nip <> ALL($2::text[]) AND e.nip <> h.nip
              AND NOT EXISTS (SELECT 1 FROM transfers t WHERE t.employee_nip = e.nip
                              AND t.status <> ALL($4::text[]))
              AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(e.data->'sanctions') s
                              WHERE (s->>'end') IS NULL OR (s->>'end')::date >= $5)
              AND NOT EXISTS (SELECT 1 FROM transfers t WHERE t.employee_nip = h.nip
                              AND t.status <> ALL($4::text[]))
            ORDER BY e.nip LIMIT 1 OFFSET $3
            """,
            tenant,
            _CAST_NIPS,
            skip,
            FINISHED,
            clock.today(),  # the session's date, as R4 reads it (mutasi.clock)
        )
    )
    r = rows[0]
    head = DemoPerson(
        id=f"{tenant}:supervisor:{r['head_nip']}", sub=f"nip:{r['head_nip']}",
        name=r["head_name"], tenant=tenant, tenant_name="Kota Sorong", roles=["supervisor"],
        unit=r["unit_code"], unit_name=r["unit_name"], nip=r["head_nip"],
        zoneinfo="Asia/Jayapura",
    )  # fmt: skip
    employee = DemoPerson(
        id=f"{tenant}:employee:{r['nip']}", sub=f"nip:{r['nip']}", name=r["name"],
        tenant=tenant, tenant_name="Kota Sorong", roles=["employee"], unit=r["unit_code"],
        unit_name=r["unit_name"], nip=r["nip"], zoneinfo="Asia/Jayapura",
    )  # fmt: skip
    enrol(settings, head, employee)
    return Case(tenant, r["nip"], r["name"], r["unit_code"], r["target"], r["target_name"], head.id)


def enrol(settings: Settings, *people: DemoPerson) -> None:
    """Add accounts to the local issuer's directory (idempotent)."""
    known = {p.id: p for p in read_directory(settings)}
    known |= {p.id: p for p in people}
    directory_path(settings).write_text(
        json.dumps([asdict(p) for p in known.values()], ensure_ascii=False)
    )


@dataclass(frozen=True)
class Wanted:
    """An employee of one government that another government's PPK asks for."""

    nip: str
    name: str


def wanted_elsewhere(settings: Settings, origin: str) -> Wanted:
    """An employee of `origin` with no transfer ever and no running sanction (R4), outside
    the demo cast (the within-government stories use the other end of the list)."""
    rows = run(
        _query(
            settings,
            """
            SELECT e.nip, e.name FROM employees e
            WHERE e.tenant = $1 AND e.nip <> ALL($2::text[])
              AND NOT EXISTS (SELECT 1 FROM transfers t WHERE t.employee_nip = e.nip)
              AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(e.data->'sanctions') s
                              WHERE (s->>'end')::date >= $3)
            ORDER BY e.nip DESC LIMIT 1
            """,
            origin,
            _CAST_NIPS,
            clock.today(),  # the session's date, as R4 reads it (mutasi.clock)
        )
    )
    return Wanted(rows[0]["nip"], rows[0]["name"])


def person_named(settings: Settings, prefix: str) -> DemoPerson:
    """The first demo person whose sign-in id starts with `prefix`."""
    return next(p for p in read_directory(settings) if p.id.startswith(prefix))
