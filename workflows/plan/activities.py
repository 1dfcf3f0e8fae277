"""Activities of the plan workflow: optimise against the database, turn lines into
proposals, and take BKPSDM's steps on each proposal (verify, put on the panel's agenda).

Each is idempotent: events carry ids derived from (plan, step), transfer ids from (plan,
line), and every Update an id derived from the plan, so a retry repeats nothing.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

import asyncpg
from temporalio import activity
from temporalio.client import Client, WorkflowHandle, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError

from mutasi import lookups
from mutasi.attachments import DocumentsIncomplete, require_complete
from mutasi.auth import caller_proof
from mutasi.auth.policy import acting_role
from mutasi.domain.events import PlanEvent
from mutasi.domain.model import Employee, TransferKind, required_documents
from mutasi.lifecycle import (
    WITHIN_GOVERNMENT,
    AgendaRequest,
    Caller,
    TransferInput,
    TransferState,
    VerifyInput,
    meeting_workflow_id,
    transfer_workflow_id,
)
from mutasi.log.projections import ReadModels
from mutasi.log.store import Actor, NewEvent, append
from mutasi.planning.contract import LineOutcome, PlanSummary
from mutasi.planning.incentives import posting_incentives
from mutasi.planning.runs import optimise_plan, summary
from mutasi.planning.spec import PlanSpec
from workflows.common.records import step_event_id

_TRANSFER_NS = uuid5(NAMESPACE_URL, "https://mutasi.go.id/plan-lines")
CHECK_POLL = timedelta(milliseconds=300)
FILES_POLL = timedelta(seconds=3)  # how soon a line moves on once its files are uploaded


@dataclass
class OptimiseInput:
    plan_id: str
    tenant: str
    step: int
    revision: int
    spec: dict[str, Any]
    actor_id: str
    actor_role: str
    # Whoever draws up the plan is kept in place (R7: nobody proposes their own transfer).
    actor_nip: str | None = None


@dataclass
class ProposeInput:
    plan_id: str
    tenant: str
    step: int  # the first step number; one per line
    caller: Caller
    effective_date: str
    title: str


@dataclass
class AdvanceInput:
    plan_id: str
    line: int
    transfer_id: str
    caller: Caller
    meeting_id: str | None
    reason: str


def _now() -> float:
    """The workflow's clock as this attempt was scheduled, which the validators that check
    the seal read too (equal to the wall clock but for time-skipping tests)."""
    return activity.info().current_attempt_scheduled_time.timestamp()


def line_transfer_id(plan_id: str, line: int) -> str:
    return str(uuid5(_TRANSFER_NS, f"{plan_id}/{line}"))


def _justification(title: str, line: dict[str, Any]) -> str:
    parts = line["components"]
    return (
        f"Rencana mutasi '{title}', baris {line['line']}: nilai {line['value']:.2f} (tetap "
        f"{parts['stay_value']}), kesesuaian {parts['fit_score']}; disusun optimal oleh BKPSDM"
    )


class PlanActivities:
    def __init__(self, pool: asyncpg.Pool, client: Client) -> None:
        self.pool, self.client = pool, client

    @activity.defn
    async def optimise(self, data: OptimiseInput) -> PlanSummary:
        spec = PlanSpec.model_validate(data.spec)
        async with self.pool.acquire() as conn, conn.transaction():
            payload = await optimise_plan(conn, data.tenant, spec, data.revision, data.actor_nip)
            event = NewEvent(
                f"plan/{data.plan_id}", PlanEvent.OPTIMISED.value, payload,
                Actor(data.actor_id, data.actor_role),
                event_id=step_event_id(data.plan_id, data.step, "plan"),
            )  # fmt: skip
            [stored] = await append(conn, data.tenant, [event], projector=ReadModels())
        return summary(stored.payload)

    @activity.defn
    async def propose_lines(self, data: ProposeInput) -> list[TransferInput]:
        """Record each line's transfer (`plan.line_proposed`) before any is started, so the
        rule check (R1) finds the posts its sibling lines vacate; return what to start."""
        rows = await self.pool.fetch(
            "SELECT line, employee_nip, employee_name, origin_position_code, origin_unit_code,"
            " target_position_code, target_unit_code, value, components FROM plan_lines"
            " WHERE plan_id = $1 ORDER BY line",
            data.plan_id,
        )
        checklist = await self.pool.fetchval(
            "SELECT document_checklist FROM tenants WHERE slug = $1", data.tenant
        )
        documents = [d.code for d in required_documents(
            TransferKind.WITHIN_GOVERNMENT, list(checklist) if checklist else None)]  # fmt: skip
        actor = Actor(data.caller.sub, acting_role(data.caller.roles, ["plan.approve"]))
        starts, events = [], []
        for k, row in enumerate(rows):
            transfer_id = line_transfer_id(data.plan_id, row["line"])
            incentives = await self._incentives(data.tenant, row["employee_nip"],
                                                row["target_unit_code"])  # fmt: skip
            events.append(NewEvent(
                f"plan/{data.plan_id}", PlanEvent.LINE_PROPOSED.value,
                {"line": row["line"], "nip": row["employee_nip"], "transfer_id": transfer_id,
                 "target_position": row["target_position_code"]},
                actor, event_id=step_event_id(data.plan_id, data.step + k, "plan"),
            ))  # fmt: skip
            starts.append(TransferInput(
                transfer_id=transfer_id, tenant=data.tenant, target_tenant=data.tenant,
                kind=WITHIN_GOVERNMENT, employee_nip=row["employee_nip"],
                employee_name=row["employee_name"],
                origin_position_code=row["origin_position_code"],
                origin_unit_code=row["origin_unit_code"],
                target_position_code=row["target_position_code"],
                target_unit_code=row["target_unit_code"],
                reasons=f"Pelaksanaan rencana mutasi '{data.title}' (penempatan objektif)",
                expectations="Menempatkan kompetensi yang tepat dan memeratakan beban kerja",
                effective_date=data.effective_date, proposer=data.caller,
                justification=_justification(data.title, dict(row)), documents=documents,
                incentives=incentives,
            ))  # fmt: skip
        async with self.pool.acquire() as conn, conn.transaction():
            if events:
                await append(conn, data.tenant, events, projector=ReadModels())
        return starts

    async def _incentives(self, tenant: str, nip: str, unit: str) -> list[str]:
        """The government's incentive policy applied to the line's posting."""
        employee = await lookups.employee(self.pool, tenant, nip)
        home = Employee.model_validate(employee["data"]).home_city if employee else None
        return await posting_incentives(self.pool, tenant, home, unit)

    @activity.defn
    async def advance_line(self, data: AdvanceInput) -> LineOutcome:
        """BKPSDM's steps on a fresh proposal: once checked, verify it (the plan's approval
        is the verification) and put it on the panel's meeting, if one was named."""
        handle = self.client.get_workflow_handle(transfer_workflow_id(data.transfer_id))
        while (state := await handle.query("state", result_type=TransferState)).status in (
            "submitted",
        ):
            activity.heartbeat()
            await asyncio.sleep(CHECK_POLL.total_seconds())
        # BKPSDM's claims, proved when the plan was approved, sealed afresh: the rule check
        # and a long plan may outlive that seal (caller_proof.TTL_S).
        if state.status == "checked" and state.pending_step == "verify":
            state = await self._until_files(handle, data)
        caller = caller_proof.seal(data.caller, _now())
        if state.status == "checked" and state.pending_step == "verify":
            verify = VerifyInput(caller, "verified", data.reason)
            await self._update(handle, "verify", verify, data)
        state = await handle.query("state", result_type=TransferState)
        if data.meeting_id and state.status == "verified":
            meeting = self.client.get_workflow_handle(meeting_workflow_id(data.meeting_id))
            agenda = AgendaRequest(caller, data.transfer_id)
            await self._update(meeting, "add_item", agenda, data)
            state = await handle.query("state", result_type=TransferState)
        return LineOutcome(data.line, data.transfer_id, state.status)

    async def _until_files(
        self, handle: WorkflowHandle[Any, Any], data: AdvanceInput
    ) -> TransferState:
        """R10 holds for a plan's lines as for any proposal: the plan verifies a line only
        once BKPSDM has uploaded a file of every required document on its page (the line
        declares the government's checklist; a declaration is not a file). Until then the
        line waits, checked, and the plan page says so; BKPSDM may also verify it by hand."""
        while True:
            state: TransferState = await handle.query("state", result_type=TransferState)
            if state.status != "checked" or state.pending_step != "verify":
                return state  # taken by hand meanwhile (verified, returned, withdrawn)
            transfer = await self.pool.fetchrow(
                "SELECT id, kind, target_tenant, self_application FROM transfers WHERE id = $1",
                UUID(data.transfer_id),
            )
            try:
                if transfer is not None:
                    await require_complete(self.pool, transfer)
                    return state
            except DocumentsIncomplete as missing:
                activity.heartbeat(missing.extra.get("missing"))
            else:
                activity.heartbeat()
            await asyncio.sleep(FILES_POLL.total_seconds())

    async def _update(self, handle: WorkflowHandle[Any, Any], name: str, arg: Any,
                      data: AdvanceInput) -> None:  # fmt: skip
        try:
            await handle.execute_update(name, arg, id=f"plan-{data.plan_id}-{name}-{data.line}")
        except WorkflowUpdateFailedError as exc:
            # Refused (withdrawn meanwhile, the meeting closed): the line stays where it is
            # and the plan shows it so; BKPSDM can take the step by hand.
            cause = exc.cause
            message = cause.message if isinstance(cause, ApplicationError) else str(exc)
            activity.logger.info("plan line step %s refused: %s", name, message)

    def all(self) -> list[Any]:
        return [self.optimise, self.propose_lines, self.advance_line]
