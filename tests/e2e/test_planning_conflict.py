"""R7 in a transfer plan: nobody proposes their own transfer. The BKPSDM officer who draws up a
plan is kept in place, and one whom a plan moves cannot approve it (their lines would all be
returned by the rule check as self-proposals)."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import uuid4

import pytest

from mutasi import clock
from tests.e2e.api_client import Person

pytestmark = pytest.mark.usefixtures("stack")
TENANT = "provinsi-jambi"
UNITS = ["diskominfo", "bpkad", "dinkes", "bkpsdm", "dishub", "disdikbud"]


async def _optimised(hr: Person, spec: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    drafted = await hr.call("POST", "proposal", "/plans", json=spec, key=str(uuid4()))
    assert drafted.status_code == 201, drafted.text
    plan_id = drafted.json()["id"]
    for _ in range(240):
        plan = (await hr.call("GET", "proposal", f"/plans/{plan_id}")).json()
        if plan["status"] == "optimised":
            lines = await hr.call("GET", "proposal", f"/plans/{plan_id}/lines")
            return plan_id, lines.json()["items"]
        await asyncio.sleep(0.5)
    raise AssertionError(f"plan never optimised: {plan}")


async def _cancel(hr: Person, plan_id: str) -> None:
    cancelled = await hr.call(
        "POST", "proposal", f"/plans/{plan_id}/cancel", json={"reason": "Uji"}, key=str(uuid4())
    )
    assert cancelled.status_code == 200, cancelled.text


async def test_a_plan_never_moves_the_officer_who_draws_it_up_or_approves_it(settings):
    office = Person(settings, TENANT, ["hr_officer"], f"bkpsdm@{TENANT}")  # no NIP of its own
    spec = {
        "title": "Rencana Mutasi Uji R7",
        "scope": {"units": UNITS, "period_start": clock.today().isoformat()},
        "rules": {"max_moves": 3},
    }
    plan_id, lines = await _optimised(office, spec)
    assert lines, "the plan moves nobody: nothing to check"
    moved = lines[0]["employee_nip"]
    officer = Person(settings, TENANT, ["hr_officer"], f"nip:{moved}", nip=moved)

    refused = await officer.call(
        "POST", "proposal", f"/plans/{plan_id}/approve", json={}, key=str(uuid4())
    )
    assert refused.status_code == 409, refused.text
    assert refused.json()["type"].endswith("/conflict")
    assert "R7" in refused.json()["detail"]
    plan = (await office.call("GET", "proposal", f"/plans/{plan_id}")).json()
    assert plan["status"] == "optimised"  # nothing changed: no line became a proposal
    after = (await office.call("GET", "proposal", f"/plans/{plan_id}/lines")).json()["items"]
    assert all(line["transfer_id"] is None for line in after)

    own_id, own_lines = await _optimised(officer, spec)
    assert own_lines, "with the officer kept, the plan still moves others"
    assert moved not in {line["employee_nip"] for line in own_lines}
    for plan in (plan_id, own_id):
        await _cancel(office, plan)
