"""Read models as projections of the log: applied in the append's transaction, rebuildable.

The same handlers serve both paths, so a rebuild reproduces exactly what live appends built.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime

import asyncpg

from mutasi.domain.events import EmployeeEvent, TenantEvent, TransferEvent
from mutasi.domain.lifecycle import STATUS_AFTER
from mutasi.domain.tenant_config import IANA_TIME_ZONES, TimeZone
from mutasi.log.store import EVENT_COLUMNS, StoredEvent, row_to_event
from mutasi.planning import projections as planning

Handler = Callable[[asyncpg.Connection, StoredEvent], Awaitable[None]]
READ_MODEL_TABLES = ("employees", "position_holdings", "transfers", *planning.TABLES)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


async def _start_holding(
    conn: asyncpg.Connection,
    tenant: str,
    nip: str,
    position: str,
    unit: str,
    start: date,
    sequence: int,
) -> None:
    await conn.execute(
        "UPDATE position_holdings SET end_date = $3 WHERE tenant = $1 AND nip = $2"
        " AND end_date IS NULL AND start_date <= $3",
        tenant,
        nip,
        start,
    )
    await conn.execute(
        "INSERT INTO position_holdings (tenant, nip, position_code, unit_code, start_date,"
        " source_sequence) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
        tenant,
        nip,
        position,
        unit,
        start,
        sequence,
    )


async def _employee_upserted(conn: asyncpg.Connection, e: StoredEvent) -> None:
    p = e.payload
    previous = await conn.fetchval(
        "SELECT position_code FROM employees WHERE tenant = $1 AND nip = $2", e.tenant, p["nip"]
    )
    await conn.execute(
        "INSERT INTO employees (tenant, nip, name, data, position_code, unit_code, position_since,"
        " last_sequence) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        " ON CONFLICT (tenant, nip) DO UPDATE SET name = $3, data = $4, position_code = $5,"
        " unit_code = $6, position_since = $7, last_sequence = $8",
        e.tenant,
        p["nip"],
        p["name"],
        p.get("data", {}),
        p.get("position_code"),
        p.get("unit_code"),
        _date(p.get("position_since")),
        e.sequence,
    )
    for held in p.get("history", []):  # earlier posts, as the seed or an import knows them
        await conn.execute(
            "INSERT INTO position_holdings (tenant, nip, position_code, unit_code, start_date,"
            " end_date, source_sequence) VALUES ($1, $2, $3, split_part($3, '.', 1), $4, $5, $6)"
            " ON CONFLICT DO NOTHING",
            e.tenant,
            p["nip"],
            held["position_code"],
            _date(held["start"]),
            _date(held["end"]),
            e.sequence,
        )
    if p.get("position_code") and p.get("position_code") != previous:
        await _start_holding(
            conn,
            e.tenant,
            p["nip"],
            p["position_code"],
            p["unit_code"],
            _date(p.get("position_since")) or e.occurred_at.date(),
            e.sequence,
        )


async def _transfer_submitted(conn: asyncpg.Connection, e: StoredEvent) -> None:
    p = e.payload
    await conn.execute(
        "INSERT INTO transfers (id, tenant, target_tenant, employee_nip, employee_name, kind,"
        " origin_position_code, origin_unit_code, target_position_code, target_unit_code,"
        " status, proposer_id, proposer_role, created_at, updated_at, last_sequence,"
        " effective_date, self_application)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'submitted', $11, $12, $13, $13, $14,"
        " $15, $16)"
        " ON CONFLICT (id) DO NOTHING",
        e.stream_id,
        e.tenant,
        p.get("target_tenant", e.tenant),
        p["employee_nip"],
        p["employee_name"],
        p["kind"],
        p.get("origin_position_code"),
        p.get("origin_unit_code"),
        p["target_position_code"],
        p["target_unit_code"],
        e.actor_id,
        e.actor_role,
        e.occurred_at,
        e.sequence,
        _date(p.get("effective_date")),
        bool(p.get("self_application")),
    )


async def _transfer_returned(conn: asyncpg.Connection, e: StoredEvent) -> None:
    # The latest return note stays on the transfer for its proposer to read (and act on).
    await conn.execute(
        "UPDATE transfers SET return_note = $2, returned_by_role = $3, returned_at = $4"
        " WHERE id = $1",
        e.stream_id,
        e.reason,
        e.actor_role,
        e.occurred_at,
    )


async def _transfer_effective(conn: asyncpg.Connection, e: StoredEvent) -> None:
    p = e.payload
    start = _date(p["effective_date"])
    assert start is not None
    target_tenant = p.get("target_tenant", e.tenant)
    # An inter-government move hands the employee's record to the receiving government.
    # `data` is what the rules read (R1 same post, R2/R3 time in post): it moves along.
    await conn.execute(
        "UPDATE employees SET tenant = $3, position_code = $4, unit_code = $5,"
        " position_since = $6, last_sequence = $7, data = data || jsonb_build_object("
        "'position_code', $4::text, 'unit_code', $5::text, 'position_since', $6::date)"
        " WHERE tenant = $1 AND nip = $2",
        e.tenant,
        p["employee_nip"],
        target_tenant,
        p["target_position_code"],
        p["target_unit_code"],
        start,
        e.sequence,
    )
    await conn.execute(
        "UPDATE position_holdings SET end_date = $3 WHERE tenant = $1 AND nip = $2"
        " AND end_date IS NULL",
        e.tenant,
        p["employee_nip"],
        start,
    )
    await _start_holding(
        conn,
        target_tenant,
        p["employee_nip"],
        p["target_position_code"],
        p["target_unit_code"],
        start,
        e.sequence,
    )


async def _transfer_status(conn: asyncpg.Connection, e: StoredEvent) -> None:
    status = STATUS_AFTER.get(e.event_type)
    p = e.payload
    # A new status starts its step's clock (status_since) and forgets the last deadline; a
    # reminder or escalation records the deadline the workflow counts to (due_at).
    due = p.get("due_at") if e.event_type in _DEADLINE_FACTS else None
    await conn.execute(
        "UPDATE transfers SET status = coalesce($2, status),"
        " decree_number = coalesce($3, decree_number),"
        " effective_date = coalesce($4, effective_date), updated_at = $5, last_sequence = $6,"
        " status_since = CASE WHEN $2::text IS NULL THEN status_since ELSE $5 END,"
        " due_at = CASE WHEN $2::text IS NULL THEN coalesce($7, due_at) END"
        " WHERE id = $1",
        e.stream_id,
        status.value if status else None,
        p.get("decree_number"),
        _date(p.get("effective_date")),
        e.occurred_at,
        e.sequence,
        datetime.fromisoformat(due) if isinstance(due, str) else due,
    )


_DEADLINE_FACTS = frozenset({TransferEvent.REMINDER_SENT, TransferEvent.ESCALATED})


async def _transfer_checked(conn: asyncpg.Connection, e: StoredEvent) -> None:
    # Soft rules broken without a written justification: the proposer is awaited, not BKPSDM.
    unjustified = any(not w.get("justified") for w in e.payload.get("warnings", []))
    await conn.execute(
        "UPDATE transfers SET awaiting_justification = $2 WHERE id = $1", e.stream_id, unjustified
    )


async def _transfer_revised(conn: asyncpg.Connection, e: StoredEvent) -> None:
    # A revision may name another post (and with it, its unit).
    p = e.payload
    await conn.execute(
        "UPDATE transfers SET target_position_code = coalesce($2, target_position_code),"
        " target_unit_code = coalesce($3, target_unit_code) WHERE id = $1",
        e.stream_id,
        p.get("target_position_code"),
        p.get("target_unit_code"),
    )


async def _tenant_configured(conn: asyncpg.Connection, e: StoredEvent) -> None:
    """The government's row is its configuration as last recorded (mutasi.tenants.config)."""
    p = e.payload
    await conn.execute(
        "INSERT INTO tenants (slug, name, kind, province, capital, timezone, head_title,"
        " decree_number_format, ppk, bkpsdm_head, extra_holidays, incentive_policy, public_page,"
        " sla_working_days, document_checklist, head_inaugurated_on,"
        " election_candidate_determination_on, ministerial_consent_document, configured_sequence,"
        " max_effective_days)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,"
        " $19, $20) ON CONFLICT (slug) DO UPDATE SET name = $2, kind = $3, province = $4,"
        " capital = $5, timezone = $6, head_title = $7, decree_number_format = $8, ppk = $9,"
        " bkpsdm_head = $10, extra_holidays = $11, incentive_policy = $12, public_page = $13,"
        " sla_working_days = $14, document_checklist = $15, head_inaugurated_on = $16,"
        " election_candidate_determination_on = $17, ministerial_consent_document = $18,"
        " configured_sequence = $19, max_effective_days = $20",
        e.tenant,
        p["name"],
        p["kind"],
        p["province"],
        p["capital"],
        IANA_TIME_ZONES[TimeZone(p["time_zone"])],
        p["ppk"]["title"],
        p["decree_number_format"],
        p["ppk"],
        p["bkpsdm_head"],
        [date.fromisoformat(d) for d in p["extra_holidays"]],
        p["incentive_policy"],
        p["public_page"],
        p["sla_working_days"],
        p["document_checklist"],
        _date(p["head_inaugurated_on"]),
        _date(p["election_candidate_determination_on"]),
        p["ministerial_consent_document"],
        e.sequence,
        p.get("max_effective_days", 365),  # configurations recorded before issue 14 lack it
    )


HANDLERS: dict[str, list[Handler]] = {
    EmployeeEvent.REGISTERED: [_employee_upserted],
    EmployeeEvent.UPDATED: [_employee_upserted],
    TransferEvent.SUBMITTED: [_transfer_submitted],
    TransferEvent.CHECKED: [_transfer_checked, _transfer_status],
    TransferEvent.REVISED: [_transfer_revised, _transfer_status],
    TransferEvent.RETURNED: [_transfer_returned, _transfer_status],
    TransferEvent.EFFECTIVE: [_transfer_effective, _transfer_status],
    TenantEvent.REGISTERED: [_tenant_configured],
    TenantEvent.CONFIGURED: [_tenant_configured],
}
for _event, _handlers in planning.HANDLERS.items():  # planning's read models, same way
    HANDLERS[_event] = [*_handlers]


class ReadModels:
    """The projector handed to `append`: keeps every read model in step with the log."""

    async def apply(self, conn: asyncpg.Connection, events: Sequence[StoredEvent]) -> None:
        for event in events:
            handlers = HANDLERS.get(event.event_type)
            if handlers is None and event.event_type.startswith("transfer."):
                handlers = [_transfer_status]
            for handler in handlers or ():
                await handler(conn, event)


async def rebuild(pool: asyncpg.Pool, batch: int = 5000) -> int:
    """Empty the read models and replay the whole log into them, in one transaction."""
    projector = ReadModels()
    applied = 0
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute(f"TRUNCATE {', '.join(READ_MODEL_TABLES)}")
        cursor = conn.cursor(f"SELECT {EVENT_COLUMNS} FROM event_log ORDER BY sequence")
        rows = []
        async for row in cursor:
            rows.append(row_to_event(row))
            if len(rows) >= batch:
                await projector.apply(conn, rows)
                applied += len(rows)
                rows = []
        await projector.apply(conn, rows)
        applied += len(rows)
    return applied
