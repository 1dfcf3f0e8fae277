"""Every (status, step) pair of the transfer lifecycle, against a table a reader can check.

The table below is written out by hand from SPEC §4; the lifecycle module must agree with
it pair by pair, within one government and between governments, and with the workflow's
own refusals (workflows/transfer/steps.py), which read the module.
"""

from __future__ import annotations

import itertools

import pytest
from temporalio.exceptions import ApplicationError

from mutasi.domain.events import TransferEvent
from mutasi.domain.lifecycle import (
    BEFORE_DECREE,
    DECIDED,
    EVENT_OF,
    FINISHED,
    OPEN,
    OUTCOMES,
    STATUS_AFTER,
    Step,
    may_take,
    pending_step,
    status_after,
)
from mutasi.domain.lifecycle import TransferStatus as S
from mutasi.lifecycle import Caller, TransferInput
from workflows.transfer import steps

W, D, V, A, M, C, P, R, X = (
    Step.WITHDRAW, Step.DECIDE, Step.VERIFY, Step.PLACE_ON_AGENDA, Step.MEETING_DECIDE,
    Step.CONSENT, Step.PERTEK, Step.REVISE, Step.CANCEL_DECREE,
)  # fmt: skip
# status -> (steps allowed within one government, steps allowed between governments)
ALLOWED: dict[S, tuple[set[Step], set[Step]]] = {
    S.DRAFT: (set(), set()),
    S.SUBMITTED: ({W}, {W}),
    S.CHECKED: ({V, R, W}, {V, R, W}),
    S.RETURNED: ({R, W}, {R, W}),
    S.VERIFIED: ({A, W}, {A, W}),
    S.ON_AGENDA: ({M, W}, {M, W}),
    S.RECOMMENDED: ({D, W}, {C, W}),
    S.CONSENTED: ({W}, {P, W}),  # within one government never reached
    S.PERTEK_GIVEN: ({W}, {D, W}),
    S.APPROVED: (set(), set()),
    S.REJECTED: (set(), set()),
    S.WITHDRAWN: (set(), set()),
    S.DECREE_ISSUED: ({X}, {X}),
    S.NOTIFIED: ({X}, {X}),
    S.EFFECTIVE: (set(), set()),
    S.COMPLETED: (set(), set()),
    S.CANCELLED: (set(), set()),
}
PAIRS = list(itertools.product(S, Step, (False, True)))


def test_the_table_names_every_status():
    assert set(ALLOWED) == set(S)


@pytest.mark.parametrize(("status", "step", "inter"), PAIRS)
def test_each_step_is_allowed_exactly_where_the_table_says(status, step, inter):
    expected = step in ALLOWED[status][inter]
    assert may_take(step, status, inter_government=inter) is expected


@pytest.mark.parametrize("inter", [False, True])
def test_a_checked_proposal_missing_a_justification_goes_back_to_its_proposer(inter):
    waits = pending_step(S.CHECKED, inter_government=inter, unjustified=True)
    assert waits is not None and waits.step is Step.REVISE and waits.role is None
    assert not may_take(Step.VERIFY, S.CHECKED, inter_government=inter, unjustified=True)


@pytest.mark.parametrize("status", list(S))
def test_each_status_is_before_the_decree_decided_finished_or_a_draft(status):
    homes = [status in BEFORE_DECREE, status in DECIDED, status in FINISHED]  # one each
    assert sum(homes) == (0 if status is S.DRAFT else 1)
    assert (status in OPEN) is (status not in FINISHED)


def test_people_wait_only_before_the_decree():
    for status, inter in itertools.product(S, (False, True)):
        if pending_step(status, inter_government=inter) is not None:
            assert status in BEFORE_DECREE


@pytest.mark.parametrize(("step", "outcome"), list(EVENT_OF))
def test_each_outcome_records_one_event_and_leads_to_a_status(step, outcome):
    assert outcome == "" or outcome in OUTCOMES[step]
    assert isinstance(status_after(step, outcome), S)


def test_every_outcome_of_every_step_has_its_event():
    for step, outcomes in OUTCOMES.items():
        for outcome in outcomes:
            assert (step, outcome) in EVENT_OF


def test_only_events_about_the_case_itself_leave_the_status_unchanged():
    unchanged = {e for e in TransferEvent if e not in STATUS_AFTER}
    assert unchanged == {TransferEvent.REMINDER_SENT, TransferEvent.ESCALATED}


# --- the workflow's validators agree with the table -----------------------------------------
ORIGIN, TARGET = "kota-medan", "provinsi-jambi"
PROPOSER = Caller("nip:198001012005011001", TARGET, ["hr_officer"], nip="198001012005011001")


def _transfer(inter: bool) -> TransferInput:
    origin = ORIGIN if inter else TARGET
    kind = "between_provinces" if inter else "within_government"
    return TransferInput(
        "t-1", origin, TARGET, kind, "198503142010011002", "Budi", "p1", "u1", "p2", "u2",
        "alasan", "harapan", "2026-09-01", PROPOSER,
    )  # fmt: skip


def _caller_for(step: Step, status: S, t: TransferInput) -> Caller:
    """Someone who may take `step` if the status allows it: right role, right government."""
    waits = steps.pending_step(t, status, unjustified=False)
    if step in (Step.WITHDRAW, Step.REVISE):
        return PROPOSER
    tenant = waits.tenant if waits is not None and waits.name == step else TARGET
    role = {V: "hr_officer", A: "hr_officer", M: "panel_member", C: "approver", P: "bkn_officer"}
    if step is X:
        return Caller("bkpsdm", TARGET, ["hr_officer"])
    return Caller("someone", tenant, [role.get(step, "approver")])


def _validator_allows(step: Step, status: S, t: TransferInput) -> bool:
    caller = _caller_for(step, status, t)
    try:
        if step is Step.WITHDRAW:
            steps.check_withdraw(t, caller, status, "alasan")
        elif step is Step.REVISE:
            steps.check_revise(t, caller, status)
        elif step is Step.CANCEL_DECREE:
            steps.check_cancel_decree(t, caller, status, "SK memuat jabatan yang keliru")
        else:
            steps.check_step(step, caller, t, status, steps.pending_step(t, status, False))
    except ApplicationError as refused:
        assert refused.type == "illegal-transition", refused
        return False
    return True


@pytest.mark.parametrize(("status", "step", "inter"), PAIRS)
def test_the_workflow_refuses_exactly_the_pairs_the_table_refuses(status, step, inter):
    expected = step in ALLOWED[status][inter]
    assert _validator_allows(step, status, _transfer(inter)) is expected
