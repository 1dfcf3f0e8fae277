"""A durable JetStream pull consumer with explicit ack, bounded redelivery and dead letters.

The handler runs inside a database transaction that also records the event id as processed;
the message is acked only after that commit, so a crash at any point means a redelivery that
the processed-id check turns into a no-op.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

import asyncpg
from nats.errors import TimeoutError as NatsTimeout
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from mutasi.logging import get_logger

log = get_logger(__name__)
Handler = Callable[[asyncpg.Connection, dict[str, Any]], Awaitable[None]]
MAX_DELIVER = 8


class PoisonMessage(Exception):
    """The message can never be processed; it goes to the dead-letter record."""


class DurableConsumer:
    def __init__(self, pool: asyncpg.Pool, js: JetStreamContext, *, name: str, stream: str,
                 subject: str, handler: Handler, batch: int = 64) -> None:
        self.pool, self.js, self.name, self.stream = pool, js, name, stream
        self.subject, self.handler, self.batch = subject, handler, batch

    async def run(self, stop: asyncio.Event) -> None:
        sub = await self.js.pull_subscribe(
            self.subject, durable=self.name, stream=self.stream,
            config=ConsumerConfig(ack_policy=AckPolicy.EXPLICIT, max_deliver=MAX_DELIVER,
                                  ack_wait=30, deliver_policy=DeliverPolicy.ALL,
                                  max_ack_pending=1000))
        while not stop.is_set():
            try:
                messages = await sub.fetch(self.batch, timeout=1)
            except NatsTimeout:
                continue
            except Exception as exc:  # noqa: BLE001 - NATS reconnecting: keep trying
                log.warning("consumer_fetch_failed", consumer=self.name, error=str(exc))
                await asyncio.sleep(0.5)
                continue
            for msg in messages:
                await self._process(msg)

    async def _process(self, msg: Any) -> None:
        try:
            event = self._decode(msg.data)
            async with self.pool.acquire() as conn, conn.transaction():
                fresh = await conn.fetchval(
                    "INSERT INTO processed_events (consumer, event_id) VALUES ($1, $2::uuid)"
                    " ON CONFLICT DO NOTHING RETURNING true", self.name, event["id"])
                if fresh:
                    await self.handler(conn, event)
            await msg.ack()
        except PoisonMessage as exc:
            await self._dead_letter(msg, str(exc))
        except Exception as exc:  # noqa: BLE001 - transient: retry later, dead-letter at the end
            delivered = msg.metadata.num_delivered
            log.warning("consumer_retry", consumer=self.name, error=str(exc),
                        delivered=delivered)
            if delivered >= MAX_DELIVER:
                await self._dead_letter(msg, f"gave up after {delivered} deliveries: {exc}")
            else:
                await msg.nak(delay=min(2 ** delivered, 30))

    @staticmethod
    def _decode(data: bytes) -> dict[str, Any]:
        try:
            event = json.loads(data)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise PoisonMessage(f"not JSON: {exc}") from exc
        required = ("specversion", "id", "type", "source", "tenant", "data")
        if not isinstance(event, dict) or any(k not in event for k in required):
            raise PoisonMessage("not a Mutasi CloudEvent")
        try:
            UUID(str(event["id"]))
        except ValueError as exc:
            raise PoisonMessage("event id is not a UUID") from exc
        return event

    async def _dead_letter(self, msg: Any, error: str) -> None:
        await self.pool.execute(
            "INSERT INTO dead_letters (consumer, subject, stream_seq, body, error)"
            " VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
            self.name, msg.subject, msg.metadata.sequence.stream, msg.data, error)
        log.error("consumer_dead_letter", consumer=self.name, subject=msg.subject, error=error)
        await msg.term()
