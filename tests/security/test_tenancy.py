"""Many governments on one deployment: each sees its own, both sides of a move see it, BKN
sees the moves between governments — and a workflow trusts no caller the service did not check.
"""

from __future__ import annotations

import httpx
import pytest
from temporalio.client import Client

from mutasi.errors import Forbidden, MutasiError, NotFound
from mutasi.lifecycle import BKN_TENANT, Caller, DecisionInput, StepInput, VerifyInput
from mutasi.transfers import run_update
from tests.security.world import HOME, OTHER, THIRD, World
from tests.security.world import Caller as Token


async def _get(world: World, caller: Token, path: str) -> httpx.Response:
    async with httpx.AsyncClient(timeout=10) as client:
        return await client.get(world.url("proposal", path), headers=caller.headers(world.settings))


@pytest.mark.parametrize(
    ("tenant", "role", "status"),
    [
        (HOME, "hr_officer", 200),
        (THIRD, "approver", 200),
        (BKN_TENANT, "bkn_officer", 200),
        (OTHER, "hr_officer", 404),
        (OTHER, "approver", 404),
    ],
)
async def test_a_move_between_governments_is_seen_by_both_and_by_bkn_only(
    world, tenant, role, status
):
    caller = Token(role, tenant, f"tenancy-{role}@{tenant}")
    response = await _get(world, caller, f"/transfers/{world.inter_transfer_id}")
    assert response.status_code == status, response.text


async def test_bkn_sees_moves_between_governments_but_none_within_one(world):
    bkn = world.callers["bkn_officer"]
    listed = (await _get(world, bkn, "/transfers?limit=200")).json()["items"]
    assert world.inter_transfer_id in {t["id"] for t in listed}
    assert all(t["kind"] != "within_government" for t in listed)
    response = await _get(world, bkn, f"/transfers/{world.home_transfer['id']}")
    assert response.status_code == 404


async def test_another_governments_approver_cannot_decide_even_with_a_valid_body(world):
    medan_ppk = Token("approver", OTHER, "ppk@kota-medan")
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.post(
            world.url("approval", f"/transfers/{world.home_transfer['id']}/decision"),
            json={"outcome": "approved"},
            headers=medan_ppk.headers(world.settings),
        )
    assert response.status_code == 404, response.text
    home = await _get(world, world.callers["hr_officer"], f"/transfers/{world.home_transfer['id']}")
    assert home.json()["status"] == world.home_transfer["status"]


@pytest.mark.parametrize(
    ("update", "caller", "refusal"),
    [
        # Another government's PPK, straight at the workflow: it does not learn the transfer exists.
        ("decide", Caller("ppk@kota-medan", OTHER, ["approver"]), NotFound),
        # Right government, a role the policy does not allow for the step.
        ("verify", Caller("pegawai@kota-sorong", HOME, ["employee"]), Forbidden),
        ("decide", Caller("auditor@kota-sorong", HOME, ["auditor"]), Forbidden),
        # An employee of the same government withdrawing a colleague's transfer.
        (
            "withdraw",
            Caller("pegawai-lain", HOME, ["employee"], nip="199001012015031001"),
            Forbidden,
        ),
    ],
)
async def test_a_workflow_update_checks_the_callers_claims_itself(
    world, settings, update, caller, refusal
):
    temporal = await Client.connect(
        settings.temporal_address, namespace=settings.temporal_namespace
    )
    arg = {
        "decide": DecisionInput(caller, "approved"),
        "verify": VerifyInput(caller),
        "withdraw": StepInput(caller, "Tidak jadi"),
    }[update]
    with pytest.raises(MutasiError) as refused:
        await run_update(temporal, world.home_transfer["id"], update, arg)
    assert type(refused.value) is refusal, refused.value
