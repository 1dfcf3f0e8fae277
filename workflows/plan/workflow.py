"""PlanWorkflow: one transfer plan (rencana mutasi) from BKPSDM's draft to its last transfer.

Drafting starts the workflow, which optimises at once (an activity: the lines go to the log
as `plan.optimised`, the workflow keeps the summary). BKPSDM edits or re-optimises (Updates),
then approves; each line then becomes a proposal — a TransferWorkflow started as a child
that outlives the plan — which the plan verifies for BKPSDM once the rules are checked and
puts on the panel's meeting, if one was named. The plan waits for every line to finish and
records how they ended. Updates are validated like the transfer's: role and government from
the policy table, the status, the input; a refused Update records nothing.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import date, timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import SearchAttributePair, TypedSearchAttributes
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from pydantic import ValidationError

    from mutasi.auth.policy import acting_role
    from mutasi.domain.events import PlanEvent
    from mutasi.lifecycle import (
        SEARCH_KIND,
        SEARCH_STATUS,
        SEARCH_TENANT,
        SEARCH_UNIT,
        WORKFLOW_NAME,
        Caller,
        TransferInput,
        TransferState,
        transfer_workflow_id,
    )
    from mutasi.planning.contract import (
        LineOutcome,
        PlanApproveInput,
        PlanEditInput,
        PlanInput,
        PlanState,
        PlanStepInput,
        PlanSummary,
    )
    from mutasi.planning.settings import decimals_as_text
    from mutasi.planning.spec import PlanSpec
    from workflows.common.records import LogActivities, RecordInput
    from workflows.common.refusals import check_proof, check_role, refuse
    from workflows.common.timing import LOG_RETRY, SHORT, WORK_RETRY
    from workflows.plan.activities import (
        AdvanceInput,
        OptimiseInput,
        PlanActivities,
        ProposeInput,
    )

EDITABLE = ("draft", "optimised")
# The policy action that authorises each recorded step: its role is the one the log records.
ACTION_OF = {
    PlanEvent.DRAFTED: "plan.draft",
    PlanEvent.EDITED: "plan.edit",
    PlanEvent.APPROVED: "plan.approve",
    PlanEvent.CANCELLED: "plan.cancel",
}
OPTIMISE_TIMEOUT = timedelta(minutes=10)
ADVANCE_TIMEOUT = timedelta(minutes=15)


@workflow.defn(name="PlanWorkflow")
class PlanWorkflow:
    @workflow.init
    def __init__(self, plan: PlanInput) -> None:
        self.p = plan
        self.spec: dict[str, Any] = plan.spec
        self.status = "draft"
        self.step = 0
        self.summary: PlanSummary | None = None
        self.meeting_id: str | None = None
        self.approval: PlanApproveInput | None = None
        self.lines: list[LineOutcome] = []
        self._lock = asyncio.Lock()

    @workflow.query
    def state(self) -> PlanState:
        problem = self.summary.problem if self.summary else None
        revision = self.summary.revision if self.summary else 0
        return PlanState(self.p.plan_id, self.p.tenant, self.status, revision, self.summary,
                         self.meeting_id, self.lines, problem)  # fmt: skip

    @workflow.run
    async def run(self, plan: PlanInput) -> PlanState:
        async with self._lock:
            spec = decimals_as_text(self.spec)
            await self._record(PlanEvent.DRAFTED, plan.created_by, plan.reason,
                               {"title": self.spec["title"], "spec": spec})  # fmt: skip
            await self._optimise(plan.created_by)
        await workflow.wait_condition(lambda: self.status in ("approved", "cancelled"))
        if self.status == "approved":
            await self._carry_out()
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self.state()

    # --- steps ---------------------------------------------------------------------------
    async def _record(
        self, event: PlanEvent, caller: Caller | None, reason: str | None, payload: dict[str, Any]
    ) -> None:
        self.step += 1
        actor_id, role = ("system", "system")
        if caller is not None:
            actor_id, role = caller.sub, acting_role(caller.roles, [ACTION_OF[event]])
        await workflow.execute_local_activity_method(
            LogActivities.record_event,
            RecordInput(
                self.p.tenant,
                self.p.plan_id,
                self.step,
                event.value,
                actor_id,
                role,
                reason,
                payload,
                aggregate="plan",
            ),  # fmt: skip
            start_to_close_timeout=SHORT,
            retry_policy=LOG_RETRY,
        )

    async def _optimise(self, caller: Caller) -> None:
        self.step += 1
        revision = (self.summary.revision if self.summary else 0) + 1
        self.summary = await workflow.execute_activity_method(
            PlanActivities.optimise,
            OptimiseInput(
                self.p.plan_id,
                self.p.tenant,
                self.step,
                revision,
                self.spec,
                caller.sub,
                acting_role(caller.roles, ["plan.optimise"]),
                caller.nip,
            ),  # fmt: skip
            start_to_close_timeout=OPTIMISE_TIMEOUT,
            retry_policy=WORK_RETRY,
        )
        self.status = "draft" if self.summary.problem else "optimised"

    async def _carry_out(self) -> None:
        """Every line a proposal; BKPSDM's steps taken on each; wait for all to finish."""
        approval = self.approval
        assert approval is not None and approval.effective_date is not None
        self.step += 1
        starts: list[TransferInput] = await workflow.execute_activity_method(
            PlanActivities.propose_lines,
            ProposeInput(
                self.p.plan_id,
                self.p.tenant,
                self.step,
                approval.caller,
                approval.effective_date,
                self.spec["title"],
            ),  # fmt: skip
            start_to_close_timeout=OPTIMISE_TIMEOUT,
            retry_policy=WORK_RETRY,
        )
        self.step += len(starts)
        self.status = "in_progress"
        self.lines = [LineOutcome(k, t.transfer_id, "submitted") for k, t in enumerate(starts, 1)]
        handles = await asyncio.gather(*(self._start(t) for t in starts))
        reason = f"Diverifikasi dengan persetujuan rencana mutasi '{self.spec['title']}'"
        advanced = await asyncio.gather(*(
            workflow.execute_activity_method(
                PlanActivities.advance_line,
                AdvanceInput(self.p.plan_id, line.line, line.transfer_id, approval.caller,
                             approval.meeting_id, reason),  # fmt: skip
                start_to_close_timeout=ADVANCE_TIMEOUT,
                heartbeat_timeout=timedelta(seconds=30),
                retry_policy=WORK_RETRY,
            )
            for line in self.lines
        ))  # fmt: skip
        self.lines = list(advanced)
        finished = await asyncio.gather(*handles, return_exceptions=True)
        for line, result in zip(self.lines, finished, strict=True):
            line.status = result.status if isinstance(result, TransferState) else "failed"
        self.status = "completed"
        outcomes = dict(Counter(line.status for line in self.lines))
        await self._record(PlanEvent.COMPLETED, None, None, {"outcomes": outcomes})

    async def _start(self, t: TransferInput) -> Any:
        return await workflow.start_child_workflow(
            WORKFLOW_NAME,
            t,
            id=transfer_workflow_id(t.transfer_id),
            task_queue=workflow.info().task_queue,
            result_type=TransferState,
            parent_close_policy=ParentClosePolicy.ABANDON,
            execution_timeout=timedelta(days=730),
            search_attributes=TypedSearchAttributes([
                SearchAttributePair(SEARCH_TENANT, t.tenant),
                SearchAttributePair(SEARCH_STATUS, "submitted"),
                SearchAttributePair(SEARCH_UNIT, t.origin_unit_code or ""),
                SearchAttributePair(SEARCH_KIND, t.kind),
            ]),
        )  # fmt: skip

    # --- updates -------------------------------------------------------------------------
    def _check(self, update: str, caller: Caller, statuses: tuple[str, ...]) -> None:
        if caller.tenant != self.p.tenant:
            raise refuse("Rencana mutasi tidak ditemukan", "Plan not found", "not-found")
        check_role(update, caller)
        check_proof(caller, workflow.now().timestamp())
        if self.status not in statuses or self._lock.locked():
            raise refuse(
                f"Langkah ini tidak dapat dilakukan pada rencana berstatus '{self.status}'",
                f"Not allowed while the plan is '{self.status}'",
            )

    @workflow.update
    async def plan_edit(self, data: PlanEditInput) -> PlanState:
        async with self._lock:
            changed = [k for k in data.spec if data.spec.get(k) != self.spec.get(k)]
            self.spec = data.spec
            payload = {"spec": decimals_as_text(data.spec), "changed": changed}
            await self._record(PlanEvent.EDITED, data.caller, data.reason, payload)
            await self._optimise(data.caller)
            return self.state()

    @plan_edit.validator
    def _validate_edit(self, data: PlanEditInput) -> None:
        self._check("plan_edit", data.caller, EDITABLE)
        try:
            PlanSpec.model_validate(data.spec)
        except ValidationError as exc:
            raise refuse("Isian rencana tidak sah", f"Invalid plan: {exc.errors()[0]['msg']}",
                         "invalid-input") from exc  # fmt: skip

    @workflow.update
    async def plan_optimise(self, data: PlanStepInput) -> PlanState:
        async with self._lock:
            await self._optimise(data.caller)
            return self.state()

    @plan_optimise.validator
    def _validate_optimise(self, data: PlanStepInput) -> None:
        self._check("plan_optimise", data.caller, EDITABLE)

    @workflow.update
    async def plan_approve(self, data: PlanApproveInput) -> PlanState:
        async with self._lock:
            spec = PlanSpec.model_validate(self.spec)
            effective = data.effective_date or spec.scope.period_start.isoformat()
            self.approval = PlanApproveInput(data.caller, effective, data.meeting_id, data.reason)
            self.meeting_id = data.meeting_id
            assert self.summary is not None
            await self._record(PlanEvent.APPROVED, data.caller, data.reason, {
                "revision": self.summary.revision, "effective_date": effective,
                "meeting_id": data.meeting_id, "lines": self.summary.moves,
            })  # fmt: skip
            self.status = "approved"
            return self.state()

    @plan_approve.validator
    def _validate_approve(self, data: PlanApproveInput) -> None:
        self._check("plan_approve", data.caller, ("optimised",))
        if self.summary is None or self.summary.moves == 0:
            raise refuse("Rencana ini tidak memuat mutasi", "The plan moves nobody")
        if data.effective_date is not None:
            try:
                date.fromisoformat(data.effective_date)
            except ValueError as exc:
                raise refuse("TMT tidak sah", "Invalid effective date", "invalid-input") from exc

    @workflow.update
    async def plan_cancel(self, data: PlanStepInput) -> PlanState:
        async with self._lock:
            await self._record(PlanEvent.CANCELLED, data.caller, data.reason,
                               {"reason": data.reason or ""})  # fmt: skip
            self.status = "cancelled"
            return self.state()

    @plan_cancel.validator
    def _validate_cancel(self, data: PlanStepInput) -> None:
        self._check("plan_cancel", data.caller, EDITABLE)
        if not data.reason or not data.reason.strip():
            raise refuse("Alasan wajib diisi", "A reason is required", "invalid-input")
