"""Approving a transfer plan gives every line's proposal its TMT: within the government's
bounds, as any proposal's (issue 14 defect 1), whatever the date. On 2027-08-16 a plan whose
period began on 2027-01-04 was approved, and its proposals carried a TMT in the past; the
rule R7 side of approval is tests/e2e/test_planning_conflict.py.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest

from mutasi import clock
from tests.e2e.api_client import Person
from tests.integration.import_support import run_cli

pytestmark = pytest.mark.usefixtures("stack")
TENANT = "provinsi-jambi"
ZONE = "Asia/Jakarta"  # Jambi: WIB


async def _optimised(hr: Person, plan_id: str) -> dict[str, Any]:
    for _ in range(240):
        plan = (await hr.call("GET", "proposal", f"/plans/{plan_id}")).json()
        if plan["status"] == "optimised" and plan["objective"]:
            return plan
        await asyncio.sleep(0.5)
    raise AssertionError(f"plan never optimised: {plan}")


async def _lines(hr: Person, plan_id: str) -> list[dict[str, Any]]:
    found = await hr.call("GET", "proposal", f"/plans/{plan_id}/lines")
    assert found.status_code == 200, found.text
    return found.json()["items"]


async def _draft(hr: Person, period_start: str) -> tuple[str, list[dict[str, Any]]]:
    spec = {
        "title": "Rencana uji persetujuan",
        "scope": {"units": [], "period_start": period_start},
        "rules": {"max_moves": 3},
    }
    drafted = await hr.call("POST", "proposal", "/plans", json=spec, key=str(uuid4()))
    assert drafted.status_code == 201, drafted.text
    plan_id = drafted.json()["id"]
    plan = await _optimised(hr, plan_id)
    assert plan["objective"]["optimum"]["moves"] > 0, plan["objective"]
    return plan_id, await _lines(hr, plan_id)


async def _approve(hr: Person, plan_id: str, body: dict[str, Any]) -> Any:
    return await hr.call(
        "POST", "proposal", f"/plans/{plan_id}/approve", json=body, key=str(uuid4())
    )


async def test_a_plan_is_not_approved_with_a_tmt_before_today(settings):
    hr = Person(settings, TENANT, ["hr_officer"], f"bkpsdm-tmt@{TENANT}")
    today = clock.today(ZONE)
    plan_id, _ = await _draft(hr, (today - timedelta(days=1)).isoformat())

    # The period began yesterday: its start would be every proposal's TMT.
    refused = await _approve(hr, plan_id, {})
    assert refused.status_code == 422, refused.text
    problem = refused.json()
    assert problem["type"].endswith("/invalid-input") and "sudah lewat" in problem["title"]
    refused = await _approve(hr, plan_id, {"effective_date": "9999-12-31"})
    assert refused.status_code == 422 and "terlalu jauh" in refused.json()["title"]
    # BKPSDM at a terminal is refused the same way.
    cli = await asyncio.to_thread(run_cli, settings, "plan", "approve", plan_id, "--tenant", TENANT)
    assert cli.returncode == 1 and "sudah lewat" in cli.stderr, (cli.stdout, cli.stderr)
    plan = (await hr.call("GET", "proposal", f"/plans/{plan_id}")).json()
    assert plan["status"] == "optimised"  # a refused approval changes nothing
    assert all(line["transfer_id"] is None for line in await _lines(hr, plan_id))
    cancelled = await hr.call(
        "POST", "proposal", f"/plans/{plan_id}/cancel", json={"reason": "Uji"}
    )
    assert cancelled.status_code == 200, cancelled.text
