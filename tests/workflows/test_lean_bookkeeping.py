"""Issue 17's leaner bookkeeping (patch "lean-bookkeeping"): the same deadlines, reminders and
statuses with fewer history events; and a transfer started before the change completes
after it with the bookkeeping it began with (time-skipping)."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

from temporalio import workflow
from temporalio.api.enums.v1 import EventType
from temporalio.worker import UnsandboxedWorkflowRunner, Worker

from mutasi.auth import caller_proof
from mutasi.lifecycle import DecisionInput, TransferInput, TransferState, VerifyInput
from tests.workflows.drive import (
    approved_transfer,
    business_now,
    deadline_events,
    due_of,
    hr,
    ppk,
    start_transfer,
    step,
    through_meeting,
    wait_status,
    within_transfer,
)
from workflows.common.records import LogActivities
from workflows.transfer.activities import TransferActivities
from workflows.transfer.workflow import LEAN, TransferWorkflow
from workflows.worker import build_worker

E = EventType


@workflow.defn(name="TransferWorkflow")
class BeforeLean(TransferWorkflow):
    """The transfer workflow as it ran before the patch: the unpatched branch, which the
    replay of the histories recorded before it (test_replay) shows to be the old code."""

    @workflow.init
    def __init__(self, transfer: TransferInput) -> None:
        super().__init__(transfer)

    @workflow.run
    async def run(self, transfer: TransferInput) -> TransferState:
        return await super().run(transfer)

    def _lean(self) -> bool:
        return False


async def _history(handle):  # noqa: ANN001, ANN202
    return (await handle.fetch_history()).events


def _patches(events) -> set[str]:  # noqa: ANN001
    return {
        e.marker_recorded_event_attributes.details["patch-data"].payloads[0].data.decode()
        for e in events
        if e.event_type == E.EVENT_TYPE_MARKER_RECORDED
        and e.marker_recorded_event_attributes.marker_name == "core_patch"
    }


def _statuses_shown(events) -> list[str]:  # noqa: ANN001
    shown = []
    for e in events:
        if e.event_type == E.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
            fields = e.upsert_workflow_search_attributes_event_attributes.search_attributes
            if "MutasiStatus" in fields.indexed_fields:
                shown.append(json.loads(fields.indexed_fields["MutasiStatus"].data))
    return shown


async def test_a_transfer_started_before_the_patch_completes_after_it(time_env, pool, settings):
    caller_proof.install(caller_proof.secret(settings))  # as the worker fixture does
    client, queue = time_env.client, f"tq-{uuid4()}"
    today = (await business_now(time_env)).date()
    data = await within_transfer(pool, effective_in_days=2, today=today)
    before = Worker(
        client,
        task_queue=queue,
        workflows=[BeforeLean],
        activities=[*TransferActivities(pool).all(), LogActivities(pool).record_event],
        workflow_runner=UnsandboxedWorkflowRunner(),
        max_cached_workflows=0,  # no sticky queue: the next worker takes over at once
    )
    async with before:
        handle = await start_transfer(client, before, data)
        await wait_status(handle, "checked")
    # Today's worker replays the old history and carries the transfer on to completion.
    worker = build_worker(client, queue, pool, 10)
    async with worker:
        state, due = await due_of(handle)
        await time_env.sleep(due - await business_now(time_env) - timedelta(minutes=1))
        [reminder] = await deadline_events(pool, data.transfer_id, 1)
        assert reminder["payload"]["due_at"] == state.due_at
        await step(handle, "verify", VerifyInput(hr(data.tenant)))
        await through_meeting(client, worker, data.tenant, data.transfer_id)
        await wait_status(handle, "recommended")
        await step(handle, "decide", DecisionInput(ppk(data.tenant), "approved"))
        await time_env.sleep(timedelta(days=3))
        assert (await wait_status(handle, "completed")).status == "completed"
    events = await _history(handle)
    assert not any(LEAN in p for p in _patches(events))
    # The old bookkeeping throughout: a MutasiStatus upsert at every status, a timer per step.
    kinds = [e.event_type for e in events]
    assert kinds.count(E.EVENT_TYPE_TIMER_CANCELED) >= 3
    assert kinds.count(E.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES) >= 10


async def test_a_new_transfer_keeps_one_timer_and_upserts_only_at_rest(time_env, worker, pool):
    _, handle = await approved_transfer(time_env, worker, pool, days=0, until="completed")
    events = await _history(handle)
    assert any(LEAN in p for p in _patches(events))
    kinds = [e.event_type for e in events]
    # The steps were taken long before their deadlines: the one alarm armed at the first
    # step was never cancelled nor started again (before: a timer started and cancelled
    # per step).
    assert kinds.count(E.EVENT_TYPE_TIMER_STARTED) == 1
    assert kinds.count(E.EVENT_TYPE_TIMER_CANCELED) == 0
    # MutasiStatus each time it came to rest in a new status (before: at all ten statuses);
    # TMT was today, so it did not rest at notified.
    assert _statuses_shown(events) == [
        "checked",
        "verified",
        "on_agenda",
        "recommended",
        "completed",
    ]
    # Only the check's deadline needed a local activity of its own; every other step's
    # came with the fact that entered it (before: one compute_deadline per step).
    locals_ = kinds.count(E.EVENT_TYPE_MARKER_RECORDED) - len(_patches(events))
    assert locals_ == 8  # 7 facts recorded + the deadline after the check


async def test_an_earlier_moment_re_arms_the_alarm_tmt_before_the_first_reminder(
    time_env, worker, pool
):
    today = (await business_now(time_env)).date()
    data = await within_transfer(pool, effective_in_days=1, today=today)
    handle = await start_transfer(time_env.client, worker, data)
    await wait_status(handle, "checked")
    _, verify_due = await due_of(handle)
    await step(handle, "verify", VerifyInput(hr(data.tenant)))
    await through_meeting(time_env.client, worker, data.tenant, data.transfer_id)
    await wait_status(handle, "recommended")
    await step(handle, "decide", DecisionInput(ppk(data.tenant), "approved"))
    tmt = datetime.combine(today + timedelta(days=1), time(0, 30), ZoneInfo("Asia/Jayapura"))
    assert tmt < verify_due - timedelta(days=1)  # the alarm was armed for a later reminder
    await time_env.sleep(tmt - await business_now(time_env))
    assert (await wait_status(handle, "completed", timeout=10)).status == "completed"
    kinds = [e.event_type for e in await _history(handle)]
    assert kinds.count(E.EVENT_TYPE_TIMER_CANCELED) == 1  # re-armed once, for TMT
