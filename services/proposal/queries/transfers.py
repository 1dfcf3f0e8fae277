"""The transfer list as people search it: by name or NIP, status, unit, kind and period,
sorted, paged; with the names of the posts and units, not only their codes.

Every filter narrows what the caller may see anyway (mutasi.transfers.visibility_filter);
an unknown status, kind or sort key is refused (422) rather than ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import asyncpg

from mutasi import disclosure
from mutasi.auth.principal import Principal
from mutasi.domain.events import TransferEvent
from mutasi.domain.lifecycle import TransferStatus
from mutasi.domain.model import TransferKind
from mutasi.errors import InvalidInput, NotFound
from mutasi.log.store import read_stream
from mutasi.transfers import visibility_filter

SORTS = {
    "baru": "t.created_at DESC, t.id",
    "lama": "t.created_at, t.id",
    "nama": "t.employee_name, t.id",
    "status": "t.status, t.created_at DESC, t.id",
    "tmt": "t.effective_date NULLS LAST, t.id",
    "diperbarui": "t.updated_at DESC, t.id",
}
COLUMNS = (
    "t.id, t.tenant, t.target_tenant, t.employee_nip, t.employee_name, t.kind,"
    " t.origin_position_code, t.origin_unit_code, t.target_position_code, t.target_unit_code,"
    " t.status, t.decree_number, t.effective_date, t.created_at, t.updated_at,"
    " t.return_note, t.returned_by_role, t.returned_at, t.self_application,"
    " (SELECT name FROM positions WHERE tenant = t.target_tenant AND code = t.target_position_code)"
    " AS target_position_name,"
    " (SELECT name FROM units WHERE tenant = t.target_tenant AND code = t.target_unit_code)"
    " AS target_unit_name,"
    " (SELECT name FROM positions WHERE tenant = t.tenant AND code = t.origin_position_code)"
    " AS origin_position_name,"
    " (SELECT name FROM units WHERE tenant = t.tenant AND code = t.origin_unit_code)"
    " AS origin_unit_name"
)
# The names are looked up for the page's rows only, after the sort and the limit: joined
# before, they made the planner weigh a five-table join on every call (38 ms of planning
# for a 1 ms query) and looked up every visible transfer's names.


@dataclass(frozen=True)
class Filters:
    q: str | None = None
    statuses: tuple[str, ...] = ()
    unit: str | None = None
    kind: str | None = None
    submitted_from: date | None = None
    submitted_to: date | None = None
    sort: str = "baru"


def _checked(filters: Filters) -> None:
    known = {s.value for s in TransferStatus}
    bad = [s for s in filters.statuses if s not in known]
    if bad:
        raise InvalidInput(
            f"Status tidak dikenal: {', '.join(bad)}",
            f"Unknown status: {', '.join(bad)}",
            field="status",
            allowed=sorted(known),
        )
    if filters.kind is not None and filters.kind not in {k.value for k in TransferKind}:
        raise InvalidInput(
            f"Jenis mutasi tidak dikenal: {filters.kind}",
            f"Unknown kind: {filters.kind}",
            field="kind",
        )
    if filters.sort not in SORTS:
        raise InvalidInput(
            f"Urutan tidak dikenal: {filters.sort}; pilihan: {', '.join(SORTS)}",
            f"Unknown sort: {filters.sort}",
            field="sort",
        )
    if (
        filters.submitted_from is not None
        and filters.submitted_to is not None
        and filters.submitted_from > filters.submitted_to
    ):
        raise InvalidInput(
            "Awal periode tidak boleh sesudah akhirnya",
            "'from' must not be after 'to'",
            field="from",
        )


def _where(filters: Filters, params: list[Any]) -> str:
    clauses = ["true"]

    def add(sql: str, value: Any) -> None:
        params.append(value)
        clauses.append(sql.replace("$?", f"${len(params)}"))

    if filters.q:
        text = filters.q.strip()
        if text.isdigit():
            add("t.employee_nip LIKE $?", text + "%")
        else:
            add("t.employee_name ILIKE $?", "%" + _literal(text) + "%")
    if filters.statuses:
        add("t.status = ANY($?::text[])", list(filters.statuses))
    if filters.unit:
        add("(t.origin_unit_code = $? OR t.target_unit_code = $?)", filters.unit)
    if filters.kind:
        add("t.kind = $?", filters.kind)
    if filters.submitted_from:
        add("t.created_at >= $?::date", filters.submitted_from)
    if filters.submitted_to:
        add("t.created_at < ($?::date + 1)", filters.submitted_to)
    return " AND ".join(clauses)


def _literal(text: str) -> str:
    """A search text matched literally: LIKE's wildcards are not the person's."""
    return text.replace("\\", "").replace("%", "").replace("_", "").strip()


async def list_transfers(
    pool: asyncpg.Pool, principal: Principal, filters: Filters, limit: int, offset: int
) -> tuple[list[dict[str, Any]], bool]:
    """One page of the visible transfers matching `filters`, and whether more follow."""
    _checked(filters)
    # What the caller may see and what the filters keep, sorted and cut to the page.
    visible, params = visibility_filter(principal, 1)
    where = _where(filters, params)
    order = SORTS[filters.sort]
    rows = await pool.fetch(
        f"SELECT {COLUMNS} FROM (SELECT * FROM transfers t WHERE {visible} AND {where}"
        f" ORDER BY {order} LIMIT {limit + 1} OFFSET {offset}) t ORDER BY {order}",
        *params,
    )
    return await _as_seen(pool, principal, [dict(r) for r in rows[:limit]]), len(rows) > limit


async def read_transfer(
    pool: asyncpg.Pool, principal: Principal, transfer_id: UUID
) -> dict[str, Any]:
    """One visible transfer with its names, else 404 (another government's is invisible)."""
    visible, params = visibility_filter(principal, 2)
    row = await pool.fetchrow(
        f"SELECT {COLUMNS} FROM (SELECT * FROM transfers WHERE id = $1 AND {visible}) t",
        transfer_id,
        *params,
    )
    if row is None:
        raise NotFound("Usulan mutasi tidak ditemukan", "Transfer not found")
    return (await _as_seen(pool, principal, [dict(row)]))[0]


async def _as_seen(
    pool: asyncpg.Pool, principal: Principal, rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The rule check's return note names the origin's facts (a sanction and its end date):
    before the origin consents, another government reads pass/fail per rule only
    (mutasi.disclosure). Only such rows read their log; a page of others reads nothing."""
    for row in rows:
        if row["return_note"] is None or row["returned_by_role"] != "system":
            continue
        if row["tenant"] == row["target_tenant"] or principal.tenant == row["tenant"]:
            continue
        events = await read_stream(pool, row["tenant"], f"transfer/{row['id']}")
        if disclosure.consented(e.event_type for e in events):
            continue
        returned = TransferEvent.RETURNED.value
        returns = [e for e in events if e.event_type == returned and e.actor_role == "system"]
        row["return_note"] = disclosure.returned_reason(returns[-1].payload) if returns else None
    return rows
