"""One transfer travels the whole architecture over HTTP only: proposal → workflow → approval
→ decree → NATS → notification → effective date."""

from __future__ import annotations

import asyncio
import json

import nats
import pytest
from temporalio.client import Client, WorkflowExecutionStatus

from mutasi import clock
from mutasi.lifecycle import transfer_workflow_id
from tests.e2e import meeting_scenario as meeting
from tests.e2e.scenario import DOCUMENTS, attach_required, movable_case, people

pytestmark = pytest.mark.usefixtures("stack")

EXPECTED = [
    "submitted",
    "checked",
    "verified",
    "placed_on_agenda",
    "recommended",
    "approved",
    "decree_issued",
    "notified",
    "effective",
    "completed",
]


async def _subscribe(settings, tenant):  # noqa: ANN001, ANN202
    nc = await nats.connect(settings.nats_url)
    js = nc.jetstream()
    received: list = []

    async def on_message(msg) -> None:  # noqa: ANN001
        received.append(msg)
        await msg.ack()

    await js.subscribe(
        f"mutasi.{tenant}.transfer.>",
        cb=on_message,
        deliver_policy="new",
        ordered_consumer=False,
        manual_ack=True,
    )
    return nc, received


async def test_a_transfer_goes_from_proposal_to_completed(settings, pool):
    case = await movable_case(pool)
    who = people(settings, case)
    nc, received = await _subscribe(settings, case.tenant)

    response = await who["hr"].propose(
        case.nip,
        case.target_position,
        clock.today().isoformat(),
        justification="Kebutuhan organisasi mendesak",
        documents=DOCUMENTS,
    )
    assert response.status_code == 202, response.text
    transfer_id = response.json()["id"]
    await who["hr"].wait_status(transfer_id, "checked")
    await attach_required(who["hr"], transfer_id)

    r = await who["hr"].call(
        "POST", "approval", f"/transfers/{transfer_id}/verify", json={"note": "Berkas lengkap"}
    )
    assert r.status_code == 200, r.text
    await meeting.hold(who["hr"], [who["panel"]], [transfer_id])  # the panel recommends
    r = await who["ppk"].call(
        "POST", "approval", f"/transfers/{transfer_id}/decision", json={"outcome": "approved"}
    )
    assert r.status_code == 200, r.text

    final = await who["hr"].wait_status(transfer_id, "completed")
    assert final["decree_number"].startswith("800.1.3.3/")

    # The subscriber saw every step once, in order, as CloudEvents with Nats-Msg-Id = id.
    for _ in range(50):
        if len(received) >= len(EXPECTED):
            break
        await asyncio.sleep(0.1)
    await nc.close()
    events = [
        json.loads(m.data)
        for m in received
        if transfer_id in m.subject or json.loads(m.data)["subject"] == transfer_id
    ]
    assert [e["type"].removeprefix("id.go.mutasi.transfer.") for e in events] == EXPECTED
    for msg, event in zip(received, events, strict=False):
        assert msg.headers["Nats-Msg-Id"] == event["id"]
        assert event["tenant"] == case.tenant and event["specversion"] == "1.0"
        assert event["source"] == f"/tenants/{case.tenant}/transfers/{transfer_id}"
    sequences = [e["sequence"] for e in events]
    assert sequences == sorted(sequences)

    # The employee has moved, and was told, with the SK number, in their inbox.
    employee = await who["hr"].call("GET", "proposal", f"/employees/{case.nip}")
    assert employee.json()["position_code"] == case.target_position
    notices: list = []
    for _ in range(150):  # the consumer may still work through earlier tests' events
        inbox = (await who["employee"].call("GET", "notification", "/notifications")).json()
        notices = [n for n in inbox["items"] if n["transfer_id"] == transfer_id]
        if any(final["decree_number"] in n["body"] for n in notices):
            break
        await asyncio.sleep(0.2)
    assert any(final["decree_number"] in n["body"] for n in notices), notices

    client = await Client.connect(settings.temporal_address)
    handle = client.get_workflow_handle(transfer_workflow_id(transfer_id))
    assert (await handle.describe()).status == WorkflowExecutionStatus.COMPLETED
