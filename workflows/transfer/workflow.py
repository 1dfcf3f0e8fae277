"""TransferWorkflow: one durable workflow drives a transfer from proposal to completion.

Human steps are Updates: their validators check the caller's claims (passed by the service),
the current state and the input before anything is recorded, so a refused step changes nothing.
"""

from __future__ import annotations

import asyncio
from datetime import date, datetime, time, timedelta, timezone

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from mutasi.auth.policy import UPDATE_ACTIONS, allowed
    from mutasi.domain.events import STATUS_AFTER, TransferEvent, TransferStatus
    from mutasi.lifecycle import (
        Caller,
        DecisionInput,
        MeetingDecisionInput,
        ReviseInput,
        StepInput,
        TransferInput,
        TransferState,
    )
    from workflows.transfer.activities import (
        CheckResult,
        DecreeResult,
        RecordInput,
        TransferActivities,
        TransferStepInput,
    )

S = TransferStatus
DB_RETRY = RetryPolicy(initial_interval=timedelta(seconds=1),
                       maximum_interval=timedelta(seconds=30), backoff_coefficient=2.0)
ACTIVITY_TIMEOUT = timedelta(seconds=30)
WITHDRAWABLE = {S.SUBMITTED, S.CHECKED, S.RETURNED, S.VERIFIED, S.ON_AGENDA, S.RECOMMENDED,
                S.CONSENTED, S.PERTEK_GIVEN, S.APPROVED}


def refuse(message_id: str, message_en: str, kind: str = "illegal-transition") -> ApplicationError:
    return ApplicationError(f"{message_id} / {message_en}", type=kind, non_retryable=True)


@workflow.defn(name="TransferWorkflow")
class TransferWorkflow:
    def __init__(self) -> None:
        self.status: TransferStatus = S.SUBMITTED
        self.transfer: TransferInput | None = None
        self.step = 0
        self.decree_number: str | None = None
        self.failures: list[str] = []
        self.unjustified: list[str] = []  # soft rules broken with no written justification
        self.history: list[str] = []
        self._lock = asyncio.Lock()

    # --- queries -----------------------------------------------------------------------
    @workflow.query
    def state(self) -> TransferState:
        assert self.transfer is not None
        return TransferState(self.transfer.transfer_id, self.transfer.tenant, self.status.value,
                             self.pending_step(), self.decree_number, self.failures, self.history)

    def pending_step(self) -> str | None:
        if self.status is S.CHECKED and self.unjustified:
            return "revise"
        return {S.RETURNED: "revise", S.CHECKED: "verify", S.VERIFIED: "meeting_decide",
                S.RECOMMENDED: "decide"}.get(self.status)

    # --- the run -----------------------------------------------------------------------
    @workflow.run
    async def run(self, transfer: TransferInput) -> TransferState:
        self.transfer = transfer
        await self._record(TransferEvent.SUBMITTED, transfer.proposer, None, self._summary())
        await self._check()
        await workflow.wait_condition(lambda: self.status in (S.APPROVED, S.REJECTED, S.WITHDRAWN))
        if self.status is S.APPROVED:
            await self._decree_and_effect()
        return self.state()

    async def _check(self) -> None:
        assert self.transfer is not None
        self.step += 1
        result: CheckResult = await workflow.execute_activity_method(
            TransferActivities.check_eligibility, TransferStepInput(self.step, self.transfer),
            start_to_close_timeout=ACTIVITY_TIMEOUT, retry_policy=DB_RETRY)
        self.failures = [f["code"] for f in result.failures]
        self.unjustified = [w["code"] for w in result.warnings if not w["justified"]]
        self._set(S.CHECKED)
        if not result.passed:
            reasons = "; ".join(f"{f['code']}: {f['message']}" for f in result.failures)
            await self._record(TransferEvent.RETURNED, None, reasons, {"failures": result.failures})

    async def _decree_and_effect(self) -> None:
        assert self.transfer is not None
        self.step += 1
        decree: DecreeResult = await workflow.execute_activity_method(
            TransferActivities.issue_decree, TransferStepInput(self.step, self.transfer),
            start_to_close_timeout=ACTIVITY_TIMEOUT, retry_policy=DB_RETRY)
        self.decree_number = decree.number
        self._set(S.DECREE_ISSUED)
        await self._record(TransferEvent.NOTIFIED, None, None, {
            "decree_number": decree.number, "effective_date": self.transfer.effective_date})
        await workflow.sleep(self._until_effective())
        self.step += 1
        await workflow.execute_activity_method(
            TransferActivities.make_effective, TransferStepInput(self.step, self.transfer),
            start_to_close_timeout=ACTIVITY_TIMEOUT, retry_policy=DB_RETRY)
        self._set(S.EFFECTIVE)
        await self._record(TransferEvent.COMPLETED, None, None, {})

    def _until_effective(self) -> timedelta:
        assert self.transfer is not None
        # TMT starts at 00:00 WIB (UTC+7) of the effective date; zero if already reached.
        wib = timezone(timedelta(hours=7))
        starts = datetime.combine(date.fromisoformat(self.transfer.effective_date), time(), wib)
        return max(starts - workflow.now(), timedelta(0))

    async def _record(self, event_type: TransferEvent, caller: Caller | None, reason: str | None,
                      payload: dict[str, object]) -> None:
        assert self.transfer is not None
        self.step += 1
        actor_id, role = (caller.sub, caller.roles[0]) if caller else ("system", "system")
        await workflow.execute_activity_method(
            TransferActivities.record_event,
            RecordInput(self.transfer.tenant, self.transfer.transfer_id, self.step,
                        event_type.value, actor_id, role, reason, payload),
            start_to_close_timeout=ACTIVITY_TIMEOUT, retry_policy=DB_RETRY)
        if event_type in STATUS_AFTER:
            self._set(STATUS_AFTER[event_type])

    def _set(self, status: TransferStatus) -> None:
        self.status = status
        self.history.append(status.value)
        assert self.transfer is not None
        workflow.upsert_search_attributes({"MutasiStatus": [status.value]})

    def _summary(self) -> dict[str, object]:
        assert self.transfer is not None
        t = self.transfer
        return {
            "employee_nip": t.employee_nip, "employee_name": t.employee_name, "kind": t.kind,
            "target_tenant": t.target_tenant, "origin_position_code": t.origin_position_code,
            "origin_unit_code": t.origin_unit_code,
            "target_position_code": t.target_position_code,
            "target_unit_code": t.target_unit_code, "reasons": t.reasons,
            "expectations": t.expectations, "effective_date": t.effective_date,
            "justification": t.justification, "documents": t.documents,
            "self_application": t.self_application,
        }

    # --- updates -----------------------------------------------------------------------
    def _authorize(self, update: str, caller: Caller, *states: TransferStatus) -> None:
        assert self.transfer is not None
        if caller.tenant not in (self.transfer.tenant, self.transfer.target_tenant):
            raise refuse("Usulan mutasi tidak ditemukan", "Transfer not found", "not-found")
        if not allowed(UPDATE_ACTIONS[update], caller.roles):
            raise refuse("Peran Anda tidak berwenang untuk langkah ini",
                         "Your role may not take this step", "forbidden")
        if states and self.status not in states:
            raise refuse(f"Langkah '{update}' tidak dapat dilakukan pada status '{self.status}'",
                         f"Step '{update}' is not allowed in status '{self.status}'")

    @staticmethod
    def _need_reason(reason: str | None) -> None:
        if not reason or not reason.strip():
            raise refuse("Alasan wajib diisi", "A reason is required", "invalid-input")

    @workflow.update
    async def verify(self, data: StepInput) -> TransferState:
        async with self._lock:
            await self._record(TransferEvent.VERIFIED, data.caller, data.reason, {})
            return self.state()

    @verify.validator
    def _validate_verify(self, data: StepInput) -> None:
        self._authorize("verify", data.caller, S.CHECKED)
        if self.unjustified:
            codes = ", ".join(self.unjustified)
            raise refuse(f"Pembenaran tertulis wajib diisi untuk aturan {codes} sebelum verifikasi",
                         f"A written justification is required for {codes} before verification",
                         "justification-required")

    @workflow.update
    async def meeting_decide(self, data: MeetingDecisionInput) -> TransferState:
        event = {"recommended": TransferEvent.RECOMMENDED,
                 "not_recommended": TransferEvent.NOT_RECOMMENDED,
                 "deferred": TransferEvent.DEFERRED}[data.outcome]
        async with self._lock:
            await self._record(event, data.caller, data.reason, {"meeting_id": data.meeting_id})
            return self.state()

    @meeting_decide.validator
    def _validate_meeting_decide(self, data: MeetingDecisionInput) -> None:
        self._authorize("meeting_decide", data.caller, S.VERIFIED, S.ON_AGENDA)
        if data.outcome not in ("recommended", "not_recommended", "deferred"):
            raise refuse("Hasil rapat tidak dikenal", "Unknown meeting outcome", "invalid-input")
        if data.outcome != "recommended":
            self._need_reason(data.reason)

    @workflow.update
    async def decide(self, data: DecisionInput) -> TransferState:
        event = {"approved": TransferEvent.APPROVED, "rejected": TransferEvent.REJECTED,
                 "returned": TransferEvent.RETURNED}[data.outcome]
        async with self._lock:
            await self._record(event, data.caller, data.reason, {})
            return self.state()

    @decide.validator
    def _validate_decide(self, data: DecisionInput) -> None:
        self._authorize("decide", data.caller, S.RECOMMENDED)
        if data.outcome not in ("approved", "rejected", "returned"):
            raise refuse("Keputusan tidak dikenal", "Unknown decision", "invalid-input")
        if data.outcome != "approved":
            self._need_reason(data.reason)

    @workflow.update
    async def withdraw(self, data: StepInput) -> TransferState:
        async with self._lock:
            await self._record(TransferEvent.WITHDRAWN, data.caller, data.reason, {})
            return self.state()

    @withdraw.validator
    def _validate_withdraw(self, data: StepInput) -> None:
        assert self.transfer is not None
        self._authorize("withdraw", data.caller, *WITHDRAWABLE)
        self._need_reason(data.reason)
        caller = data.caller
        is_party = caller.sub == self.transfer.proposer.sub or (
            caller.nip is not None and caller.nip == self.transfer.employee_nip)
        if not is_party and "hr_officer" not in caller.roles:
            raise refuse("Hanya pengusul atau pegawai yang bersangkutan yang dapat menarik usulan",
                         "Only the proposer or the employee may withdraw", "forbidden")

    @workflow.update
    async def revise(self, data: ReviseInput) -> TransferState:
        assert self.transfer is not None
        async with self._lock:
            t = self.transfer
            t.justification = data.justification or t.justification
            t.target_position_code = data.target_position_code or t.target_position_code
            t.target_unit_code = data.target_unit_code or t.target_unit_code
            t.effective_date = data.effective_date or t.effective_date
            await self._record(TransferEvent.REVISED, data.caller, data.reason, self._summary())
            await self._check()
            return self.state()

    @revise.validator
    def _validate_revise(self, data: ReviseInput) -> None:
        # CHECKED too: a proposer adds the justification a soft rule asks for.
        self._authorize("revise", data.caller, S.RETURNED, S.CHECKED)
