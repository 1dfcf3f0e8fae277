"""Finding 1 (issue 15), behind the door: a step whose data the log cannot store is refused.

The HTTP types refuse such text (tests/security/test_control_characters.py); whoever reaches
Temporal directly, or a future field without the type, must still not make a workflow retry
its log entry for ever while holding its lock. A data error is a refusal of that one step:
the Update fails as invalid input, and the transfer (or the meeting) goes on taking valid steps.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest
from temporalio.client import WorkflowFailureError, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError

from mutasi.lifecycle import Ballot, StepInput, Vote
from tests.workflows.drive import (
    add_to_agenda,
    cast,
    close,
    hr,
    meeting_update,
    panel,
    start_meeting,
    start_transfer,
    step,
    verified_transfer,
    wait_status,
    within_transfer,
)

TENANT = "kota-sorong"
# A bound on a wait that, before the fix, never ended (the activity retried for ever).
STUCK_AFTER_S = 60


def _application_error(exc: BaseException) -> ApplicationError | None:
    while exc is not None and not isinstance(exc, ApplicationError):
        exc = exc.cause if hasattr(exc, "cause") else exc.__cause__  # type: ignore[assignment]
    return exc


async def test_a_proposal_whose_reasons_hold_a_nul_fails_at_once_instead_of_retrying(
    time_env, worker, pool
):
    data = replace(await within_transfer(pool, TENANT), reasons="Penyegaran\x00 pegawai")
    handle = await start_transfer(time_env.client, worker, data)
    with pytest.raises(WorkflowFailureError) as failed:
        await asyncio.wait_for(handle.result(), STUCK_AFTER_S)
    refusal = _application_error(failed.value)
    assert refusal is not None and refusal.type == "invalid-input"


async def test_a_withdrawal_whose_reason_holds_a_nul_is_refused_and_the_transfer_goes_on(
    time_env, worker, pool
):
    data, handle = await verified_transfer(time_env.client, worker, pool, TENANT)
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await asyncio.wait_for(
            step(handle, "withdraw", StepInput(hr(TENANT), "ditarik\x00")), STUCK_AFTER_S
        )
    refusal = _application_error(refused.value)
    assert refusal is not None and refusal.type == "invalid-input"
    withdrawn = await asyncio.wait_for(
        step(handle, "withdraw", StepInput(hr(TENANT), "Pegawai mengundurkan diri")),
        STUCK_AFTER_S,
    )
    assert withdrawn.status == "withdrawn"
    await wait_status(handle, "withdrawn")
    assert data.transfer_id == withdrawn.transfer_id


async def test_a_vote_whose_note_holds_a_nul_is_refused_and_the_meeting_goes_on(
    time_env, worker, pool
):
    """Before the fix the vote's entry retried for ever and the meeting could not close
    (closing waits for every vote being recorded)."""
    data, transfer = await verified_transfer(time_env.client, worker, pool, TENANT)
    member = panel(TENANT, 1)
    meeting = await start_meeting(time_env.client, worker, TENANT, [member], quorum=1)
    await add_to_agenda(meeting, TENANT, data.transfer_id)
    ballot = Ballot(member, [Vote(data.transfer_id, "abstain", "ragu\x00")])
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await asyncio.wait_for(meeting_update(meeting, "vote", ballot), STUCK_AFTER_S)
    refusal = _application_error(refused.value)
    assert refusal is not None and refusal.type == "invalid-input"
    await asyncio.wait_for(cast(meeting, member, data.transfer_id, "recommend"), STUCK_AFTER_S)
    closed = await asyncio.wait_for(close(meeting, TENANT), STUCK_AFTER_S)
    assert [(i.transfer_id, i.outcome) for i in closed.items] == [(data.transfer_id, "recommended")]
    await wait_status(transfer, "recommended")
