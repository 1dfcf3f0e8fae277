"""TransferWorkflow: one durable workflow drives a transfer from proposal to completion.

Human steps are Updates: their validators check the caller's claims (passed by the service),
the current state and the input before anything is recorded, so a refused step changes
nothing; the handler checks again under the lock, since two accepted Updates may race.
Each waiting step has a deadline in working days (from an activity): a reminder the working
day before, an escalation when it passes, both recorded as events for the notification service.

Versioning: a change to this code that alters the commands of a running transfer must be
wrapped in `workflow.patched("<change-id>")`; tests/workflows/test_replay.py replays the
recorded histories under tests/workflows/histories/ and fails on a non-deterministic change.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from mutasi.domain.events import TransferEvent
    from mutasi.domain.lifecycle import PEOPLE_DONE, STATUS_AFTER, TransferStatus
    from mutasi.lifecycle import (
        SEARCH_STATUS,
        AgendaInput,
        Caller,
        DecisionInput,
        MeetingDecisionInput,
        ReviseInput,
        StepInput,
        TransferInput,
        TransferState,
        VerifyInput,
    )
    from workflows.common.alarm import Alarm
    from workflows.common.records import LogActivities, RecordInput
    from workflows.common.refusals import check_proof, refuse, role_for
    from workflows.common.timing import (
        LOG_RETRY,
        LONG,
        SHORT,
        WORK_RETRY,
        happens_before,
    )
    from workflows.transfer import steps
    from workflows.transfer.activities import (
        CheckResult,
        Deadline,
        DeadlineInput,
        StepRecorded,
        StepRecordInput,
        TransferActivities,
        TransferStepInput,
    )
    from workflows.transfer.after_approval import AfterApproval
    from workflows.transfer.steps import EVENT_FOR, PendingStep

S = TransferStatus
E = TransferEvent
SEARCH_START = S.SUBMITTED  # the intake starts every transfer with MutasiStatus "submitted"
# Patches (workflow.patched), each replayed against histories recorded before it:
INCENTIVES_RECORDED = "incentives-recorded"  # the proposal's incentives in submitted/revised
# Less bookkeeping per transfer (issue 17): MutasiStatus upserted when the transfer comes to
# rest in a new status, not at every fact; the next step's deadline counted by the local
# activity that records the fact (record_step), not by one of its own; one alarm timer for
# every reminder, escalation and TMT (workflows/common/alarm.py), not one timer per step.
LEAN = "lean-bookkeeping"


@workflow.defn(name="TransferWorkflow")
class TransferWorkflow(AfterApproval):
    @workflow.init
    def __init__(self, transfer: TransferInput) -> None:
        # Set from the input before any Update is validated: one may arrive with the start.
        self.t = transfer
        self.status: TransferStatus = S.SUBMITTED
        self.step = 0  # numbers every recorded fact: the event id is (transfer, step)
        self.transitions = 0
        self.decree_number: str | None = None
        self.failures: list[str] = []
        self.unjustified: list[str] = []  # soft rules broken with no written justification
        self.history: list[str] = []
        self.meeting_id: str | None = None
        self.meetings_decided: list[str] = []
        self.due_at: str | None = None
        self._cancel: StepInput | None = None  # a cancelling decree asked for (AfterApproval)
        self._cancellable = False
        self._lock = asyncio.Lock()  # held while a change is being recorded
        self._rechecking = False
        self._alarm = Alarm()
        self._shown: TransferStatus | None = SEARCH_START  # MutasiStatus in Temporal's visibility
        # A deadline counted with the fact that entered the status: (transitions, tenant,
        # working days) it is for, and the deadline.
        self._prepared: tuple[tuple[int, str, int | None], Deadline] | None = None

    # --- queries -----------------------------------------------------------------------
    @workflow.query
    def state(self) -> TransferState:
        pending = self._pending()
        return TransferState(
            self.t.transfer_id,
            self.t.tenant,
            self.status.value,
            pending.name if pending else None,
            self.decree_number,
            self.failures,
            self.history,
            self.t.target_tenant,
            self.t.kind,
            self.t.employee_nip,
            pending.role if pending else None,
            pending.tenant if pending else None,
            self.due_at if pending else None,
            self.meeting_id,
            self.meetings_decided,
        )

    def _pending(self) -> PendingStep | None:
        return steps.pending_step(self.t, self.status, bool(self.unjustified))

    # --- the run -----------------------------------------------------------------------
    @workflow.run
    async def run(self, transfer: TransferInput) -> TransferState:
        async with self._lock:  # a withdrawal waits until the check has been recorded
            summary = steps.summary(self.t, workflow.patched(INCENTIVES_RECORDED))
            await self._record(E.SUBMITTED, transfer.proposer, None, summary)
            await self._check()
        while self.status not in PEOPLE_DONE:
            await self._await_human_step()
        if self.status is S.APPROVED:
            await self._decree_and_effect()
        await workflow.wait_condition(workflow.all_handlers_finished)
        self._rest()
        return self.state()

    async def _check(self) -> None:
        self.step += 1
        result: CheckResult = await workflow.execute_activity_method(
            TransferActivities.check_eligibility,
            TransferStepInput(self.step, self.t),
            start_to_close_timeout=LONG,
            retry_policy=WORK_RETRY,
        )
        self.failures = [f["code"] for f in result.failures]
        self.unjustified = [w["code"] for w in result.warnings if not w["justified"]]
        self._set(S.CHECKED)
        if not result.passed:
            reasons = "; ".join(f"{f['code']}: {f['message']}" for f in result.failures)
            await self._record(
                E.RETURNED, None, reasons, {"step": "check", "failures": result.failures}
            )

    async def _await_human_step(self) -> None:
        """Wait for the pending step; remind the day before its deadline, escalate after."""
        entered = self.transitions
        pending = self._pending()
        self.due_at = None
        if pending is None:  # the system is working (a check after a revision)
            await workflow.wait_condition(lambda: self.transitions != entered)
            return
        deadline = await self._deadline(pending.tenant, pending.working_days)
        self.due_at = deadline.shown_due_at or deadline.due_at
        self._rest()
        for event, at in ((E.REMINDER_SENT, deadline.reminder_at), (E.ESCALATED, deadline.due_at)):
            if await self._happens_before(lambda: self.transitions != entered, at):
                return
            async with self._lock:
                if self.transitions == entered:
                    await self._remind(event, pending, deadline)
        await workflow.wait_condition(lambda: self.transitions != entered)

    async def _happens_before(self, condition: Callable[[], bool], moment: str) -> bool:
        if self._lean():
            return await self._alarm.happens_before(condition, datetime.fromisoformat(moment))
        return await happens_before(condition, moment)

    async def _deadline(self, tenant: str, working_days: int | None) -> Deadline:
        prepared, self._prepared = self._prepared, None
        if prepared is not None and prepared[0] == (self.transitions, tenant, working_days):
            return prepared[1]  # counted with the fact that entered this status
        return await workflow.execute_local_activity_method(
            TransferActivities.compute_deadline,
            DeadlineInput(tenant, workflow.now().isoformat(), working_days),
            start_to_close_timeout=SHORT,
            retry_policy=LOG_RETRY,
        )

    async def _remind(self, event: TransferEvent, pending: PendingStep, deadline: Deadline) -> None:
        # The deadline as the government's calendar shows it (timers run on workflow time).
        shown = deadline.shown_due_at or deadline.due_at
        facts = steps.deadline_facts(pending, deadline.working_days, shown)
        await self._record(event, None, None, facts)

    async def _record(
        self,
        event_type: TransferEvent,
        caller: Caller | None,
        reason: str | None,
        payload: dict[str, object],
        next_step: PendingStep | None = None,
    ) -> None:
        # A local activity: a few milliseconds of SQL need no round trip through the server.
        self.step += 1
        actor_id, role = ("system", "system")
        if caller is not None:  # the role that authorised the step, not merely the first one
            updates = steps.UPDATES_OF.get(event_type.value, frozenset())
            actor_id = caller.sub
            role = role_for(caller, updates) if updates else steps.proposing_role(caller)
        data = RecordInput(
            self.t.tenant,
            self.t.transfer_id,
            self.step,
            event_type.value,
            actor_id,
            role,
            reason,
            payload,
        )
        after = STATUS_AFTER.get(event_type)
        if not self._lean():
            await workflow.execute_local_activity_method(
                LogActivities.record_event,
                data,
                start_to_close_timeout=SHORT,
                retry_policy=LOG_RETRY,
            )
            if after is not None:
                self._set(after)
            return
        ask = self._next_deadline(after, next_step)
        recorded: StepRecorded = await workflow.execute_local_activity_method(
            TransferActivities.record_step,
            StepRecordInput(data, ask),
            start_to_close_timeout=SHORT,
            retry_policy=LOG_RETRY,
        )
        if after is not None:
            self._set(after)
        if ask is not None and recorded.deadline is not None:
            key = (self.transitions, ask.tenant, ask.working_days)
            self._prepared = (key, recorded.deadline)

    def _next_deadline(
        self, after: TransferStatus | None, next_step: PendingStep | None
    ) -> DeadlineInput | None:
        """The deadline of the step a person takes next, if the fact moves the transfer on to
        one (the run loop asks for it right after; the count is the same, made earlier)."""
        if next_step is None and after is not None:
            next_step = steps.pending_step(self.t, after, bool(self.unjustified))
        if next_step is None:
            return None
        return DeadlineInput(next_step.tenant, workflow.now().isoformat(), next_step.working_days)

    def _lean(self) -> bool:
        """Whether this run does issue 17's leaner bookkeeping: a transfer started before it
        keeps the bookkeeping its history recorded (the patch is decided once per run)."""
        return workflow.patched(LEAN)

    def _set(self, status: TransferStatus) -> None:
        self.status = status
        self.transitions += 1
        self.history.append(status.value)
        if not self._lean():
            workflow.upsert_search_attributes([SEARCH_STATUS.value_set(status.value)])
            self._shown = status

    def _rest(self) -> None:
        """The transfer waits (for a person, for TMT) or has ended: show its status in
        Temporal's visibility if it changed since it was last shown."""
        if self._shown is not self.status and self._lean():
            workflow.upsert_search_attributes([SEARCH_STATUS.value_set(self.status.value)])
            self._shown = self.status

    # --- updates -----------------------------------------------------------------------
    @property
    def _busy(self) -> bool:
        """A change is being recorded: validators leave the status to the handler's recheck."""
        return self._lock.locked() and not self._rechecking

    def _recheck(self, validate: Callable[[], None]) -> None:
        """Under the lock: another Update or the system may have moved the transfer since."""
        self._rechecking = True
        try:
            validate()
        finally:
            self._rechecking = False

    async def _take(
        self,
        validate: Callable[[], None],
        update: str,
        outcome: str,
        caller: Caller,
        reason: str | None,
        payload: dict[str, object],
    ) -> TransferState:
        async with self._lock:
            self._recheck(validate)
            facts = {"step": update, **payload}
            await self._record(EVENT_FOR[(update, outcome)], caller, reason, facts)
            return self.state()

    def _check_step(self, update: str, caller: Caller) -> None:
        steps.check_step(update, caller, self.t, self.status, self._pending(), self._busy)
        self._authentic(caller)

    def _authentic(self, caller: Caller) -> None:
        """The caller's proof (issue 15, finding 4), after the party and role checks so a
        stranger still learns nothing more than not-found. Not in a handler's recheck: that
        is replayed, and a rotated secret must not change an old history."""
        if not self._rechecking:
            check_proof(caller, workflow.now().timestamp())

    @workflow.update
    async def verify(self, data: VerifyInput) -> TransferState:
        return await self._take(
            lambda: self._validate_verify(data),
            "verify",
            data.outcome,
            data.caller,
            data.reason,
            {},
        )

    @verify.validator
    def _validate_verify(self, data: VerifyInput) -> None:
        self._check_step("verify", data.caller)
        steps.check_outcome("verify", data.outcome, data.reason)

    @workflow.update
    async def place_on_agenda(self, data: AgendaInput) -> TransferState:
        async with self._lock:
            self._recheck(lambda: self._validate_place_on_agenda(data))
            await self._record(
                E.PLACED_ON_AGENDA, data.caller, None, {"meeting_id": data.meeting_id}
            )
            self.meeting_id = data.meeting_id
            return self.state()

    @place_on_agenda.validator
    def _validate_place_on_agenda(self, data: AgendaInput) -> None:
        self._check_step("place_on_agenda", data.caller)

    @workflow.update
    async def meeting_decide(self, data: MeetingDecisionInput) -> TransferState:
        async with self._lock:
            self._recheck(lambda: self._validate_meeting_decide(data))
            await self._record(
                EVENT_FOR[("meeting_decide", data.outcome)],
                data.caller,
                data.reason,
                {"meeting_id": data.meeting_id, "votes": data.votes},
            )
            self.meetings_decided.append(str(data.meeting_id))
            if data.outcome == "deferred":
                self.meeting_id = None  # waits for the next meeting's agenda
            return self.state()

    @meeting_decide.validator
    def _validate_meeting_decide(self, data: MeetingDecisionInput) -> None:
        self._check_step("meeting_decide", data.caller)
        if data.meeting_id != self.meeting_id and not self._busy:
            raise refuse(
                "Usulan ini tidak berada pada agenda rapat tersebut",
                "This transfer is not on that meeting's agenda",
            )
        steps.check_outcome("meeting_decide", data.outcome, data.reason)

    @workflow.update
    async def consent(self, data: DecisionInput) -> TransferState:
        return await self._take(
            lambda: self._validate_consent(data),
            "consent",
            data.outcome,
            data.caller,
            data.reason,
            {"reference": data.reference},
        )

    @consent.validator
    def _validate_consent(self, data: DecisionInput) -> None:
        self._check_step("consent", data.caller)
        steps.check_outcome("consent", data.outcome, data.reason)

    @workflow.update
    async def pertek(self, data: DecisionInput) -> TransferState:
        return await self._take(
            lambda: self._validate_pertek(data),
            "pertek",
            data.outcome,
            data.caller,
            data.reason,
            {"reference": data.reference},
        )

    @pertek.validator
    def _validate_pertek(self, data: DecisionInput) -> None:
        self._check_step("pertek", data.caller)
        steps.check_outcome("pertek", data.outcome, data.reason)

    @workflow.update
    async def decide(self, data: DecisionInput) -> TransferState:
        return await self._take(
            lambda: self._validate_decide(data),
            "decide",
            data.outcome,
            data.caller,
            data.reason,
            {},
        )

    @decide.validator
    def _validate_decide(self, data: DecisionInput) -> None:
        self._check_step("decide", data.caller)
        steps.check_outcome("decide", data.outcome, data.reason)

    @workflow.update
    async def withdraw(self, data: StepInput) -> TransferState:
        async with self._lock:
            self._recheck(lambda: self._validate_withdraw(data))
            await self._record(
                E.WITHDRAWN, data.caller, data.reason, {"from_status": self.status.value}
            )
            return self.state()

    @withdraw.validator
    def _validate_withdraw(self, data: StepInput) -> None:
        steps.check_withdraw(self.t, data.caller, self.status, data.reason, self._busy)
        self._authentic(data.caller)

    @workflow.update
    async def revise(self, data: ReviseInput) -> TransferState:
        async with self._lock:
            self._recheck(lambda: self._validate_revise(data))
            t = self.t
            t.justification = data.justification or t.justification
            t.target_position_code = data.target_position_code or t.target_position_code
            t.target_unit_code = data.target_unit_code or t.target_unit_code
            t.effective_date = data.effective_date or t.effective_date
            t.documents = data.documents if data.documents is not None else t.documents
            t.incentives = data.incentives if data.incentives is not None else t.incentives
            summary = steps.summary(self.t, workflow.patched(INCENTIVES_RECORDED))
            await self._record(E.REVISED, data.caller, data.reason, summary)
            await self._check()
            return self.state()

    @workflow.update
    async def cancel_decree(self, data: StepInput) -> TransferState:
        """BKPSDM annuls the decree before TMT: a cancelling decree, then the transfer ends."""
        self._cancel = data
        await workflow.wait_condition(lambda: self.status is S.CANCELLED)
        return self.state()

    @cancel_decree.validator
    def _validate_cancel_decree(self, data: StepInput) -> None:
        steps.check_cancel_decree(self.t, data.caller, self.status, data.reason)
        self._authentic(data.caller)
        if self._cancel is not None:
            raise refuse("Pembatalan SK sedang diproses", "The decree is being annulled already")
        if not self._cancellable:  # decreed before cancelling decrees existed (issue 14)
            raise refuse(
                "SK ini tidak dapat dibatalkan melalui sistem; hubungi administrator",
                "This decree predates cancellation in the system",
            )

    @revise.validator
    def _validate_revise(self, data: ReviseInput) -> None:
        steps.check_revise(self.t, data.caller, self.status, self._busy, data.effective_date)
        self._authentic(data.caller)
