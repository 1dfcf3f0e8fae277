"""The delivery loop: works off the e-mail and webhook outbox the consumer fills.

A due row is claimed with a lease (its next attempt moved past the send timeout) under SKIP
LOCKED, so several service instances share the work and a crash mid-send is simply retried
when the lease runs out. Success is recorded once (status pending -> sent); a failure backs
off exponentially with jitter and, after the row's last attempt, lands in the dead-letter
list (status dead) until someone redrives it. A webhook whose destination is refused (egress.py:
its name now resolves to an internal address) is dead at once: no retry could be sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections import Counter
from typing import Any

import aiosmtplib
import asyncpg
import httpx
from opentelemetry.trace import SpanKind

from mutasi import metrics
from mutasi.db import CONNECTION_ERRORS
from mutasi.logging import get_logger
from mutasi.settings import Settings
from mutasi.telemetry.tracing import span_from
from services.notification import egress, mailer, webhooks
from services.notification.records import DELIVERY_CHANNEL

log = get_logger(__name__)
ATTEMPTS = metrics.counter(
    "mutasi_notification_delivery_attempts_total",
    "E-mail and webhook delivery attempts, by channel",
    ["channel"],
)
FAILURES = metrics.counter(
    "mutasi_notification_delivery_failures_total",
    "Delivery attempts that failed (retried later, or dead), by channel",
    ["channel"],
)

# Due rows, at most `$3` per (government, channel) minus those this process sends already
# (`$4`/`$5`): one government's slow webhook receiver cannot take every slot, nor hold back
# e-mail (issue 15, finding 11).
_CLAIM = """
WITH ranked AS (
    SELECT id, tenant, channel,
           row_number() OVER (PARTITION BY tenant, channel ORDER BY next_attempt_at, id) AS n
    FROM notification_deliveries
    WHERE status = 'pending' AND next_attempt_at <= now()),
picked AS (
    SELECT d.id FROM notification_deliveries d
    JOIN ranked r ON r.id = d.id
    LEFT JOIN unnest($4::text[], $5::int[]) AS busy(lane, used)
           ON busy.lane = r.tenant || '/' || r.channel
    WHERE r.n <= $3 - coalesce(busy.used, 0)
    ORDER BY d.next_attempt_at, d.id LIMIT $1 FOR UPDATE OF d SKIP LOCKED),
claimed AS (
    UPDATE notification_deliveries d
    SET attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => $2)
    WHERE d.id IN (SELECT id FROM picked)
    RETURNING d.*)
SELECT c.id, c.channel, c.event_id, c.event_type, c.email_to, c.notification_id, c.attempts,
       c.max_attempts, c.body, c.traceparent, c.tracestate, c.tenant, n.subject,
       n.body AS text_body, n.body_html, n.transfer_id,
       s.url, s.secret, s.previous_secret, s.previous_secret_until, s.active
FROM claimed c
LEFT JOIN notifications n ON n.id = c.notification_id
LEFT JOIN webhook_subscriptions s ON s.id = c.subscription_id
"""


async def claim(
    conn: asyncpg.Connection | asyncpg.Pool,
    free: int,
    lease_s: float,
    per_lane: int,
    busy: Counter[str],
) -> list[asyncpg.Record]:
    """Lease up to `free` due deliveries, fairly across governments and channels."""
    lanes = sorted(busy)
    return list(
        await conn.fetch(_CLAIM, free, lease_s, per_lane, lanes, [busy[lane] for lane in lanes])
    )


def lane(row: asyncpg.Record) -> str:
    return f"{row['tenant']}/{row['channel']}"


def backoff(attempt: int, base: float, cap: float) -> float:
    """Exponential in the attempts so far, with equal jitter so retries of many rows spread."""
    delay = min(cap, base * 2 ** max(attempt - 1, 0))
    return delay / 2 + random.uniform(0, delay / 2)  # noqa: S311 - jitter, not security


class DeliveryLoop:
    def __init__(self, pool: asyncpg.Pool, settings: Settings, concurrency: int = 32) -> None:
        self.pool, self.settings, self.concurrency = pool, settings, concurrency
        self.lease_s = max(settings.smtp_timeout_s, settings.webhook_timeout_s) + 5
        self.per_lane = settings.delivery_per_tenant
        self._wake = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()
        self._busy: Counter[str] = Counter()  # sends in flight per government and channel

    async def run(self, stop: asyncio.Event) -> None:
        listener = await self.pool.acquire()
        await listener.add_listener(DELIVERY_CHANNEL, self._notified)
        try:
            async with egress.delivery_client(self.settings) as client:
                while not stop.is_set():
                    self._wake.clear()
                    if not await self._start_due(client):
                        await self._sleep(stop)
                await self._drain()
        finally:
            with contextlib.suppress(Exception):
                await listener.remove_listener(DELIVERY_CHANNEL, self._notified)
            await self.pool.release(listener)

    def _notified(self, *_: object) -> None:
        self._wake.set()

    async def _start_due(self, client: httpx.AsyncClient) -> int:
        free = self.concurrency - len(self._tasks)
        if free <= 0:
            return 0
        try:
            rows = await claim(self.pool, free, self.lease_s, self.per_lane, +self._busy)
        except (*CONNECTION_ERRORS, asyncpg.PostgresError) as exc:
            log.warning("delivery_claim_failed", error=str(exc))
            return 0
        for row in rows:
            self._busy[lane(row)] += 1
            task = asyncio.create_task(self._deliver(client, row))
            self._tasks.add(task)
            task.add_done_callback(lambda done, key=lane(row): self._finished(done, key))
        return len(rows)

    def _finished(self, task: asyncio.Task[None], key: str) -> None:
        self._tasks.discard(task)
        self._busy[key] -= 1
        self._wake.set()  # a slot is free: claim more

    async def _sleep(self, stop: asyncio.Event) -> None:
        waiters = [asyncio.ensure_future(self._wake.wait()), asyncio.ensure_future(stop.wait())]
        await asyncio.wait(waiters, timeout=1.0, return_when=asyncio.FIRST_COMPLETED)
        for waiter in waiters:
            waiter.cancel()

    async def _drain(self) -> None:
        if self._tasks:
            # What does not finish keeps its lease and is retried by whoever runs next.
            await asyncio.wait(self._tasks, timeout=5)

    async def _deliver(self, client: httpx.AsyncClient, row: asyncpg.Record) -> None:
        # The delivery joins the trace of the event that queued it (the stored traceparent).
        attributes = {"mutasi.delivery_id": row["id"], "mutasi.attempt": row["attempts"]}
        with span_from(f"deliver {row['channel']}", row, SpanKind.CLIENT, attributes):
            await self._attempt(client, row)
        ATTEMPTS.labels(row["channel"]).inc()

    async def _attempt(self, client: httpx.AsyncClient, row: asyncpg.Record) -> None:
        try:
            if row["channel"] == "webhook" and not row["active"]:
                await self._dead(row, None, "langganan nonaktif / subscription inactive")
                return
            if row["attempts"] > row["max_attempts"]:  # its sender kept dying mid-send
                await self._dead(row, None, "attempts exhausted without an answer")
                return
            outcome = await self._send(client, row)
            if outcome.ok:
                await self._sent(row, outcome.status)
            elif outcome.final or row["attempts"] >= row["max_attempts"]:
                await self._dead(row, outcome.status, outcome.error)
            else:
                await self._retry(row, outcome.status, outcome.error)
        except Exception as exc:  # noqa: BLE001 - the lease makes it retry; never kill the loop
            log.warning("delivery_record_failed", delivery_id=row["id"], error=str(exc))

    async def _send(self, client: httpx.AsyncClient, row: asyncpg.Record) -> webhooks.Outcome:
        if row["channel"] == "email":
            try:
                await mailer.send(mailer.build(row, self.settings), self.settings)
            except (aiosmtplib.SMTPException, OSError, TimeoutError, ValueError) as exc:
                return webhooks.Outcome(False, None, f"{type(exc).__name__}: {exc}"[:500])
            return webhooks.Outcome(True, None, None)
        return await webhooks.post(
            client,
            row,
            row["id"],
            row["body"],
            self.settings.webhook_timeout_s,
            self.settings.webhook_response_max_bytes,
        )

    async def _sent(self, row: asyncpg.Record, status: int | None) -> None:
        await self.pool.execute(
            "UPDATE notification_deliveries SET status = 'sent', sent_at = now(),"
            " last_error = NULL, last_status = $2 WHERE id = $1 AND status = 'pending'",
            row["id"],
            status,
        )
        log.info(
            "delivery_sent", delivery_id=row["id"], channel=row["channel"], attempts=row["attempts"]
        )

    async def _retry(self, row: asyncpg.Record, status: int | None, error: str | None) -> None:
        FAILURES.labels(row["channel"]).inc()
        delay = backoff(
            row["attempts"],
            self.settings.delivery_backoff_base_s,
            self.settings.delivery_backoff_max_s,
        )
        await self.pool.execute(
            "UPDATE notification_deliveries SET next_attempt_at = now() + make_interval("
            "secs => $2), last_error = $3, last_status = $4 WHERE id = $1 AND status = 'pending'",
            row["id"],
            delay,
            error,
            status,
        )
        log.info(
            "delivery_retry",
            delivery_id=row["id"],
            channel=row["channel"],
            attempts=row["attempts"],
            delay_s=round(delay, 1),
            error=error,
        )

    async def _dead(self, row: asyncpg.Record, status: int | None, error: Any) -> None:
        FAILURES.labels(row["channel"]).inc()
        await self.pool.execute(
            "UPDATE notification_deliveries SET status = 'dead', last_error = $2,"
            " last_status = $3 WHERE id = $1 AND status = 'pending'",
            row["id"],
            error,
            status,
        )
        log.error(
            "delivery_dead",
            delivery_id=row["id"],
            channel=row["channel"],
            attempts=row["attempts"],
            error=error,
        )
