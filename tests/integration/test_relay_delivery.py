"""The outbox relay delivers every event exactly once, in order, through crashes and rivals.

Another relay (the `stack` fixture's process) may be running in this session: the tests hold
the tenant's relay lock while they stage a crash, and otherwise rely on what protects
production too — the per-tenant lock and JetStream's Nats-Msg-Id de-duplication.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from nats.js import JetStreamContext

from mutasi.log.relay import OutboxRelay
from mutasi.log.store import StoredEvent
from mutasi.messaging.jetstream import connect, ensure_stream
from tests.integration.log_scenario import (
    append_events,
    assert_exactly_once_in_stream_order,
    delivered,
    event,
    new_tenant,
    publish_all,
    transfer_stream,
)


@pytest_asyncio.fixture
async def js(settings) -> AsyncIterator[JetStreamContext]:
    nc = await connect(settings, name="test-relay")
    stream = nc.jetstream()
    await ensure_stream(stream, settings)
    yield stream
    await nc.close()


async def _transfers_in_flight(pool, tenant: str, rounds: int = 4) -> list[StoredEvent]:  # noqa: ANN001
    streams = [transfer_stream() for _ in range(3)]
    appended: list[StoredEvent] = []
    for n in range(rounds):
        appended += await append_events(pool, tenant, [event(s, n) for s in streams])
    return appended


async def _hold_relay_lock(pool, tenant: str):  # noqa: ANN001, ANN202
    """Keep every relay away from the tenant, as a relay that is mid-batch would."""
    conn = await pool.acquire()
    await conn.execute("SELECT pg_advisory_lock(hashtext('outbox:' || $1))", tenant)
    return conn


async def _release(pool, conn, tenant: str) -> None:  # noqa: ANN001
    await conn.execute("SELECT pg_advisory_unlock(hashtext('outbox:' || $1))", tenant)
    await pool.release(conn)


class RelayCrashed(Exception):
    pass


async def test_a_relay_killed_after_publishing_but_before_marking_sent(pool, settings, js):
    tenant = new_tenant("relay")
    blocker = await _hold_relay_lock(pool, tenant)
    try:
        appended = await _transfers_in_flight(pool, tenant)
        crashed = OutboxRelay(pool, js)
        with pytest.raises(RelayCrashed):
            async with pool.acquire() as conn, conn.transaction():
                pending = await crashed.pending(conn, tenant)
                await crashed.publish(pending)
                raise RelayCrashed  # dies before mark_sent: the transaction rolls back
        assert len(pending) == len(appended)
        assert await pool.fetchval(
            "SELECT count(*) FROM outbox WHERE tenant = $1 AND published_at IS NULL", tenant
        ) == len(appended)
        first_pass = await delivered(js, settings.stream_name, tenant)
    finally:
        await _release(pool, blocker, tenant)
    await publish_all(pool, js, tenant)  # a fresh relay sends the whole batch again
    received = await delivered(js, settings.stream_name, tenant)
    assert received == first_pass  # the server dropped every re-publication
    assert_exactly_once_in_stream_order(received, appended)


async def test_events_appended_while_relays_compete_arrive_once_in_order(pool, settings, js):
    tenant = new_tenant("relay")
    stop = asyncio.Event()
    relays = [
        asyncio.create_task(OutboxRelay(pool, js, batch=5, poll_interval=0.1).run(stop))
        for _ in range(3)
    ]
    try:
        appended: list[StoredEvent] = []
        for _ in range(3):
            appended += await _transfers_in_flight(pool, tenant, rounds=3)
        await publish_all(pool, js, tenant)
    finally:
        stop.set()
        await asyncio.gather(*relays)
    received = await delivered(js, settings.stream_name, tenant)
    assert_exactly_once_in_stream_order(received, appended)
    assert [e["sequence"] for e in received] == [e.sequence for e in appended]
