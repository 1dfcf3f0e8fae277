"""Driving transfers and meetings straight through Temporal, as the services would."""

from __future__ import annotations

import asyncio
import json
import os
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import asyncpg
from temporalio.client import Client, WorkflowHandle
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from mutasi import clock
from mutasi.auth import caller_proof
from mutasi.domain.model import INTER_GOVERNMENT_DOCUMENTS
from mutasi.lifecycle import (
    BKN_TENANT,
    AgendaRequest,
    Ballot,
    Caller,
    CloseMeetingInput,
    DecisionInput,
    MeetingInput,
    MeetingMember,
    MeetingState,
    TransferInput,
    TransferState,
    VerifyInput,
    Vote,
    meeting_workflow_id,
    transfer_workflow_id,
)
from tests.e2e.scenario import DOCUMENTS, movable_case
from workflows.meeting.workflow import MeetingWorkflow
from workflows.transfer.workflow import TransferWorkflow

HISTORIES = Path(__file__).parent / "histories"


def sealed(caller: Caller) -> Caller:
    """As the services pass callers: with their proof (the worker fixture installs the
    session's secret). Valid for decades: the session's time-skipping server moves its
    clock ahead test after test, and the validators read that clock."""
    return caller_proof.seal(caller, time.time(), ttl_s=50 * 366 * 86400)


def hr(tenant: str) -> Caller:
    return sealed(Caller(f"bkpsdm@{tenant}", tenant, ["hr_officer"]))


def ppk(tenant: str) -> Caller:
    return sealed(Caller(f"ppk@{tenant}", tenant, ["approver"]))


def panel(tenant: str, n: int, nip: str | None = None) -> Caller:
    return sealed(Caller(f"penilai-{n}@{tenant}", tenant, ["panel_member"], nip=nip))


async def within_transfer(
    pool: asyncpg.Pool,
    tenant: str = "kota-sorong",
    effective_in_days: int = 0,
    today: date | None = None,
) -> TransferInput:
    """`today`: the (skipped) workflow clock's date, from which TMT is counted."""
    case = await movable_case(pool, tenant)
    return TransferInput(
        transfer_id=str(uuid4()),
        tenant=tenant,
        target_tenant=tenant,
        kind="within_government",
        employee_nip=case.nip,
        employee_name=case.name,
        origin_position_code=case.position,
        origin_unit_code=case.unit,
        target_position_code=case.target_position,
        target_unit_code=case.target_unit,
        reasons="Pemerataan beban kerja",
        expectations="Pelayanan lebih baik",
        effective_date=((today or clock.today()) + timedelta(days=effective_in_days)).isoformat(),
        proposer=hr(tenant),
        justification="Kebutuhan organisasi",
        documents=DOCUMENTS,
    )


async def business_now(env: WorkflowEnvironment) -> datetime:
    """The skipped workflow clock as the system's clock reads it (mutasi.clock)."""
    return clock.from_workflow_time(await env.get_current_time())


async def start_transfer(
    client: Client, worker: Worker, data: TransferInput
) -> WorkflowHandle[Any, Any]:
    return await client.start_workflow(
        TransferWorkflow.run,
        data,
        id=transfer_workflow_id(data.transfer_id),
        task_queue=worker.task_queue,
    )


async def state_of(handle: WorkflowHandle[Any, Any]) -> TransferState:
    result: TransferState = await handle.query("state", result_type=TransferState)
    return result


async def wait_status(
    handle: WorkflowHandle[Any, Any], *statuses: str, timeout: float = 30
) -> TransferState:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        try:
            state = await state_of(handle)
            if state.status in statuses:
                return state
        except Exception:  # noqa: BLE001 - the first workflow task may not have run yet
            state = None
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"never reached {statuses}; last: {state}")
        await asyncio.sleep(0.1)


async def step(handle: WorkflowHandle[Any, Any], update: str, arg: object) -> TransferState:
    result: TransferState = await handle.execute_update(update, arg, result_type=TransferState)
    return result


async def verified_transfer(
    client: Client, worker: Worker, pool: asyncpg.Pool, tenant: str
) -> tuple[TransferInput, WorkflowHandle[Any, Any]]:
    """A transfer within the government, checked and verified by BKPSDM."""
    data = await within_transfer(pool, tenant)
    handle = await start_transfer(client, worker, data)
    await wait_status(handle, "checked")
    await step(handle, "verify", VerifyInput(hr(tenant)))
    return data, handle


async def start_meeting(
    client: Client,
    worker: Worker,
    tenant: str,
    members: list[Caller],
    quorum: int,
    continue_after_events: int = 0,
) -> WorkflowHandle[Any, Any]:
    meeting_id = str(uuid4())
    data = MeetingInput(
        meeting_id,
        tenant,
        "Rapat Tim Penilai Kinerja",
        clock.today().isoformat(),
        "Ruang Rapat BKPSDM",
        [MeetingMember(m.sub, f"Anggota {m.sub}", m.nip) for m in members],
        quorum,
        hr(tenant),
        "Kota Sorong",
        continue_after_events=continue_after_events,
    )
    return await client.start_workflow(
        MeetingWorkflow.run, data, id=meeting_workflow_id(meeting_id), task_queue=worker.task_queue
    )


async def meeting_update(
    handle: WorkflowHandle[Any, Any], update: str, arg: object
) -> MeetingState:
    result: MeetingState = await handle.execute_update(update, arg, result_type=MeetingState)
    return result


async def add_to_agenda(
    meeting: WorkflowHandle[Any, Any], tenant: str, transfer_id: str
) -> MeetingState:
    return await meeting_update(meeting, "add_item", AgendaRequest(hr(tenant), transfer_id))


async def cast(
    meeting: WorkflowHandle[Any, Any], member: Caller, transfer_id: str, vote: str
) -> MeetingState:
    return await meeting_update(meeting, "vote", Ballot(member, [Vote(transfer_id, vote)]))


async def close(
    meeting: WorkflowHandle[Any, Any], tenant: str, deferred: list[str] | None = None
) -> MeetingState:
    return await meeting_update(meeting, "close", CloseMeetingInput(hr(tenant), deferred or []))


async def events_of(pool: asyncpg.Pool, stream: str) -> list[asyncpg.Record]:
    return list(
        await pool.fetch(
            "SELECT event_type, actor_id, actor_role, reason, payload, occurred_at FROM event_log"
            " WHERE stream = $1 ORDER BY version",
            stream,
        )
    )


async def keep_history(handle: WorkflowHandle[Any, Any], name: str) -> None:
    """Record the workflow's history for the replay test when MUTASI_RECORD_HISTORIES=1.

    A recorded history is never overwritten: old histories stand for workflows still running
    in production. Delete a file deliberately to record it again.
    """
    path = HISTORIES / f"{name}.json"
    if os.environ.get("MUTASI_RECORD_HISTORIES") != "1" or path.exists():
        return
    history = await handle.fetch_history()
    data = json.loads(history.to_json())
    HISTORIES.mkdir(exist_ok=True)
    path.write_text(json.dumps(data, indent=1) + "\n")


async def through_meeting(client: Client, worker: Worker, tenant: str, transfer_id: str) -> None:
    """A one-member meeting that recommends the transfer."""
    member = panel(tenant, 1)
    meeting = await start_meeting(client, worker, tenant, [member], quorum=1)
    await add_to_agenda(meeting, tenant, transfer_id)
    await cast(meeting, member, transfer_id, "recommend")
    await close(meeting, tenant)


async def approved_transfer(
    env: WorkflowEnvironment, worker: Worker, pool: asyncpg.Pool, days: int, until: str
) -> tuple[TransferInput, WorkflowHandle[Any, Any]]:
    """A within-government transfer with its TMT `days` from the business day, taken through
    verification, a meeting and the PPK's approval, until it shows `until`."""
    today = (await business_now(env)).date()
    data = await within_transfer(pool, effective_in_days=days, today=today)
    handle = await start_transfer(env.client, worker, data)
    await wait_status(handle, "checked")
    await step(handle, "verify", VerifyInput(hr(data.tenant)))
    await through_meeting(env.client, worker, data.tenant, data.transfer_id)
    await wait_status(handle, "recommended")
    await step(handle, "decide", DecisionInput(ppk(data.tenant), "approved"))
    await wait_status(handle, until)
    return data, handle


async def employee_post(pool: asyncpg.Pool, nip: str) -> asyncpg.Record:
    row = await pool.fetchrow(
        "SELECT tenant, position_code, unit_code, position_since FROM employees WHERE nip = $1", nip
    )
    assert row is not None
    return row


async def filled(pool: asyncpg.Pool, tenant: str, position: str | None) -> int:
    return int(
        await pool.fetchval(
            "SELECT filled FROM position_filled WHERE tenant = $1 AND position_code = $2",
            tenant,
            position,
        )
    )


def bkn() -> Caller:
    return sealed(Caller("pertek@bkn", BKN_TENANT, ["bkn_officer"]))


async def vacancy(pool: asyncpg.Pool, tenant: str) -> asyncpg.Record:
    row = await pool.fetchrow(
        "SELECT position_code, unit_code FROM position_filled WHERE tenant = $1"
        " AND filled < needed ORDER BY random() LIMIT 1",
        tenant,
    )
    assert row is not None, f"no vacancy in {tenant}"
    return row


async def inter_transfer(
    pool: asyncpg.Pool, origin: str, target: str, kind: str, effective_in_days: int, today: date
) -> TransferInput:
    """The receiving government's PPK asks for an employee of another government."""
    data = await within_transfer(pool, origin, effective_in_days, today)
    post = await vacancy(pool, target)
    data.target_tenant, data.kind, data.proposer = target, kind, ppk(target)
    data.target_position_code, data.target_unit_code = post["position_code"], post["unit_code"]
    data.documents = [d.code for d in INTER_GOVERNMENT_DOCUMENTS]
    return data


DEADLINE_EVENTS = ("transfer.reminder_sent", "transfer.escalated")


async def deadline_events(
    pool: asyncpg.Pool, transfer_id: str, count: int, timeout: float = 20.0
) -> list[asyncpg.Record]:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while True:
        found = [
            e
            for e in await events_of(pool, f"transfer/{transfer_id}")
            if e["event_type"] in DEADLINE_EVENTS
        ]
        if len(found) >= count or loop.time() > end:
            return found
        await asyncio.sleep(0.1)


async def due_of(handle: WorkflowHandle[Any, Any]) -> tuple[TransferState, datetime]:
    for _ in range(100):
        state = await state_of(handle)
        if state.due_at:
            return state, datetime.fromisoformat(state.due_at)
        await asyncio.sleep(0.1)
    raise AssertionError("the pending step never got a deadline")
