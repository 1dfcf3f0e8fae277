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

from mutasi.deadlines import service_level
from mutasi.domain.events import TransferEvent
from mutasi.lifecycle import TransferInput
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


@dataclass
class DeadlineInput:
    tenant: str  # whose service level and time zone apply (BKN: national, WIB)
    start: str  # ISO datetime the step began (workflow time)
    working_days: int | None = None  # None: the tenant's SLA (tenants.sla_working_days)


@dataclass
class Deadline:
    working_days: int
    reminder_at: str  # ISO datetime (UTC): end of the working day before the deadline
    due_at: str  # ISO datetime (UTC): end of the last working day


class TransferActivities:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool
        self.projector = ReadModels()

    @activity.defn
    async def check_eligibility(self, data: TransferStepInput) -> CheckResult:
        from workflows.transfer.eligibility import evaluate_transfer

        t = data.transfer
        async with self.pool.acquire() as conn, conn.transaction():
            result = await evaluate_transfer(conn, t)
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
                    },
                ),
                self.projector,
            )
        return result

    @activity.defn
    async def compute_deadline(self, data: DeadlineInput) -> Deadline:
        """Deadlines come from an activity: holiday data changes between library versions,
        and a replay must see the deadline the workflow saw when it ran."""
        level = await service_level(self.pool, data.tenant)
        days = data.working_days or level.working_days
        start = datetime.fromisoformat(data.start)
        due = level.due_at(start, days)
        reminder = level.calendar.deadline_at(start, max(days - 1, 0), level.time_zone)
        return Deadline(days, reminder.isoformat(), due.isoformat())

    @activity.defn
    async def issue_decree(self, data: TransferStepInput) -> DecreeResult:
        from workflows.transfer.decree import decree_signer, issue_decree

        async with self.pool.acquire() as conn, conn.transaction():
            number, digest = await issue_decree(conn, data.transfer)
            t = data.transfer
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
                        "decree_number": number,
                        "document_sha256": digest,
                        "effective_date": t.effective_date,
                        "issuing_tenant": t.target_tenant,
                        "signed_by": await decree_signer(conn, t),
                    },
                ),
                self.projector,
            )
        return DecreeResult(number, digest)

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
            self.issue_decree,
            self.make_effective,
        ]
