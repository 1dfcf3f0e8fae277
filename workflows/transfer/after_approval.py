"""The transfer workflow after the PPK's approval: decree, notice, the wait for TMT (in the
issuing government's time zone), the move — or a cancelling decree before TMT.

A mixin of TransferWorkflow (workflow.py), split off to keep each module small; it uses the
workflow's `_record`, `_deadline`, `_remind` and `_set`.

Versioning: histories recorded before issue 14 wait for TMT with a plain timer and cannot be
cancelled; `workflow.patched(CANCELLABLE)` keeps them so (tests/workflows/test_replay.py).
"""

from __future__ import annotations

from datetime import datetime

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from mutasi.domain.events import TransferEvent
    from mutasi.domain.lifecycle import TransferStatus
    from workflows.common.timing import LONG, WORK_RETRY, effective_at, sleep_until
    from workflows.transfer import steps
    from workflows.transfer.activities import (
        CancelInput,
        DecreeResult,
        TransferActivities,
        TransferStepInput,
    )
    from workflows.transfer.steps import PendingStep

S = TransferStatus
E = TransferEvent
CANCELLABLE = "decree-cancellable"  # the patch: a cancelling decree may end the wait for TMT


class AfterApproval:
    """Needs from the workflow: t, step, decree_number, _cancel, _cancellable, _record,
    _deadline, _remind, _set, _rest and _happens_before."""

    async def _decree_and_effect(self) -> None:
        self._cancellable = workflow.patched(CANCELLABLE)
        self.step += 1
        decree: DecreeResult = await workflow.execute_activity_method(
            TransferActivities.issue_decree,
            TransferStepInput(self.step, self.t),
            start_to_close_timeout=LONG,
            retry_policy=WORK_RETRY,
        )
        self.decree_number = decree.number
        self._set(S.DECREE_ISSUED)
        await self._record(
            E.NOTIFIED,
            None,
            None,
            {"decree_number": decree.number, "effective_date": self.t.effective_date},
            self._appointment(),
        )
        # Older decree results carry no moment: TMT began at 00:00 WIB then.
        tmt = (
            datetime.fromisoformat(decree.effective_at)
            if decree.effective_at
            else effective_at(self.t.effective_date)
        )
        if not await self._wait_until_effective(tmt):
            await self._annul()
            return
        self.step += 1
        await workflow.execute_activity_method(
            TransferActivities.make_effective,
            TransferStepInput(self.step, self.t),
            start_to_close_timeout=LONG,
            retry_policy=WORK_RETRY,
        )
        self._set(S.EFFECTIVE)
        await self._record(E.COMPLETED, None, None, {})

    async def _wait_until_effective(self, tmt: datetime) -> bool:
        """Durable timer until TMT; between governments, the 30-working-day appointment
        deadline runs meanwhile and is reminded and escalated if TMT lies beyond it.
        False: a cancelling decree came first."""
        pending = self._appointment()
        if pending is not None:
            deadline = await self._deadline(pending.tenant, pending.working_days)
            for event, at in (
                (E.REMINDER_SENT, deadline.reminder_at),
                (E.ESCALATED, deadline.due_at),
            ):
                if datetime.fromisoformat(at) >= tmt:
                    break
                if not await self._until(datetime.fromisoformat(at)):
                    return False
                await self._remind(event, pending, deadline)
        return await self._until(tmt)

    def _appointment(self) -> PendingStep | None:
        """Between governments, the receiving one appoints within 30 working days."""
        if not steps.is_inter_government(self.t):
            return None
        return PendingStep(
            "appointment",
            "hr_officer",
            self.t.target_tenant,
            steps.APPOINTMENT_WORKING_DAYS,
            "approver",
            self.t.target_tenant,
        )

    async def _until(self, moment: datetime) -> bool:
        """Wait until `moment`; False if a cancelling decree is asked for first."""
        if not self._cancellable:
            await sleep_until(moment)
            return True
        if moment > workflow.now():
            self._rest()  # waits for TMT in its status (notified)
        return not await self._happens_before(lambda: self._cancel is not None, moment.isoformat())

    async def _annul(self) -> None:
        assert self._cancel is not None
        self.step += 1
        await workflow.execute_activity_method(
            TransferActivities.cancel_decree,
            CancelInput(self.step, self.t, self._cancel.caller, self._cancel.reason or ""),
            start_to_close_timeout=LONG,
            retry_policy=WORK_RETRY,
        )
        self._set(S.CANCELLED)
