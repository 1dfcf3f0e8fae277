"""The durable consumer the notification service runs on: a message whose handling keeps
failing is redelivered a bounded number of times, then dead-lettered, while the messages
around it are handled once each; a restarted consumer resumes where it stopped."""

from __future__ import annotations

import asyncio
import json
from typing import Any
from uuid import uuid4

import nats
import pytest

from mutasi.messaging.consumer import MAX_DELIVER, DurableConsumer
from mutasi.messaging.jetstream import ensure_stream
from tests.e2e.notification_support import eventually

pytestmark = pytest.mark.usefixtures("servers")


def cloudevent(tenant: str, n: int) -> tuple[str, bytes]:
    event_id = str(uuid4())
    return event_id, json.dumps(
        {
            "specversion": "1.0",
            "id": event_id,
            "type": "id.go.mutasi.transfer.submitted",
            "source": f"/tenants/{tenant}/transfers/{n}",
            "subject": str(n),
            "tenant": tenant,
            "data": {"payload": {"n": n}},
        }
    ).encode()


class Recorder:
    """A handler that writes what it handles, and cannot handle one event."""

    def __init__(self, failing: str) -> None:
        self.failing, self.handled, self.attempts = failing, [], 0

    async def __call__(self, conn: Any, event: dict[str, Any]) -> None:
        if event["id"] == self.failing:
            self.attempts += 1
            raise RuntimeError("handler cannot process this one")
        await conn.execute("SELECT 1")
        self.handled.append(event["id"])


async def test_a_failing_message_is_dead_lettered_after_bounded_redelivery(settings, pool):  # noqa: ANN001
    tenant, name = f"uji-konsumen-{uuid4().hex[:8]}", f"uji-{uuid4().hex[:8]}"
    nc = await nats.connect(settings.nats_url)
    js = nc.jetstream()
    await ensure_stream(js, settings)
    events = [cloudevent(tenant, n) for n in range(3)]
    sequences = []
    for event_id, body in events:
        ack = await js.publish(
            f"mutasi.{tenant}.transfer.submitted", body, headers={"Nats-Msg-Id": event_id}
        )
        sequences.append(ack.seq)
    handler = Recorder(failing=events[1][0])
    consumer = DurableConsumer(
        pool,
        js,
        name=name,
        stream=settings.stream_name,
        subject=f"mutasi.{tenant}.>",
        handler=handler,
        retry_delay_s=0.05,
    )
    stop = asyncio.Event()
    task = asyncio.create_task(consumer.run(stop))
    try:
        letter = await eventually(
            lambda: pool.fetchrow(
                "SELECT error FROM dead_letters WHERE consumer = $1 AND stream_seq = $2",
                name,
                sequences[1],
            ),
            timeout=30,
        )
        assert letter["error"].startswith(f"gave up after {MAX_DELIVER} deliveries")
        assert handler.attempts == MAX_DELIVER
        assert sorted(handler.handled) == sorted([events[0][0], events[2][0]])

        # A restart resumes: nothing handled twice, and what comes next is handled.
        stop.set()
        await task
        stop, later = asyncio.Event(), cloudevent(tenant, 3)
        task = asyncio.create_task(consumer.run(stop))
        await js.publish(
            f"mutasi.{tenant}.transfer.submitted", later[1], headers={"Nats-Msg-Id": later[0]}
        )
        await eventually(lambda: later[0] in handler.handled, timeout=15)
        await asyncio.sleep(0.5)
        assert sorted(handler.handled) == sorted([events[0][0], events[2][0], later[0]])
        processed = await pool.fetchval(
            "SELECT count(*) FROM processed_events WHERE consumer = $1", name
        )
        assert processed == 3
    finally:
        stop.set()
        await task
        await js.delete_consumer(settings.stream_name, name)
        await nc.close()
