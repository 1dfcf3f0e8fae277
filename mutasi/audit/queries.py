"""What an auditor reads: a transfer's trail and the tenant's log as JSON Lines or CSV.

The export carries every field the hash covers, so an auditor can recompute each hash and
re-walk the chain from the file alone (docs/audit.md).
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID

import asyncpg

from mutasi import disclosure
from mutasi.csv_cells import safe_cell
from mutasi.errors import NotFound
from mutasi.log.canonical import canonical_json, format_time
from mutasi.log.store import EVENT_COLUMNS, StoredEvent, row_to_event

EXPORT_FORMATS = ("jsonl", "csv")
CSV_COLUMNS = (
    "sequence",
    "tenant",
    "stream",
    "version",
    "event_id",
    "event_type",
    "occurred_at",
    "actor_id",
    "actor_role",
    "reason",
    "payload",
    "prev_hash",
    "hash",
)
_BATCH = 500


def trail_entry(event: StoredEvent) -> dict[str, Any]:
    return {
        "time": format_time(event.occurred_at),
        "actor_id": event.actor_id,
        "role": event.actor_role,
        "action": event.event_type,
        "reason": event.reason,
        "sequence": event.sequence,
        "version": event.version,
        "event_id": str(event.event_id),
        "payload": event.payload,
        "hash": event.hash,
        "prev_hash": event.prev_hash,
    }


async def transfer_trail(
    conn: asyncpg.Connection | asyncpg.Pool, tenant: str, transfer_id: UUID
) -> list[dict[str, Any]]:
    """Every log entry of the transfer, oldest first, if the tenant may see it (else 404):
    its own chain's entries, or all of them when it is either government of the transfer."""
    rows = await conn.fetch(
        f"SELECT {EVENT_COLUMNS} FROM event_log WHERE stream = $1 AND (tenant = $2 OR EXISTS"
        " (SELECT 1 FROM transfers t WHERE t.id = $3 AND $2 IN (t.tenant, t.target_tenant)))"
        " ORDER BY sequence",
        f"transfer/{transfer_id}",
        tenant,
        transfer_id,
    )
    if not rows:
        raise NotFound("Usulan mutasi tidak ditemukan", "Transfer not found")
    events = [row_to_event(row) for row in rows]
    origin = events[0].tenant
    if origin != tenant and not disclosure.consented(e.event_type for e in events):
        # The receiving government's auditor, before the origin consented: pass/fail only.
        return [_withheld_entry(e) for e in events]
    return [trail_entry(e) for e in events]


def _withheld_entry(event: StoredEvent) -> dict[str, Any]:
    reason, payload, changed = disclosure.entry(
        event.event_type, event.actor_role, event.reason, event.payload
    )
    shown = trail_entry(event)
    return shown | {"reason": reason, "payload": payload, "withheld": True} if changed else shown


def entry_document(event: StoredEvent) -> dict[str, Any]:
    """The exact object the hash covers, plus the hash itself."""
    return {
        "actor": {"id": event.actor_id, "role": event.actor_role},
        "event_id": str(event.event_id),
        "event_type": event.event_type,
        "occurred_at": format_time(event.occurred_at),
        "payload": event.payload,
        "prev_hash": event.prev_hash,
        "reason": event.reason,
        "sequence": event.sequence,
        "stream": event.stream,
        "tenant": event.tenant,
        "version": event.version,
        "hash": event.hash,
    }


def _jsonl(events: list[StoredEvent]) -> bytes:
    return b"".join(canonical_json(entry_document(e)) + b"\n" for e in events)


def _csv(events: list[StoredEvent], header: bool) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if header:
        writer.writerow(CSV_COLUMNS)
    for e in events:
        writer.writerow(
            safe_cell(cell)
            for cell in [
                e.sequence,
                e.tenant,
                e.stream,
                e.version,
                e.event_id,
                e.event_type,
                format_time(e.occurred_at),
                e.actor_id,
                e.actor_role,
                "" if e.reason is None else e.reason,
                canonical_json(e.payload).decode(),
                e.prev_hash,
                e.hash,
            ]
        )
    return buffer.getvalue().encode()


async def export_chunks(
    pool: asyncpg.Pool, tenant: str, fmt: str, first: int | None = None, last: int | None = None
) -> AsyncIterator[bytes]:
    """The tenant's entries in sequence order, streamed from a server-side cursor."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"format must be one of {EXPORT_FORMATS}")
    async with pool.acquire() as conn, conn.transaction(readonly=True):
        cursor = conn.cursor(
            f"SELECT {EVENT_COLUMNS} FROM event_log WHERE tenant = $1"
            " AND sequence >= coalesce($2::bigint, 0)"
            " AND sequence <= coalesce($3::bigint, 9223372036854775807)"
            " ORDER BY sequence",
            tenant,
            first,
            last,
            prefetch=_BATCH,
        )
        batch: list[StoredEvent] = []
        header = fmt == "csv"
        async for row in cursor:
            batch.append(row_to_event(row))
            if len(batch) >= _BATCH:
                yield _jsonl(batch) if fmt == "jsonl" else _csv(batch, header)
                batch, header = [], False
        if batch or header:
            yield _jsonl(batch) if fmt == "jsonl" else _csv(batch, header)
