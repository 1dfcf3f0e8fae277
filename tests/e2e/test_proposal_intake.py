"""A proposal is accepted (202) once it is committed; its workflow is started from there, once,
however the request is retried and whatever the starter had done before it died."""

from __future__ import annotations

import asyncio
from dataclasses import asdict
from uuid import uuid4

import pytest
from temporalio.client import Client

from mutasi import clock
from mutasi.lifecycle import Caller, TransferInput, transfer_workflow_id
from services.proposal import intake
from tests.e2e.scenario import DOCUMENTS, movable_case, people

pytestmark = pytest.mark.usefixtures("stack")


async def _started(pool, transfer_id: str, timeout: float = 60):  # noqa: ANN001, ANN202
    """The intake row once the starter has marked it started."""
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        row = await pool.fetchrow(
            "SELECT started_at, attempts FROM transfer_intake WHERE id = $1::uuid", transfer_id
        )
        if row is not None and row["started_at"] is not None:
            return row
        await asyncio.sleep(0.1)
    raise AssertionError(f"the intake never started {transfer_id}")


async def test_a_proposal_sent_twice_with_one_key_is_one_transfer(settings, pool):
    case = await movable_case(pool)
    hr = people(settings, case)["hr"]
    body = {
        "employee_nip": case.nip,
        "target_position_code": case.target_position,
        "reasons": "Penyegaran dan pemerataan beban kerja",
        "expectations": "Memperkuat pelayanan di unit tujuan",
        "effective_date": clock.today().isoformat(),
        "justification": "Kebutuhan organisasi mendesak",
        "documents": DOCUMENTS,
    }
    key = str(uuid4())
    first, again = await asyncio.gather(
        *(hr.call("POST", "proposal", "/transfers", json=body, key=key) for _ in range(2))
    )
    assert (first.status_code, again.status_code) == (202, 202), first.text + again.text
    assert first.json()["id"] == again.json()["id"]
    transfer_id = first.json()["id"]
    await hr.wait_status(transfer_id, "checked")
    assert (
        await pool.fetchval("SELECT count(*) FROM transfers WHERE employee_nip = $1", case.nip) == 1
    )
    assert (await _started(pool, transfer_id))["attempts"] == 0


async def test_a_workflow_started_by_a_starter_that_died_before_marking_it_is_not_restarted(
    settings, pool
):
    """A starter that started a workflow and died before committing its mark leaves the row
    pending: the next one finds the workflow there, starts nothing, and marks the row."""
    case = await movable_case(pool)
    hr = people(settings, case)["hr"]
    employee = await pool.fetchrow(
        "SELECT name, position_code, unit_code FROM employees WHERE tenant = $1 AND nip = $2",
        case.tenant,
        case.nip,
    )
    data = TransferInput(
        transfer_id=str(uuid4()),
        tenant=case.tenant,
        target_tenant=case.tenant,
        kind="within_government",
        employee_nip=case.nip,
        employee_name=employee["name"],
        origin_position_code=employee["position_code"],
        origin_unit_code=employee["unit_code"],
        target_position_code=case.target_position,
        target_unit_code=case.target_unit,
        reasons="Penyegaran dan pemerataan beban kerja",
        expectations="Memperkuat pelayanan di unit tujuan",
        effective_date=clock.today().isoformat(),
        proposer=Caller(f"bkpsdm@{case.tenant}", case.tenant, ["hr_officer"]),
        justification="Kebutuhan organisasi mendesak",
        documents=DOCUMENTS,
    )
    temporal = await Client.connect(settings.temporal_address)
    # The dead starter's work: the workflow started, the row (committed) not marked.
    await intake.start_workflow(temporal, settings, asdict(data))
    await intake.accept(pool, data)
    await _started(pool, data.transfer_id)
    await hr.wait_status(data.transfer_id, "checked")
    runs = [
        w
        async for w in temporal.list_workflows(
            f"WorkflowId = '{transfer_workflow_id(data.transfer_id)}'"
        )
    ]
    assert len(runs) == 1
    assert (
        await pool.fetchval("SELECT count(*) FROM transfers WHERE employee_nip = $1", case.nip) == 1
    )
