"""Scenario helpers for the log's tests: fresh tenants, appends, and a superuser who tampers."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any
from uuid import uuid4

import asyncpg
import nats.errors
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import DeliverPolicy

from mutasi.log.canonical import GENESIS_HASH
from mutasi.log.relay import OutboxRelay
from mutasi.log.store import (
    EVENT_COLUMNS,
    Actor,
    NewEvent,
    StoredEvent,
    append,
    row_to_event,
)

OFFICER = Actor("hr-1", "hr_officer")


def new_tenant(prefix: str = "audit") -> str:
    """A tenant slug no other test uses: event_log has no foreign key to tenants."""
    return f"{prefix}-{uuid4().hex[:10]}"


def transfer_stream() -> str:
    return f"transfer/{uuid4()}"


def event(
    stream: str,
    n: int,
    reason: str | None = None,
    body: dict[str, Any] | None = None,
) -> NewEvent:
    """The n-th entry of a stream. The log takes only payloads their event type's model
    accepts: a free-form `body` (any JSON, to test encoding) goes in as an employee record's
    `data`, the one free-form field there is."""
    if body is None:
        return NewEvent(stream, "transfer.checked", checked_payload(n), OFFICER, reason=reason)
    return NewEvent(stream, "employee.updated", employee_record(body), OFFICER, reason=reason)


def checked_payload(n: int) -> dict[str, Any]:
    return {"passed": True, "failures": [], "warnings": [], "match_score": n % 101}


def employee_record(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "nip": "198503142010011002",
        "name": "Budi Santoso",
        "position_code": None,
        "unit_code": None,
        "position_since": None,
        "data": data,
    }


async def append_events(
    pool: asyncpg.Pool, tenant: str, events: list[NewEvent]
) -> list[StoredEvent]:
    async with pool.acquire() as conn, conn.transaction():
        return await append(conn, tenant, events)


async def chain_of(
    pool: asyncpg.Pool, tenant: str, streams: int = 3, per_stream: int = 4
) -> list[StoredEvent]:
    """A small chain: several transfers' events interleaved, appended one batch per round."""
    names = [transfer_stream() for _ in range(streams)]
    stored: list[StoredEvent] = []
    for round_ in range(per_stream):
        reason = "Sesuai hasil rapat" if round_ % 2 else None
        stored += await append_events(
            pool, tenant, [event(s, round_, reason=reason) for s in names]
        )
    return stored


async def as_superuser(admin_pool: asyncpg.Pool, *statements: tuple[str, list[Any]]) -> None:
    """Run statements with the log's triggers off, as a database administrator could."""
    async with admin_pool.acquire() as conn, conn.transaction():
        await conn.execute("SET LOCAL session_replication_role = replica")
        for sql, args in statements:
            await conn.execute(sql, *args)


async def register_tenant(pool: asyncpg.Pool, slug: str) -> str:
    """A government the checkpointer signs for (it signs registered tenants only)."""
    await pool.execute(
        "INSERT INTO tenants (slug, name, kind, province, capital, head_title)"
        " VALUES ($1, $2, 'kota', 'Uji Coba', 'Kota Uji', 'Wali Kota Uji')"
        " ON CONFLICT DO NOTHING",
        slug,
        f"Pemerintah {slug}",
    )
    return slug


async def publish_all(
    pool: asyncpg.Pool, js: JetStreamContext, tenant: str, timeout: float = 20.0
) -> None:
    """Relay the tenant's outbox until empty (another relay may be doing it too)."""
    relay = OutboxRelay(pool, js)
    deadline = asyncio.get_running_loop().time() + timeout
    while await pool.fetchval(
        "SELECT count(*) FROM outbox WHERE tenant = $1 AND published_at IS NULL", tenant
    ):
        assert asyncio.get_running_loop().time() < deadline, "outbox never drained"
        try:
            sent = await relay.relay_tenant(tenant)
        except nats.errors.Error:  # NATS is still coming back
            sent = 0
        if not sent:
            await asyncio.sleep(0.05)


async def rewrite_history(
    admin_pool: asyncpg.Pool,
    tenant: str,
    target: int,
    change: Callable[[StoredEvent], dict[str, Any]],
) -> None:
    """What a determined superuser does: change one entry, recompute every hash after it,
    move the chain head, and delete the database's own checkpoints."""
    async with admin_pool.acquire() as conn, conn.transaction():
        await conn.execute("SET LOCAL session_replication_role = replica")
        await conn.execute("SELECT 1 FROM chain_heads WHERE tenant = $1 FOR UPDATE", tenant)
        rows = await conn.fetch(
            f"SELECT {EVENT_COLUMNS} FROM event_log WHERE tenant = $1 ORDER BY sequence", tenant
        )
        prev = GENESIS_HASH
        for row in rows:
            stored = row_to_event(row)
            if stored.sequence < target:
                prev = stored.hash
                continue
            payload = change(stored) if stored.sequence == target else stored.payload
            forged = replace(stored, payload=payload, prev_hash=prev)
            prev = forged.chained_fields().hash()
            await conn.execute(
                "UPDATE event_log SET payload = $2, prev_hash = $3, hash = $4 WHERE sequence = $1",
                stored.sequence,
                payload,
                forged.prev_hash,
                prev,
            )
        await conn.execute("UPDATE chain_heads SET hash = $2 WHERE tenant = $1", tenant, prev)
        await conn.execute("DELETE FROM checkpoints WHERE tenant = $1", tenant)


async def jetstream_messages(
    js: JetStreamContext, stream_name: str, tenant: str, timeout: float = 10.0
) -> list[Msg]:
    """Every message JetStream holds for the tenant, in the order a subscriber gets them."""
    subject = f"mutasi.{tenant}.>"
    info = await js.stream_info(stream_name, subjects_filter=subject)
    expected = sum((info.state.subjects or {}).values())
    if not expected:
        return []
    sub = await js.subscribe(subject, ordered_consumer=True, deliver_policy=DeliverPolicy.ALL)
    try:
        return [await sub.next_msg(timeout=timeout) for _ in range(expected)]
    finally:
        await sub.unsubscribe()


async def delivered(js: JetStreamContext, stream_name: str, tenant: str) -> list[dict[str, Any]]:
    """The CloudEvents a subscriber to the tenant's subjects receives."""
    return [json.loads(m.data) for m in await jetstream_messages(js, stream_name, tenant)]


def assert_exactly_once_in_stream_order(
    received: list[dict[str, Any]], appended: list[StoredEvent]
) -> None:
    """Each appended event arrived once, and each transfer's events in version order."""
    ids = [e["id"] for e in received]
    assert len(ids) == len(set(ids)), "an event was delivered twice"
    assert set(ids) == {str(e.event_id) for e in appended}
    by_stream: dict[str, list[int]] = {}
    for cloud_event in received:
        by_stream.setdefault(cloud_event["source"], []).append(cloud_event["streamversion"])
    assert all(versions == sorted(versions) for versions in by_stream.values())
