"""The plan workflow on time-skipping Temporal: drafted and optimised at once, edited, refused
steps change nothing, approved lines become proposals verified once their files are uploaded,
a cancelled plan ends."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any
from uuid import UUID, uuid4

import pytest
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError

from mutasi.attachments import NewAttachment, add_attachment, checklist, storage_for
from mutasi.lifecycle import TransferState, transfer_workflow_id
from mutasi.log.store import Actor
from mutasi.planning.contract import (
    PLAN_WORKFLOW_NAME,
    PlanApproveInput,
    PlanEditInput,
    PlanInput,
    PlanState,
    PlanStepInput,
    plan_workflow_id,
)
from tests.e2e.scenario import PDF
from tests.integration.planning_support import import_file, jambi
from tests.workflows.drive import events_of, hr, keep_history, panel, state_of, wait_status
from workflows.plan.activities import FILES_POLL


@pytest.fixture
async def province(pool):
    place = await jambi(pool)
    for kind in ("employees", "positions", "assessments"):
        await import_file(pool, place, kind)
    return place


def spec(**rules: Any) -> dict[str, Any]:
    return {
        "title": "Rencana Mutasi Uji",
        "scope": {"units": [], "period_start": "2026-12-01"},
        "rules": {"max_moves": 3, **rules},
    }


async def draft(client, worker, tenant: str, body: dict) -> WorkflowHandle:  # noqa: ANN001
    plan_id = str(uuid4())
    handle = await client.start_workflow(
        PLAN_WORKFLOW_NAME,
        PlanInput(plan_id, tenant, hr(tenant), body),
        id=plan_workflow_id(plan_id),
        task_queue=worker.task_queue,
    )
    for _ in range(400):
        state = await handle.query("state", result_type=PlanState)
        if state.status != "draft" or state.summary is not None:
            return handle
        await asyncio.sleep(0.05)
    raise AssertionError("the plan was never optimised")


async def update(handle: WorkflowHandle, name: str, arg: object) -> PlanState:
    return await handle.execute_update(name, arg, result_type=PlanState)


async def test_an_edited_plan_is_optimised_again_and_refused_steps_change_nothing(
    time_env, worker, pool, province
):
    handle = await draft(time_env.client, worker, province.tenant, spec())
    first = await handle.query("state", result_type=PlanState)
    assert (first.status, first.revision, first.summary.gap) == ("optimised", 1, "0.00")
    assert first.summary.moves == 3
    assert float(first.summary.value) >= float(first.summary.greedy_value)
    with pytest.raises(WorkflowUpdateFailedError):
        await update(handle, "plan_approve", PlanApproveInput(panel(province.tenant, 1)))
    with pytest.raises(WorkflowUpdateFailedError):
        await update(handle, "plan_cancel", PlanStepInput(hr(province.tenant)))  # no reason
    with pytest.raises(WorkflowUpdateFailedError):
        await update(handle, "plan_edit", PlanEditInput(hr(province.tenant), {"title": ""}))
    forged = replace(hr(province.tenant), proof=None)  # the claims alone, without the seal
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await update(handle, "plan_cancel", PlanStepInput(forged, "Batal"))
    assert refused.value.cause.type == "forbidden"
    edited = await update(handle, "plan_edit", PlanEditInput(hr(province.tenant),
                                                             spec(max_moves=1)))  # fmt: skip
    assert (edited.revision, edited.summary.moves) == (2, 1)
    stream = f"plan/{handle.id.removeprefix('plan-')}"
    log = [e["event_type"] for e in await events_of(pool, stream)]
    assert log == ["plan.drafted", "plan.optimised", "plan.edited", "plan.optimised"]
    cancelled = await update(handle, "plan_cancel", PlanStepInput(hr(province.tenant), "Batal"))
    assert cancelled.status == "cancelled"
    assert (await handle.result())["status"] == "cancelled"  # the run ended
    await keep_history(handle, "plan_edited_then_cancelled")


async def lines_all(handle: WorkflowHandle, wanted: str) -> PlanState:
    for _ in range(600):
        state = await handle.query("state", result_type=PlanState)
        if state.lines and all(line.status == wanted for line in state.lines):
            return state
        await asyncio.sleep(0.1)
    raise AssertionError(f"lines never {wanted}: {state}")


async def upload_checklist(pool, settings, transfer_id: str) -> None:  # noqa: ANN001
    """BKPSDM uploads a file of every document the line's checklist requires."""
    transfer = await pool.fetchrow("SELECT * FROM transfers WHERE id = $1", UUID(transfer_id))
    for document in await checklist(pool, transfer):
        new = NewAttachment(transfer, document.code, f"{document.code}.pdf", PDF,
                            Actor(f"bkpsdm@{transfer['tenant']}", "hr_officer"))  # fmt: skip
        await add_attachment(pool, storage_for(settings), new)


async def test_approved_lines_become_verified_proposals_of_the_plan(
    time_env, worker, pool, province, settings
):
    handle = await draft(time_env.client, worker, province.tenant, spec())
    approved = await update(
        handle, "plan_approve", PlanApproveInput(hr(province.tenant), "2026-12-01")
    )
    assert approved.status == "approved"
    # R10 as for any proposal: each line waits, checked, until its files are uploaded.
    state = await lines_all(handle, "submitted")  # the plan's view until a line moves on
    transfers = [time_env.client.get_workflow_handle(transfer_workflow_id(line.transfer_id))
                 for line in state.lines]  # fmt: skip
    for transfer in transfers:
        await wait_status(transfer, "checked")
    await asyncio.sleep(2 * FILES_POLL.total_seconds())  # the plan looked, more than once
    for transfer in transfers:
        assert (await state_of(transfer)).status == "checked"
    for line in state.lines:
        await upload_checklist(pool, settings, line.transfer_id)
    state = await lines_all(handle, "verified")
    assert len(state.lines) == 3 and state.status == "in_progress"
    for line in state.lines:
        transfer = time_env.client.get_workflow_handle(transfer_workflow_id(line.transfer_id))
        found = await transfer.query("state", result_type=TransferState)
        assert (found.status, found.pending_step) == ("verified", "place_on_agenda")
        checks = await events_of(pool, f"transfer/{line.transfer_id}")
        assert checks[1]["event_type"] == "transfer.checked"
        assert checks[1]["payload"]["passed"] is True, checks[1]["payload"]
    with pytest.raises(WorkflowUpdateFailedError):
        await update(handle, "plan_edit", PlanEditInput(hr(province.tenant), spec()))
    await keep_history(handle, "plan_approved_lines_verified")
