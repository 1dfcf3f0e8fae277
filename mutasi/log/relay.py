"""Outbox relay: carries committed log entries to JetStream, each exactly once.

Wakes on LISTEN/NOTIFY and polls as a fallback. Several relays may run: each takes a tenant
under a transaction-scoped advisory lock, so one tenant's entries leave in log order.
The JetStream publish carries `Nats-Msg-Id` = event id, so re-publishing an entry whose
"sent" mark was lost (crash between ack and commit) is dropped by the server as a duplicate.

One tenant's failure is that tenant's alone (issue 15, finding 3): an entry NATS refuses
(larger than its max_payload, say) stops its own tenant — whose order must hold — while the
others go on; the entries before it are marked sent as they leave, so nothing is published
twice; the stalled tenant is retried with a growing pause, logged (`relay_tenant_stalled`)
and listed in `OutboxRelay.stalls` until it moves again (`relay_tenant_recovered`); the
metrics `mutasi_relay_stalls_total{tenant}` and `mutasi_relay_stalled_tenants` say the same.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import asyncpg
import nats.errors
import nats.js.errors
from nats.js import JetStreamContext
from opentelemetry.trace import SpanKind

from mutasi import metrics
from mutasi.db import CONNECTION_ERRORS
from mutasi.log.store import EVENT_COLUMNS, OUTBOX_CHANNEL, StoredEvent, row_to_event
from mutasi.logging import get_logger
from mutasi.messaging.cloudevents import to_cloudevent
from mutasi.telemetry.tracing import span_from
from mutasi.wakeup import Wakeup

log = get_logger(__name__)
# PostgreSQL or NATS restarting: retried, never fatal.
_RETRIED: tuple[type[BaseException], ...] = (*CONNECTION_ERRORS, nats.errors.Error)
STALL_PAUSE_MAX_S = 60.0
_QUALIFIED = ", ".join(f"e.{c.strip()}" for c in EVENT_COLUMNS.split(","))
_OUTBOX_ONLY = frozenset({"subject", "traceparent", "tracestate"})
PUBLISHED = metrics.counter(
    "mutasi_relay_published_total", "Log entries the relay published to JetStream", ["tenant"]
)
# A tenant NATS refuses entries of (finding 3 of issue 15): alert on either.
STALLS = metrics.counter(
    "mutasi_relay_stalls_total", "Relay rounds a tenant's entry was refused by NATS", ["tenant"]
)
STALLED = metrics.gauge(
    "mutasi_relay_stalled_tenants", "Tenants whose outbox is stopped on a refused entry"
)
RETRIES = metrics.counter(
    "mutasi_relay_retries_total", "Relay rounds retried after a PostgreSQL or NATS failure"
)


class Pending(NamedTuple):
    subject: str
    event: StoredEvent
    trace: dict[str, str]  # traceparent/tracestate of the append, if it was traced


@dataclass(frozen=True, slots=True)
class Stall:
    since: float  # epoch seconds of the first refusal
    failures: int
    error: str
    retry_at: float  # monotonic


class OutboxRelay:
    def __init__(
        self,
        pool: asyncpg.Pool,
        js: JetStreamContext,
        *,
        batch: int = 500,
        poll_interval: float = 1.0,
    ) -> None:
        self.pool, self.js, self.batch, self.poll_interval = pool, js, batch, poll_interval
        # Tenants whose entries NATS refuses, and how often that happened in all: what an
        # operator's alert reads (the log lines carry the same).
        self.stalls: dict[str, Stall] = {}
        self.stall_count = 0

    async def run(self, stop: asyncio.Event) -> None:
        wakeup = Wakeup(self.pool, OUTBOX_CHANNEL, self.poll_interval)
        try:
            while not stop.is_set():
                try:
                    await wakeup.ensure()
                    sent = await self.relay_once()
                # NATS restarting answers "no responders" for a moment: retry, don't die.
                except _RETRIED as exc:
                    RETRIES.inc()
                    log.warning("relay_retry", error=str(exc))
                    await self.pool.expire_connections()  # none of them survives a restart
                    await asyncio.sleep(self.poll_interval)
                    continue
                if sent == 0:
                    await wakeup.wait(stop)
        finally:
            await wakeup.close()

    async def relay_once(self) -> int:
        """Publish what is pending for every tenant this relay can lock; return the count."""
        tenants = await self.pool.fetch(
            "SELECT DISTINCT tenant FROM outbox WHERE published_at IS NULL"
        )
        sent = 0
        for row in tenants:
            tenant = row["tenant"]
            if not self._due(tenant):
                continue
            try:
                sent += await self.relay_tenant(tenant)
            except CONNECTION_ERRORS:
                raise  # PostgreSQL itself is away: every tenant waits (run() retries)
            except nats.errors.Error as exc:
                if not self._nats_refused(exc):
                    raise  # NATS is away for everyone
                self._stalled(tenant, exc)
            else:
                self._recovered(tenant)
        return sent

    async def relay_tenant(self, tenant: str) -> int:
        failure: nats.errors.Error | None = None
        async with self.pool.acquire() as conn, conn.transaction():
            locked = await conn.fetchval(
                "SELECT pg_try_advisory_xact_lock(hashtext('outbox:' || $1))", tenant
            )
            if not locked:
                return 0
            published: list[Pending] = []
            for item in await self.pending(conn, tenant):
                try:
                    await self.publish([item])
                except nats.errors.Error as exc:
                    failure = exc
                    break
                published.append(item)
            # What left is marked and committed even when a later entry of the batch was
            # refused, so it is never published again (after the dedup window: a duplicate).
            await self.mark_sent(conn, published)
        if failure is not None:
            raise failure
        return len(published)

    @staticmethod
    def _nats_refused(exc: Exception) -> bool:
        """NATS refused this message (too large, no permission): not an outage of NATS."""
        return isinstance(exc, nats.errors.MaxPayloadError | nats.js.errors.APIError)

    def _due(self, tenant: str) -> bool:
        stall = self.stalls.get(tenant)
        return stall is None or time.monotonic() >= stall.retry_at

    def _stalled(self, tenant: str, exc: Exception) -> None:
        previous = self.stalls.get(tenant)
        failures = previous.failures + 1 if previous else 1
        pause = min(STALL_PAUSE_MAX_S, self.poll_interval * 2**failures)
        self.stalls[tenant] = Stall(
            previous.since if previous else time.time(),
            failures,
            f"{type(exc).__name__}: {exc}",
            time.monotonic() + pause,
        )
        self.stall_count += 1
        STALLS.labels(tenant).inc()
        STALLED.set(len(self.stalls))
        log.error(
            "relay_tenant_stalled",
            tenant=tenant,
            failures=failures,
            error=self.stalls[tenant].error,
            retry_in_s=pause,
        )

    def _recovered(self, tenant: str) -> None:
        if self.stalls.pop(tenant, None) is not None:
            STALLED.set(len(self.stalls))
            log.info("relay_tenant_recovered", tenant=tenant)

    async def pending(self, conn: asyncpg.Connection, tenant: str) -> list[Pending]:
        rows = await conn.fetch(
            f"SELECT o.subject, o.traceparent, o.tracestate, {_QUALIFIED}"
            " FROM outbox o JOIN event_log e USING (sequence)"
            " WHERE o.tenant = $1 AND o.published_at IS NULL ORDER BY o.sequence LIMIT $2"
            " FOR UPDATE OF o SKIP LOCKED",
            tenant,
            self.batch,
        )
        return [
            Pending(
                r["subject"],
                row_to_event({k: r[k] for k in r.keys() if k not in _OUTBOX_ONLY}),
                {k: r[k] for k in ("traceparent", "tracestate") if r[k]},
            )
            for r in rows
        ]

    async def publish(self, pending: Sequence[Pending]) -> None:
        for subject, event, trace in pending:
            # The CloudEvent carries the append's trace context (distributed-tracing extension).
            body = json.dumps(to_cloudevent(event) | trace, ensure_ascii=False).encode()
            with span_from(f"publish {event.event_type}", trace, SpanKind.PRODUCER):
                ack = await self.js.publish(
                    subject,
                    body,
                    headers={
                        "Nats-Msg-Id": str(event.event_id),
                        "Content-Type": "application/cloudevents+json",
                        **trace,
                    },
                )
            PUBLISHED.labels(event.tenant).inc()
            if ack.duplicate:
                log.info("relay_duplicate_dropped", event_id=str(event.event_id))

    @staticmethod
    async def mark_sent(conn: asyncpg.Connection, pending: Sequence[Pending]) -> None:
        if pending:
            await conn.execute(
                "UPDATE outbox SET published_at = now() WHERE sequence = ANY($1::bigint[])",
                [p.event.sequence for p in pending],
            )
