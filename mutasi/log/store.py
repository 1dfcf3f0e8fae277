"""Append to and read from the hash-chained log; the outbox row commits with each entry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID, uuid4

import asyncpg
import orjson

from mutasi import clock
from mutasi.domain.payloads import validate_payload
from mutasi.log.canonical import GENESIS_HASH, ChainedFields
from mutasi.telemetry.tracing import current_trace_headers, tracer

OUTBOX_CHANNEL = "mutasi_outbox"


# Every entry must fit one NATS message (max_payload, 1 MiB by default) with its CloudEvent
# envelope: one that does not would stop its tenant's outbox (issue 15, finding 3). Writers
# of large facts split them (an import's changes go in parts, mutasi.imports.runs).
MAX_PAYLOAD_BYTES = 512 * 1024


class EventTooLarge(ValueError):
    """An entry's payload and reason exceed MAX_PAYLOAD_BYTES: split the fact."""

    def __init__(self, event_type: str, size: int) -> None:
        super().__init__(f"{event_type}: {size} bytes, at most {MAX_PAYLOAD_BYTES}")
        self.event_type, self.size = event_type, size


class ConcurrencyConflict(Exception):
    """The stream moved on since the caller read it (optimistic concurrency)."""

    def __init__(self, stream: str, expected: int, actual: int) -> None:
        super().__init__(f"stream {stream}: expected version {expected}, found {actual}")
        self.stream, self.expected, self.actual = stream, expected, actual


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    role: str


SYSTEM = Actor("system", "system")


@dataclass(frozen=True, slots=True)
class NewEvent:
    stream: str
    event_type: str
    payload: dict[str, Any]
    actor: Actor
    reason: str | None = None
    event_id: UUID = field(default_factory=uuid4)
    # None appends after whatever the stream holds; an int must match its current version.
    expected_version: int | None = None


@dataclass(frozen=True, slots=True)
class StoredEvent:
    sequence: int
    tenant: str
    stream: str
    version: int
    event_id: UUID
    event_type: str
    occurred_at: datetime
    actor_id: str
    actor_role: str
    reason: str | None
    payload: dict[str, Any]
    prev_hash: str
    hash: str

    @property
    def stream_id(self) -> str:
        return self.stream.split("/", 1)[1]

    def chained_fields(self) -> ChainedFields:
        return ChainedFields(
            self.sequence,
            self.tenant,
            self.stream,
            self.version,
            str(self.event_id),
            self.event_type,
            self.occurred_at,
            self.actor_id,
            self.actor_role,
            self.reason,
            self.payload,
            self.prev_hash,
        )


class Projector(Protocol):
    async def apply(self, conn: asyncpg.Connection, events: Sequence[StoredEvent]) -> None: ...


def subject_for(tenant: str, event_type: str) -> str:
    return f"mutasi.{tenant}.{event_type}"


EVENT_COLUMNS = (
    "sequence, tenant, stream, version, event_id, event_type, occurred_at, actor_id, actor_role,"
    " reason, payload, prev_hash, hash"
)


def row_to_event(row: asyncpg.Record) -> StoredEvent:
    return StoredEvent(**dict(row))


async def _existing(conn: asyncpg.Connection, ids: list[UUID]) -> dict[UUID, StoredEvent]:
    rows = await conn.fetch(
        f"SELECT {EVENT_COLUMNS} FROM event_log WHERE event_id = ANY($1::uuid[])", ids
    )
    return {row["event_id"]: row_to_event(row) for row in rows}


async def _stream_versions(conn: asyncpg.Connection, streams: list[str]) -> dict[str, int]:
    rows = await conn.fetch(
        "SELECT s AS stream, (SELECT max(version) FROM event_log WHERE stream = s) AS version"
        " FROM unnest($1::text[]) AS s",
        streams,
    )
    return {row["stream"]: row["version"] or 0 for row in rows}


def _chain(
    tenant: str,
    events: Sequence[NewEvent],
    sequences: list[int],
    versions: dict[str, int],
    head_hash: str,
    now: datetime,
) -> list[StoredEvent]:
    stored: list[StoredEvent] = []
    prev = head_hash
    for event, sequence in zip(events, sequences, strict=True):
        current = versions[event.stream]
        if event.expected_version is not None and event.expected_version != current:
            raise ConcurrencyConflict(event.stream, event.expected_version, current)
        versions[event.stream] = current + 1
        fields = ChainedFields(
            sequence,
            tenant,
            event.stream,
            current + 1,
            str(event.event_id),
            event.event_type,
            now,
            event.actor.id,
            event.actor.role,
            event.reason,
            event.payload,
            prev,
        )
        digest = fields.hash()
        stored.append(
            StoredEvent(
                sequence,
                tenant,
                event.stream,
                current + 1,
                event.event_id,
                event.event_type,
                now,
                event.actor.id,
                event.actor.role,
                event.reason,
                event.payload,
                prev,
                digest,
            )
        )
        prev = digest
    return stored


def _bounded_payload(event: StoredEvent) -> str:
    """The payload as JSON text, refused beyond MAX_PAYLOAD_BYTES (encoded once, here)."""
    text = orjson.dumps(event.payload)
    size = len(text) + len((event.reason or "").encode())
    if size > MAX_PAYLOAD_BYTES:
        raise EventTooLarge(event.event_type, size)
    return text.decode()


async def _insert(conn: asyncpg.Connection, tenant: str, stored: list[StoredEvent]) -> None:
    columns = list(
        zip(
            *[
                (
                    e.sequence,
                    e.stream,
                    e.version,
                    e.event_id,
                    e.event_type,
                    e.actor_id,
                    e.actor_role,
                    e.reason,
                    _bounded_payload(e),
                    e.prev_hash,
                    e.hash,
                )
                for e in stored
            ],
            strict=True,
        )
    )
    await conn.execute(
        "INSERT INTO event_log (sequence, tenant, stream, version, event_id, event_type,"
        " occurred_at, actor_id, actor_role, reason, payload, prev_hash, hash)"
        " SELECT s, $1, st, v, id, et, $2, ai, ar, r, p::jsonb, ph, h FROM unnest("
        " $3::bigint[], $4::text[], $5::int[], $6::uuid[], $7::text[], $8::text[], $9::text[],"
        " $10::text[], $11::text[], $12::text[], $13::text[]) AS t(s, st, v, id, et, ai, ar, r,"
        " p, ph, h)",
        tenant,
        stored[0].occurred_at,
        *columns,
    )
    # The append's trace context travels with the outbox row to the CloudEvent (not hashed).
    trace = current_trace_headers()
    await conn.execute(
        "INSERT INTO outbox (sequence, tenant, subject, traceparent, tracestate)"
        " SELECT s, $1, sub, $4, $5 FROM unnest($2::bigint[], $3::text[]) AS t(s, sub)",
        tenant,
        [e.sequence for e in stored],
        [subject_for(tenant, e.event_type) for e in stored],
        trace.get("traceparent"),
        trace.get("tracestate"),
    )
    last = stored[-1]
    await conn.execute(
        "UPDATE chain_heads SET sequence = $2, hash = $3, length = length + $4 WHERE tenant = $1",
        tenant,
        last.sequence,
        last.hash,
        len(stored),
    )
    await conn.execute("SELECT pg_notify($1, $2)", OUTBOX_CHANNEL, tenant)


async def append(
    conn: asyncpg.Connection,
    tenant: str,
    events: Sequence[NewEvent],
    *,
    projector: Projector | None = None,
) -> list[StoredEvent]:
    """Append events to the tenant's chain inside the caller's transaction.

    An event whose id is already in the log is not appended again: the stored one is returned,
    so a retried activity or request never records a fact twice. Every new payload must fit
    its event type's model (mutasi.domain.payloads), else InvalidPayload and nothing is written.
    """
    assert conn.is_in_transaction(), "append must run inside a transaction"
    for e in events:
        validate_payload(e.event_type, e.payload)
    with tracer.start_as_current_span(
        "log.append", attributes={"mutasi.tenant": tenant, "mutasi.events": len(events)}
    ):
        return await _append(conn, tenant, events, projector)


async def _append(
    conn: asyncpg.Connection,
    tenant: str,
    events: Sequence[NewEvent],
    projector: Projector | None,
) -> list[StoredEvent]:
    head = await conn.fetchrow(
        "INSERT INTO chain_heads (tenant, sequence, hash, length) VALUES ($1, 0, $2, 0)"
        " ON CONFLICT (tenant) DO UPDATE SET tenant = EXCLUDED.tenant RETURNING hash",
        tenant,
        GENESIS_HASH,
    )
    existing = await _existing(conn, [e.event_id for e in events])
    fresh = [e for e in events if e.event_id not in existing]
    stored: list[StoredEvent] = []
    if fresh:
        versions = await _stream_versions(conn, sorted({e.stream for e in fresh}))
        sequences = [
            r[0]
            for r in await conn.fetch(
                "SELECT nextval('event_log_sequence') FROM generate_series(1, $1)", len(fresh)
            )
        ]
        now = clock.now()
        stored = _chain(tenant, fresh, sequences, versions, head["hash"], now)
        await _insert(conn, tenant, stored)
        if projector is not None:
            await projector.apply(conn, stored)
    by_id = {e.event_id: e for e in stored} | existing
    return [by_id[e.event_id] for e in events]


async def read_stream(
    conn: asyncpg.Connection | asyncpg.Pool, tenant: str, stream: str
) -> list[StoredEvent]:
    rows = await conn.fetch(
        f"SELECT {EVENT_COLUMNS} FROM event_log WHERE tenant = $1 AND stream = $2 ORDER BY version",
        tenant,
        stream,
    )
    return [row_to_event(r) for r in rows]
