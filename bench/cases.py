"""Proposals a BKPSDM officer would expect to pass every hard rule, picked in bulk.

Employees with no active sanction (R4) and no open transfer (R8), in governments that are not
in a political freeze (R9), each sent to a vacant post (R1) in another unit of their own
government, with the documents the government's checklist asks for (R10). Soft rules get a
written justification. Each proposal gets a vacancy of its own, so no transfer finds its post
filled by another one that took effect first (R1 is checked when each transfer is checked).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import asyncpg

from mutasi import clock
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
        " election_candidate_determination_on, document_checklist FROM tenants ORDER BY slug"
    )
    documents = {}
    for row in rows:
        data = dict(row)
        checklist = data.pop("document_checklist")
        if freeze_reason(Tenant(**data), today) is None:
            required = required_documents(
                TransferKind.WITHIN_GOVERNMENT, list(checklist) if checklist else None
            )
            documents[row["slug"]] = tuple(d.code for d in required)
    return documents


async def movable_cases(
    pool: asyncpg.Pool,
    count: int,
    today: date | None = None,
    *,
    share_vacancies: bool = False,
    tenants: list[str] | None = None,
) -> list[Case]:
    """`count` proposals of distinct employees, each to a vacancy of its own — or, with
    `share_vacancies`, several to one (for loads that never let a transfer take effect);
    from the given governments only, if named."""
    today = today or clock.today()
    async with pool.acquire() as conn:
        documents = await _open_tenants(conn, today)
        if tenants is not None:
            documents = {slug: documents[slug] for slug in tenants if slug in documents}
        people = await conn.fetch(
            """
            SELECT e.tenant, e.nip, e.unit_code, e.position_code FROM employees e
            WHERE e.tenant = ANY($1::text[])
              AND NOT EXISTS (SELECT 1 FROM transfers t WHERE t.employee_nip = e.nip
                              AND t.tenant = e.tenant AND t.status <> ALL($2::text[]))
              AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(e.data->'sanctions') s
                              WHERE (s->>'end') IS NULL OR (s->>'end')::date >= $3)
            ORDER BY e.nip
            """,
            list(documents),
            _CLOSED,
            today,
        )
        vacancies = await conn.fetch(
            "SELECT tenant, position_code, unit_code, needed - filled AS free"
            " FROM position_filled WHERE filled < needed AND tenant = ANY($1::text[])"
            " ORDER BY position_code",
            list(documents),
        )
    slots: dict[str, list[tuple[str, str]]] = {}
    for row in vacancies:  # one slot per vacancy, the positions interleaved
        slots.setdefault(row["tenant"], []).extend(
            [(row["position_code"], row["unit_code"])] * row["free"]
        )
    cases: list[Case] = []
    for person in _interleaved(people):
        tenant = person["tenant"]
        free = slots.get(tenant, [])
        taken = next(
            (
                k
                for k, (position, unit) in enumerate(free)
                if unit != person["unit_code"] and position != person["position_code"]
            ),
            None,
        )
        if taken is not None:
            slot = free.pop(taken)
            if share_vacancies:
                free.append(slot)  # to the back: the next ones go elsewhere first
            cases.append(
                Case(tenant, person["nip"], person["unit_code"], slot[0], documents[tenant])
            )
        if len(cases) == count:
            return cases
    raise RuntimeError(
        f"only {len(cases)} movable employees with a vacancy each for {count}"
        " proposals; widen_formation() adds vacancies"
    )


async def widen_formation(conn: asyncpg.Connection, extra: int) -> None:
    """Every staff post needs `extra` more people: the governments revised their ABK, so a
    load of transfers finds a vacancy each (as a database administrator would enter it)."""
    await conn.execute(
        "UPDATE positions SET needed = needed + $1 WHERE kind IN ('pelaksana', 'fungsional')", extra
    )


def _interleaved(rows: list[asyncpg.Record]) -> list[asyncpg.Record]:
    """One of each government in turn, so the load spreads over every tenant's chain."""
    groups: dict[str, list[asyncpg.Record]] = {}
    for row in rows:
        groups.setdefault(row["tenant"], []).append(row)
    mixed = []
    for k in range(max((len(g) for g in groups.values()), default=0)):
        mixed += [g[k] for g in groups.values() if k < len(g)]
    return mixed
