"""Finding 1: text that PostgreSQL cannot store never reaches a workflow.

A NUL (or another control character, or a lone UTF-16 surrogate) in a reason or a note used to
pass the door when the content type was spelled `application/JSON`; the workflow then retried
its log entry for ever while holding its lock, and the transfer never appeared. The string
types themselves now refuse such text, whatever the content type says.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from uuid import uuid4

import httpx
import pytest
from temporalio.client import Client
from temporalio.service import RPCError

from mutasi import clock
from mutasi.auth.principal import Principal
from mutasi.lifecycle import transfer_workflow_id
from services.proposal.handlers import transfer_id_for
from tests.e2e import meeting_scenario as meeting
from tests.e2e.scenario import DOCUMENTS, movable_case, people, propose_checked
from tests.security.test_input_hardening import _objects, _operations
from tests.security.world import HOME, World


def _proposal(case: Any, reasons: str) -> bytes:
    import json

    return json.dumps(
        {
            "employee_nip": case.nip,
            "target_position_code": case.target_position,
            "reasons": reasons,
            "expectations": "Memperkuat pelayanan",
            "effective_date": (clock.today() + timedelta(days=60)).isoformat(),
            "documents": DOCUMENTS,
        }
    ).encode()


@pytest.mark.parametrize(
    "reasons",
    ["Penyegaran\\u0000 pegawai", "Penyegaran\\u001b[31m", "Penyegaran \\ud800"],
    ids=["nul", "escape", "lone-surrogate"],
)
async def test_a_proposal_with_unstorable_text_in_upper_case_json_is_refused_and_starts_nothing(
    world: World, pool, reasons: str
) -> None:
    case = await movable_case(pool, HOME)
    caller = world.callers["hr_officer"]
    key = str(uuid4())
    # The JSON escape stays an escape in the bytes sent (json.dumps would double it).
    body = _proposal(case, "REASONS").replace(b"REASONS", reasons.encode())
    async with httpx.AsyncClient(timeout=30) as client:
        response = await client.post(
            world.url("proposal", "/transfers"),
            content=body,
            headers=caller.headers(world.settings)
            | {"Content-Type": "application/JSON", "Idempotency-Key": key},
        )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert ["body", "reasons"] in [e["loc"] for e in response.json()["errors"]]
    principal = Principal(caller.sub, caller.tenant, [caller.role])
    transfer_id = transfer_id_for(principal, key)
    temporal = await Client.connect(world.settings.temporal_address)
    with pytest.raises(RPCError):  # no workflow was started for it
        await temporal.get_workflow_handle(transfer_workflow_id(transfer_id)).describe()


async def test_a_nul_in_a_vote_note_is_refused_and_the_meeting_goes_on(
    stack, settings, pool
) -> None:
    """The vote is on a transfer the meeting has on its agenda, from one of its members: only
    the note's NUL can refuse it (a NUL that reached the meeting's workflow blocked it)."""
    case = await movable_case(pool, HOME)
    who = people(settings, case)
    transfer_id = await propose_checked(who["hr"], case)
    verified = await who["hr"].call("POST", "approval", f"/transfers/{transfer_id}/verify", json={})
    assert verified.status_code == 200, verified.text
    meeting_id = await meeting.schedule(who["hr"], [who["panel"]], quorum=1)
    path = f"/meetings/{meeting_id}"
    agenda = await who["hr"].call(
        "POST", "approval", f"{path}/agenda", json={"transfer_id": transfer_id}
    )
    assert agenda.status_code == 200, agenda.text
    body = b'{"votes": [{"transfer_id": "%s", "vote": "abstain", "note": "ragu\\u0000"}]}'
    async with httpx.AsyncClient(timeout=30) as client:
        response = await client.post(
            f"http://127.0.0.1:{settings.approval_port}{path}/votes",
            content=body % transfer_id.encode(),
            headers=who["panel"].headers | {"Content-Type": "Application/Json; charset=UTF-8"},
        )
    assert response.status_code == 422, response.text
    assert ["body", "votes", 0, "note"] in [e["loc"] for e in response.json()["errors"]]
    votes = {"votes": [{"transfer_id": transfer_id, "vote": "recommend", "note": "Sesuai"}]}
    voted = await who["panel"].call("POST", "approval", f"{path}/votes", json=votes)
    assert voted.status_code == 200, voted.text
    read = (await who["panel"].call("GET", "approval", path)).json()
    assert [i["votes"] for i in read["items"]] == [{who["panel"].sub: "recommend"}]


def _admits_control_characters(pattern: str) -> bool:
    """A pattern admits them unless it names the guard or uses only closed classes."""
    if "\\x00-" in pattern:
        return False
    return re.search(r"\[\^|(?<!\\)\.|\\[SDW]", pattern) is not None or not pattern


def test_every_free_text_field_of_every_request_body_refuses_control_characters() -> None:
    """Structural: a string property without an enum, format or guarding pattern would take
    any text (file uploads, `format: binary`, are bytes, not text)."""
    lax = []
    for service, method, path, operation, spec in _operations():
        content = operation.get("requestBody", {}).get("content", {})
        for media in content.values():
            for schema in _objects(spec, media["schema"], set()):
                for name, prop in schema.get("properties", {}).items():
                    for option in [prop, *prop.get("anyOf", []), prop.get("items", {})]:
                        if option.get("type") != "string":
                            continue
                        if "enum" in option or "const" in option or "format" in option:
                            continue
                        if _admits_control_characters(option.get("pattern", "")):
                            lax.append(f"{service} {method} {path}: {name}")
    assert lax == [], f"free text without a control-character guard: {sorted(set(lax))}"
