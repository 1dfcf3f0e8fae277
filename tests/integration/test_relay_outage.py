"""NATS goes away while transfers keep moving: the outbox holds every event until it is back."""

from __future__ import annotations

import asyncio

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


async def _unpublished(pool, tenant: str) -> int:  # noqa: ANN001
    return await pool.fetchval(
        "SELECT count(*) FROM outbox WHERE tenant = $1 AND published_at IS NULL", tenant
    )


async def test_nothing_is_lost_while_nats_is_down(servers, pool, settings):
    nats_server = servers.servers["nats"]
    tenant = new_tenant("outage")
    streams = [transfer_stream() for _ in range(4)]
    nc = await connect(settings, name="test-relay-outage")
    js = nc.jetstream()
    await ensure_stream(js, settings)
    stop = asyncio.Event()
    relay = asyncio.create_task(OutboxRelay(pool, js, poll_interval=0.2).run(stop))
    appended: list[StoredEvent] = []
    try:
        appended += await append_events(pool, tenant, [event(s, 0) for s in streams])
        nats_server.stop()
        try:
            for n in range(1, 6):  # appends go on: the log does not depend on NATS
                appended += await append_events(pool, tenant, [event(s, n) for s in streams])
                await asyncio.sleep(0.3)
            assert await _unpublished(pool, tenant) > 0
        finally:
            nats_server.start()  # same port, same store directory
        await publish_all(pool, js, tenant, timeout=60)
    finally:
        stop.set()
        await relay
    received = await delivered(js, settings.stream_name, tenant)
    await nc.close()
    assert await _unpublished(pool, tenant) == 0
    assert_exactly_once_in_stream_order(received, appended)
