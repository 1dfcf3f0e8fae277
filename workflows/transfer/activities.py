"""Activities of the transfer workflow: all I/O lives here, each idempotent per step.

Each records its fact through workflows.common.records, whose event id per (stream, step)
makes a retried activity find its event instead of appending a second one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import asyncpg
from temporalio import activity

from mutasi import clock
from mutasi.auth.policy import acting_role
from mutasi.deadlines import service_level
from mutasi.domain.events import TransferEvent
from mutasi.lifecycle import Caller, TransferInput
from mutasi.log.projections import ReadModels
from mutasi.logging import get_logger
from workflows.common.records import RecordInput, RecordResult, record

log = get_logger(__name__)


@dataclass
class TransferStepInput:
    step: int
    transfer: TransferInput


@dataclass
class CheckResult:
    passed: bool
    failures: list[dict[str, Any]]
    warnings: list[dict[str, Any]]
    match_score: int


@dataclass
class DecreeResult:
    number: str
    document_sha256: str
    # When TMT begins, 00:00 in the receiving government's zone, on workflow time (ISO).
    # None in histories recorded before issue 14: TMT began at 00:00 WIB then.
    effective_at: str | None = None


@dataclass
class CancelInput:
    step: int
    transfer: TransferInput
    caller: Caller
    reason: str


@dataclass
class DeadlineInput:
    tenant: str  # whose service level and time zone apply (BKN: national, WIB)
    start: str  # ISO datetime the step began (workflow time)
    working_days: int | None = None  # None: the tenant's SLA (tenants.sla_working_days)


@dataclass
class Deadline:
    working_days: int
    reminder_at: str  # ISO datetime, workflow time: end of the working day before the deadline
    due_at: str  # ISO datetime, workflow time: end of the last working day
    # The deadline as the government's calendar shows it (differs from due_at only when the
    # clock is moved, mutasi/clock.py); None in histories recorded before issue 14.
    shown_due_at: str | None = None


@dataclass
class StepRecordInput:
    """One fact to record and, when the transfer then waits for a person, that step's
    deadline to count in the same local activity (patch "lean-bookkeeping")."""

    record: RecordInput
    deadline: DeadlineInput | None = None


@dataclass
class StepRecorded:
    sequence: int
    event_id: str
    deadline: Deadline | None = None


async def count_deadline(db: asyncpg.Pool | asyncpg.Connection, data: DeadlineInput) -> Deadline:
    level = await service_level(db, data.tenant)
    days = data.working_days or level.working_days
    start = clock.from_workflow_time(datetime.fromisoformat(data.start))
    due = level.due_at(start, days)
    reminder = level.calendar.deadline_at(start, max(days - 1, 0), level.time_zone)
    return Deadline(
        days,
        clock.to_workflow_time(reminder).isoformat(),
        clock.to_workflow_time(due).isoformat(),
        due.isoformat(),
    )


class TransferActivities:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool
        self.projector = ReadModels()

    @activity.defn
    async def check_eligibility(self, data: TransferStepInput) -> CheckResult:
        from workflows.transfer.eligibility import evaluate_transfer

        t = data.transfer
        async with self.pool.acquire() as conn, conn.transaction():
            result, rules = await evaluate_transfer(conn, t)
            await record(
                conn,
                RecordInput(
                    t.tenant,
                    t.transfer_id,
                    data.step,
                    TransferEvent.CHECKED,
                    "system",
                    "system",
                    None,
                    {
                        "passed": result.passed,
                        "failures": result.failures,
                        "warnings": result.warnings,
                        "match_score": result.match_score,
                        "rules": rules,
                    },
                ),
                self.projector,
            )
        return result

    @activity.defn
    async def compute_deadline(self, data: DeadlineInput) -> Deadline:
        """Deadlines come from an activity: holiday data changes between library versions,
        and a replay must see the deadline the workflow saw when it ran."""
        return await count_deadline(self.pool, data)

    @activity.defn
    async def record_step(self, data: StepRecordInput) -> StepRecorded:
        """A local activity: the fact appended (and projected) in one transaction, and the
        next step's deadline counted on the same connection, instead of a second local
        activity (compute_deadline) for it."""
        async with self.pool.acquire() as conn:
            async with conn.transaction():
                stored = await record(conn, data.record, self.projector)
            due = await count_deadline(conn, data.deadline) if data.deadline else None
        return StepRecorded(stored.sequence, stored.event_id, due)

    @activity.defn
    async def issue_decree(self, data: TransferStepInput) -> DecreeResult:
        from workflows.transfer.decree import issue_decree

        t = data.transfer
        async with self.pool.acquire() as conn, conn.transaction():
            issued = await issue_decree(conn, t)
            zone = await conn.fetchval(
                "SELECT timezone FROM tenants WHERE slug = $1", t.target_tenant
            )
            await record(
                conn,
                RecordInput(
                    t.tenant,
                    t.transfer_id,
                    data.step,
                    TransferEvent.DECREE_ISSUED,
                    "system",
                    "system",
                    None,
                    {
                        "decree_number": issued.number,
                        "document_sha256": issued.sha256,
                        "effective_date": t.effective_date,
                        "issuing_tenant": t.target_tenant,
                        "signed_by": issued.signed_by,
                    },
                ),
                self.projector,
            )
        # TMT starts at midnight where the employee takes up the post (WIB, WITA or WIT).
        starts = clock.start_of(date.fromisoformat(t.effective_date), zone or clock.WIB)
        return DecreeResult(
            issued.number, issued.sha256, clock.to_workflow_time(starts).isoformat()
        )

    @activity.defn
    async def cancel_decree(self, data: CancelInput) -> RecordResult:
        """A cancelling decree annuls the decree before TMT; the employee stays where they are."""
        from workflows.transfer.decree import cancel_decree

        t = data.transfer
        async with self.pool.acquire() as conn, conn.transaction():
            annulled, cancelling = await cancel_decree(conn, t, data.reason)
            return await record(
                conn,
                RecordInput(
                    t.tenant,
                    t.transfer_id,
                    data.step,
                    TransferEvent.DECREE_CANCELLED,
                    data.caller.sub,
                    acting_role(data.caller.roles, ["transfer.cancel_decree"]),
                    data.reason,
                    {
                        "decree_number": annulled,
                        "cancelling_decree_number": cancelling,
                        "issuing_tenant": t.target_tenant,
                    },
                ),
                self.projector,
            )

    @activity.defn
    async def make_effective(self, data: TransferStepInput) -> RecordResult:
        """Move the employee: position history and both units' headcounts change together.

        The projection of `transfer.effective` does the move in the append's transaction
        (employees, position_holdings; headcounts are the view position_filled), so the log
        entry and its effect commit as one, and a retry finds the entry and changes nothing.
        """
        t = data.transfer
        async with self.pool.acquire() as conn, conn.transaction():
            return await record(
                conn,
                RecordInput(
                    t.tenant,
                    t.transfer_id,
                    data.step,
                    TransferEvent.EFFECTIVE,
                    "system",
                    "system",
                    None,
                    {
                        "employee_nip": t.employee_nip,
                        "target_tenant": t.target_tenant,
                        "origin_position_code": t.origin_position_code,
                        "origin_unit_code": t.origin_unit_code,
                        "target_position_code": t.target_position_code,
                        "target_unit_code": t.target_unit_code,
                        "effective_date": date.fromisoformat(t.effective_date).isoformat(),
                    },
                ),
                self.projector,
            )

    def all(self) -> list[Any]:
        return [
            self.check_eligibility,
            self.compute_deadline,
            self.record_step,
            self.issue_decree,
            self.cancel_decree,
            self.make_effective,
        ]
