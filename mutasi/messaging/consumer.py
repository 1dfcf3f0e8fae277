"""A durable JetStream pull consumer with explicit ack, bounded redelivery and dead letters.

The handler runs inside a database transaction that also records the event id as processed;
the message is acked only after that commit, so a crash at any point means a redelivery that
the processed-id check turns into a no-op.

Two kinds of failure are told apart. A message that cannot be processed — not JSON, not a
Mutasi CloudEvent, `PoisonMessage` from the handler, or a handler error on its
`MAX_DELIVER`-th delivery — is written to `dead_letters` and terminated, so it never blocks
the messages behind it. An outage of the database is no fault of the message: it is nak'ed
with backoff and retried for as long as the outage lasts, without using up its deliveries.
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
from opentelemetry.trace import SpanKind

from mutasi import metrics
from mutasi.db import CONNECTION_ERRORS
from mutasi.logging import get_logger
from mutasi.telemetry.tracing import span_from

log = get_logger(__name__)
MESSAGES = metrics.counter(
    "mutasi_consumer_messages_total",
    "Messages a durable consumer settled: processed, duplicate, failed (retried), dead_lettered",
    ["consumer", "outcome"],
)
Handler = Callable[[asyncpg.Connection, dict[str, Any]], Awaitable[None]]
MAX_DELIVER = 8
ACK_WAIT_S = 10.0  # a whole batch is handled well within it; a crash redelivers after it
# Infrastructure, not the message: retried without counting against MAX_DELIVER.
TRANSIENT = (
    *CONNECTION_ERRORS,
    asyncpg.TooManyConnectionsError,
    asyncpg.SerializationError,
    asyncpg.DeadlockDetectedError,
)


def tenant_of_subject(subject: str) -> str | None:
    """`mutasi.<tenant>.…` names the government whose event it is."""
    parts = subject.split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "mutasi" else None


class PoisonMessage(Exception):
    """The message can never be processed; it goes to the dead-letter record."""


class DurableConsumer:
    def __init__(
        self,
        pool: asyncpg.Pool,
        js: JetStreamContext,
        *,
        name: str,
        stream: str,
        subject: str,
        handler: Handler,
        batch: int = 32,
        retry_delay_s: float = 1.0,
    ) -> None:
        self.pool, self.js, self.name, self.stream = pool, js, name, stream
        self.subject, self.handler, self.batch = subject, handler, batch
        self.retry_delay_s = retry_delay_s  # doubles with each delivery, at most 30 s

    def _delay(self, delivered: int) -> float:
        return float(min(self.retry_delay_s * 2 ** max(delivered - 1, 0), 30))

    def config(self) -> ConsumerConfig:
        # No server-side max_deliver: the bound is ours (MAX_DELIVER), applied only to
        # failures of the message, and ends in a dead letter instead of a silent drop.
        return ConsumerConfig(
            durable_name=self.name,
            name=self.name,
            ack_policy=AckPolicy.EXPLICIT,
            ack_wait=ACK_WAIT_S,
            deliver_policy=DeliverPolicy.ALL,
            filter_subject=self.subject,
            max_ack_pending=1000,
            max_deliver=-1,
        )

    async def subscribe(self) -> Any:
        """Create the durable, or bring an existing one's settings up to date, and bind."""
        try:
            await self.js.add_consumer(self.stream, self.config())
        except Exception as exc:  # noqa: BLE001 - an older durable that cannot change: use it
            log.warning("consumer_config_kept", consumer=self.name, error=str(exc))
        return await self.js.pull_subscribe_bind(durable=self.name, stream=self.stream)

    async def run(self, stop: asyncio.Event) -> None:
        sub = await self.subscribe()
        failures = 0
        while not stop.is_set():
            try:
                messages = await sub.fetch(self.batch, timeout=1)
                failures = 0
            except NatsTimeout:
                continue
            except Exception as exc:  # noqa: BLE001 - NATS reconnecting: keep trying
                failures += 1
                log.warning("consumer_fetch_failed", consumer=self.name, error=str(exc))
                await asyncio.sleep(min(0.5 * failures, 5))
                if failures % 10 == 0:  # the durable may have been deleted: recreate it
                    sub = await self._resubscribe(sub)
                continue
            for msg in messages:
                await self._process_safely(msg)

    async def _resubscribe(self, sub: Any) -> Any:
        try:
            return await self.subscribe()
        except Exception as exc:  # noqa: BLE001 - still down: the next round tries again
            log.warning("consumer_resubscribe_failed", consumer=self.name, error=str(exc))
            return sub

    async def _process_safely(self, msg: Any) -> None:
        try:
            await self._process(msg)
        except Exception as exc:  # noqa: BLE001 - never let one message stop the consumer
            log.warning("consumer_message_unsettled", consumer=self.name, error=str(exc))

    async def _process(self, msg: Any) -> None:
        try:
            event = self.decode(msg.data)
            # The event's trace (its `traceparent`) continues here, and into what we queue.
            with span_from(f"consume {event['type']}", event, SpanKind.CONSUMER):
                fresh = await self.handle_once(event)
            MESSAGES.labels(self.name, "processed" if fresh else "duplicate").inc()
        except PoisonMessage as exc:
            await self._dead_letter(msg, str(exc))
            return
        except TRANSIENT as exc:
            delivered = msg.metadata.num_delivered
            log.warning(
                "consumer_transient_failure",
                consumer=self.name,
                error=str(exc),
                delivered=delivered,
            )
            await msg.nak(delay=self._delay(min(delivered, 5)))
            return
        except Exception as exc:  # noqa: BLE001 - retry a few times, then dead-letter
            await self._failed(msg, exc)
            return
        await msg.ack()

    async def handle_once(self, event: dict[str, Any]) -> bool:
        """Run the handler unless this consumer already processed the event; True if it ran."""
        async with self.pool.acquire() as conn, conn.transaction():
            fresh = await conn.fetchval(
                "INSERT INTO processed_events (consumer, event_id) VALUES ($1, $2::uuid)"
                " ON CONFLICT DO NOTHING RETURNING true",
                self.name,
                event["id"],
            )
            if fresh:
                await self.handler(conn, event)
        return bool(fresh)

    async def _failed(self, msg: Any, exc: Exception) -> None:
        delivered = msg.metadata.num_delivered
        log.warning("consumer_retry", consumer=self.name, error=repr(exc), delivered=delivered)
        MESSAGES.labels(self.name, "failed").inc()
        if delivered >= MAX_DELIVER:
            await self._dead_letter(msg, f"gave up after {delivered} deliveries: {exc!r}")
        else:
            await msg.nak(delay=self._delay(delivered))

    @staticmethod
    def decode(data: bytes) -> dict[str, Any]:
        """The CloudEvent in a message; PoisonMessage if it is none (also for redrives)."""
        try:
            event = json.loads(data)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise PoisonMessage(f"not JSON: {exc}") from exc
        required = ("specversion", "id", "type", "source", "tenant", "data")
        if not isinstance(event, dict) or any(k not in event for k in required):
            raise PoisonMessage("not a Mutasi CloudEvent")
        if not isinstance(event["tenant"], str) or not isinstance(event["type"], str):
            raise PoisonMessage("tenant and type must be strings")
        try:
            UUID(str(event["id"]))
        except ValueError as exc:
            raise PoisonMessage("event id is not a UUID") from exc
        return event

    async def _dead_letter(self, msg: Any, error: str) -> None:
        """Record, then terminate; if the record cannot be written, the message comes back."""
        try:
            await self.pool.execute(
                "INSERT INTO dead_letters (consumer, subject, stream_seq, body, error, tenant)"
                " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                self.name,
                msg.subject,
                msg.metadata.sequence.stream,
                msg.data,
                error,
                tenant_of_subject(msg.subject),
            )
        except TRANSIENT as exc:
            log.warning("consumer_dead_letter_deferred", consumer=self.name, error=str(exc))
            await msg.nak(delay=5)
            return
        log.error("consumer_dead_letter", consumer=self.name, subject=msg.subject, error=error)
        MESSAGES.labels(self.name, "dead_lettered").inc()
        await msg.term()
