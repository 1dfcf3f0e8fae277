"""Durable intake of proposals: `POST /transfers` answers 202 after one commit, and a starter
loop in the same service starts the workflows.

Why: starting a workflow waits for Temporal to persist it (a few milliseconds alone, hundreds
at 50 concurrent clients on a small machine), while the proposal is safe as soon as one row is
committed. The contract of the 202 holds: the answer comes only after the row
`transfer_intake(id)` is committed, and the starter starts the workflow `transfer-<id>` from
it. Nothing is lost — a row stays pending until a start succeeds (or finds the workflow
already started), whenever the starter dies and comes back — and nothing is doubled: the
workflow id is the transfer id, Temporal refuses to start one twice, and a retried request
with the same Idempotency-Key names the same id, whose row exists already.

Several proposal replicas share the work: each takes pending rows with SKIP LOCKED.
"""

from __future__ import annotations

import asyncio
from dataclasses import asdict
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import asyncpg
from opentelemetry.trace import SpanKind
from temporalio.client import Client
from temporalio.common import SearchAttributePair, TypedSearchAttributes, WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError

from mutasi import clock
from mutasi.db import CONNECTION_ERRORS
from mutasi.domain.effective_date import lifetime
from mutasi.errors import MutasiError
from mutasi.lifecycle import (
    SEARCH_KIND,
    SEARCH_STATUS,
    SEARCH_TENANT,
    SEARCH_UNIT,
    WORKFLOW_NAME,
    TransferInput,
    transfer_workflow_id,
)
from mutasi.logging import get_logger
from mutasi.settings import Settings
from mutasi.telemetry.tracing import current_trace_headers, span_from
from mutasi.wakeup import Wakeup

log = get_logger(__name__)
CHANNEL = "transfer_intake"
_ACCEPT = (
    "WITH accepted AS (INSERT INTO transfer_intake (id, tenant, input, traceparent, tracestate)"
    " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING RETURNING id)"
    f" SELECT pg_notify('{CHANNEL}', '') FROM accepted"
)
# Rows that failed sink behind fresh ones, so one that keeps failing delays nobody.
_PENDING = (
    "SELECT id, input, traceparent, tracestate FROM transfer_intake WHERE started_at IS NULL"
    " ORDER BY attempts, accepted_at LIMIT $1 FOR UPDATE SKIP LOCKED"
)


# What the proposer asked for: a retried request (same Idempotency-Key) asks for the same.
_REQUESTED = (
    "tenant", "employee_nip", "target_position_code", "reasons", "expectations",
    "effective_date", "justification", "documents",
)  # fmt: skip


async def accept(pool: asyncpg.Pool, data: TransferInput) -> None:
    """Commit the proposal for its workflow to be started; a second accept of the same
    transfer id (a retried request) changes nothing, and one asking for something else under
    the same Idempotency-Key is refused (422, as the IETF Idempotency-Key draft says)."""
    # The stored dict is what Temporal's JSON converter makes of the dataclass, so the
    # workflow receives the same input either way.
    # The request's trace goes with the row: the workflow's start continues it.
    trace = current_trace_headers()
    asked = asdict(data)
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute(
            _ACCEPT,
            UUID(data.transfer_id),
            data.tenant,
            asked,
            trace.get("traceparent"),
            trace.get("tracestate"),
        )
        first = await conn.fetchval(
            "SELECT input FROM transfer_intake WHERE id = $1", UUID(data.transfer_id)
        )
    if any(first.get(k) != asked[k] for k in _REQUESTED):
        raise KeyReused(
            "Idempotency-Key ini sudah dipakai untuk usulan lain; gunakan kunci baru",
            "This Idempotency-Key was used for a different request",
        )


class KeyReused(MutasiError):
    status, slug = 422, "idempotency-key-reused"


async def _start_accepted(temporal: Client, settings: Settings, row: asyncpg.Record) -> None:
    with span_from("intake.start", row, SpanKind.PRODUCER):
        await start_workflow(temporal, settings, row["input"])


def _lifetime(data: dict[str, Any]) -> timedelta:
    """Derived from the TMT (mutasi.domain.effective_date); rows accepted before issue 14
    carry no latest TMT and get the two years every transfer had then."""
    latest = data.get("latest_effective_date")
    if latest is None:
        return timedelta(days=730)
    return lifetime(date.fromisoformat(latest), clock.today())


async def start_workflow(temporal: Client, settings: Settings, data: dict[str, Any]) -> None:
    """Start the transfer's workflow; one already started (by an earlier try) is fine."""
    try:
        await temporal.start_workflow(
            WORKFLOW_NAME,
            data,
            id=transfer_workflow_id(data["transfer_id"]),
            task_queue=settings.task_queue,
            execution_timeout=_lifetime(data),
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            search_attributes=TypedSearchAttributes(
                [
                    SearchAttributePair(SEARCH_TENANT, data["tenant"]),
                    SearchAttributePair(SEARCH_STATUS, "submitted"),
                    SearchAttributePair(SEARCH_UNIT, data["origin_unit_code"] or ""),
                    SearchAttributePair(SEARCH_KIND, data["kind"]),
                ]
            ),
        )
    except WorkflowAlreadyStartedError:
        pass


class Starter:
    """Starts the workflows of accepted proposals, woken by their commit (NOTIFY)."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        temporal: Client,
        settings: Settings,
        *,
        batch: int = 50,
        poll_interval: float = 1.0,
    ) -> None:
        self.pool, self.temporal, self.settings = pool, temporal, settings
        self.batch, self.poll_interval = batch, poll_interval

    async def run(self, stop: asyncio.Event) -> None:
        wakeup = Wakeup(self.pool, CHANNEL, self.poll_interval)
        pause = self.poll_interval
        try:
            while not stop.is_set():
                try:
                    await wakeup.ensure()
                    started, failed = await self.start_pending()
                except CONNECTION_ERRORS as exc:
                    log.warning("intake_retry", error=str(exc))
                    await self.pool.expire_connections()  # none of them survives a restart
                    await asyncio.sleep(self.poll_interval)
                    continue
                if failed and not started:  # Temporal away: back off, up to half a minute
                    await asyncio.sleep(pause)
                    pause = min(2 * pause, 30.0)
                    continue
                pause = self.poll_interval
                if started + failed < self.batch:
                    await wakeup.wait(stop)
        finally:
            await wakeup.close()

    async def start_pending(self) -> tuple[int, int]:
        """Start one batch of pending workflows; return how many started and failed."""
        async with self.pool.acquire() as conn, conn.transaction():
            rows = await conn.fetch(_PENDING, self.batch)
            outcomes = await asyncio.gather(
                *(_start_accepted(self.temporal, self.settings, r) for r in rows),
                return_exceptions=True,
            )
            started = [r["id"] for r, o in zip(rows, outcomes, strict=True) if o is None]
            failed = [
                (r["id"], repr(o)) for r, o in zip(rows, outcomes, strict=True) if o is not None
            ]
            await conn.execute(
                "UPDATE transfer_intake SET started_at = clock_timestamp()"
                " WHERE id = ANY($1::uuid[])",
                started,
            )
            for transfer_id, error in failed:
                log.warning("intake_start_failed", transfer_id=str(transfer_id), error=error)
            await conn.executemany(
                "UPDATE transfer_intake SET attempts = attempts + 1, last_error = $2 WHERE id = $1",
                failed,
            )
        return len(started), len(failed)
