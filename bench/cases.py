"""Proposals a BKPSDM officer would expect to pass every hard rule, picked in bulk.

Employees with no active sanction (R4) and no open transfer (R8), in governments that are not
in a political freeze (R9), each sent to a vacant post (R1) in another unit of their own
government, with the documents the government's checklist asks for (R10). Soft rules get a
written justification. Several proposals may name the same vacancy: the rules check it when
each transfer is checked, and a vacancy is only filled when a transfer takes effect.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import cycle

import asyncpg

from mutasi.domain.model import Tenant, TransferKind, required_documents
from mutasi.domain.rules import freeze_reason

JUSTIFICATION = "Kebutuhan organisasi: pemerataan beban kerja antarunit"
_CLOSED = ["rejected", "withdrawn", "completed"]


@dataclass(frozen=True)
class Case:
    tenant: str
    nip: str
    unit: str
    target_position: str
    documents: tuple[str, ...]


async def _open_tenants(conn: asyncpg.Connection, today: date) -> dict[str, tuple[str, ...]]:
    """Governments free to move officials today, with the documents each one requires."""
    rows = await conn.fetch(
        "SELECT slug, name, kind, province, head_inaugurated_on,"
        " election_candidate_determination_on, document_checklist FROM tenants ORDER BY slug")
    documents = {}
    for row in rows:
        data = dict(row)
        checklist = data.pop("document_checklist")
        if freeze_reason(Tenant(**data), today) is None:
            required = required_documents(TransferKind.WITHIN_GOVERNMENT,
                                          list(checklist) if checklist else None)
            documents[row["slug"]] = tuple(d.code for d in required)
    return documents


async def movable_cases(pool: asyncpg.Pool, count: int, today: date | None = None
                        ) -> list[Case]:
    """`count` proposals of distinct employees, spread over the open governments."""
    today = today or date.today()
    async with pool.acquire() as conn:
        documents = await _open_tenants(conn, today)
        people = await conn.fetch(
            """
            SELECT e.tenant, e.nip, e.unit_code FROM employees e
            WHERE e.tenant = ANY($1::text[])
              AND NOT EXISTS (SELECT 1 FROM transfers t WHERE t.employee_nip = e.nip
                              AND t.status <> ALL($2::text[]))
              AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(e.data->'sanctions') s
                              WHERE (s->>'end') IS NULL OR (s->>'end')::date >= $3)
            ORDER BY e.nip
            """, list(documents), _CLOSED, today)
        vacancies = await conn.fetch(
            "SELECT tenant, position_code, unit_code FROM position_filled"
            " WHERE filled < needed AND tenant = ANY($1::text[]) ORDER BY position_code",
            list(documents))
    by_tenant: dict[str, list[asyncpg.Record]] = {}
    for row in vacancies:
        by_tenant.setdefault(row["tenant"], []).append(row)
    cases: list[Case] = []
    rotation = {t: cycle(rows) for t, rows in by_tenant.items()}
    for person in _interleaved(people):
        tenant = person["tenant"]
        target = _post_elsewhere(rotation.get(tenant), len(by_tenant.get(tenant, [])),
                                 person["unit_code"])
        if target is not None:
            cases.append(Case(person["tenant"], person["nip"], person["unit_code"],
                              target["position_code"], documents[person["tenant"]]))
        if len(cases) == count:
            return cases
    raise RuntimeError(f"only {len(cases)} movable employees for {count} proposals")


def _post_elsewhere(rotation: cycle[asyncpg.Record] | None, size: int, unit: str
                    ) -> asyncpg.Record | None:
    """The next vacancy in the rotation that lies outside `unit`."""
    for _ in range(size if rotation is not None else 0):
        post = next(rotation)  # type: ignore[arg-type]
        if post["unit_code"] != unit:
            return post
    return None


def _interleaved(rows: list[asyncpg.Record]) -> list[asyncpg.Record]:
    """One of each government in turn, so the load spreads over every tenant's chain."""
    groups: dict[str, list[asyncpg.Record]] = {}
    for row in rows:
        groups.setdefault(row["tenant"], []).append(row)
    mixed = []
    for k in range(max((len(g) for g in groups.values()), default=0)):
        mixed += [g[k] for g in groups.values() if k < len(g)]
    return mixed
