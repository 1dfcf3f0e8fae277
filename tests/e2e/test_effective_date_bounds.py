"""The TMT is bounded (issue 14, defect 1): not before a decree can be issued, not beyond the
government's horizon (default one year); at proposal, at revision and at the PPK's decision."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, timedelta
from types import SimpleNamespace
from uuid import uuid4

import httpx
import pytest
from temporalio.client import Client

from mutasi import clock
from services.approval.app import create_app
from tests.e2e import meeting_scenario as meeting
from tests.e2e.scenario import DOCUMENTS, attach_required, movable_case, people

pytestmark = pytest.mark.usefixtures("stack")


async def _propose(who, case, tmt: date):  # noqa: ANN001, ANN202
    return await who["hr"].propose(
        case.nip,
        case.target_position,
        tmt.isoformat(),
        justification="Kebutuhan organisasi",
        documents=DOCUMENTS,
    )


@pytest.mark.parametrize(
    ("tmt", "says"),
    [
        (lambda today: today - timedelta(days=1), "sudah lewat"),
        (lambda today: today + timedelta(days=366), "terlalu jauh"),
        (lambda today: date(9999, 12, 31), "terlalu jauh"),
    ],
    ids=["yesterday", "a-year-and-a-day", "9999-12-31"],
)
async def test_a_tmt_in_the_past_or_too_far_ahead_is_refused_and_nothing_starts(
    settings, pool, tmt, says
):
    case = await movable_case(pool)
    who = people(settings, case)
    tmt = tmt(clock.today())
    r = await _propose(who, case, tmt)
    assert r.status_code == 422, r.text
    problem = r.json()
    assert problem["field"] == "effective_date" and says in problem["title"]
    assert (
        await pool.fetchval("SELECT count(*) FROM transfers WHERE employee_nip = $1", case.nip) == 0
    )


async def test_today_and_a_year_ahead_are_accepted_and_the_run_lasts_as_the_tmt_needs(
    settings, pool
):
    temporal = await Client.connect(settings.temporal_address)
    for days in (0, 365):
        case = await movable_case(pool)
        who = people(settings, case)
        r = await _propose(who, case, clock.today() + timedelta(days=days))
        assert r.status_code == 202, r.text
        # 202: the intake holds the proposal; its starter starts the workflow soon after.
        await who["hr"].wait_status(str(r.json()["id"]), "checked")
        described = await temporal.get_workflow_handle(r.json()["workflow_id"]).describe()
        lifetime = described.raw_description.execution_config.workflow_execution_timeout
        # Until the latest TMT a revision may set (first TMT + 365 days), and 60 days more.
        assert lifetime.ToTimedelta().days in (days + 365 + 60, days + 365 + 59)


async def _recommended(settings, pool):  # noqa: ANN001, ANN202
    case = await movable_case(pool)
    who = people(settings, case)
    r = await _propose(who, case, clock.today())
    transfer_id = str(r.json()["id"])
    await who["hr"].wait_status(transfer_id, "checked")
    await attach_required(who["hr"], transfer_id)
    verified = await who["hr"].call(
        "POST", "approval", f"/transfers/{transfer_id}/verify", json={}, key=str(uuid4())
    )
    assert verified.status_code == 200, verified.text
    await meeting.hold(who["hr"], [who["panel"]], [transfer_id])
    await who["hr"].wait_status(transfer_id, "recommended")
    return who, transfer_id


async def test_a_revision_may_not_move_the_tmt_out_of_bounds(settings, pool):
    who, transfer_id = await _recommended(settings, pool)
    returned = await who["ppk"].call(
        "POST",
        "approval",
        f"/transfers/{transfer_id}/decision",
        json={"outcome": "returned", "reason": "TMT perlu disesuaikan"},
        key=str(uuid4()),
    )
    assert returned.status_code == 200, returned.text
    r = await who["hr"].call(
        "POST",
        "proposal",
        f"/transfers/{transfer_id}/revise",
        json={"effective_date": "9999-12-31", "reason": "TMT diubah"},
        key=str(uuid4()),
    )
    assert r.status_code == 422 and "terlalu jauh" in r.json()["title"], r.text
    assert (await who["hr"].transfer(transfer_id)).json()["status"] == "returned"


@asynccontextmanager
async def approval_later(settings, days: int) -> AsyncIterator[httpx.AsyncClient]:  # noqa: ANN001
    """The approval service (in this process) as it answers `days` later: its clock moved."""
    app = create_app(settings)
    before = clock.offset()
    async with app.router.lifespan_context(app):
        clock.configure(SimpleNamespace(clock_offset_s=int(before.total_seconds()) + days * 86400))
        try:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://a") as client:
                yield client
        finally:
            clock.configure(SimpleNamespace(clock_offset_s=int(before.total_seconds())))


async def test_an_approval_after_the_tmt_has_passed_is_refused(settings, pool):
    who, transfer_id = await _recommended(settings, pool)  # TMT today
    async with approval_later(settings, days=2) as approval:
        late = await approval.post(
            f"/transfers/{transfer_id}/decision",
            json={"outcome": "approved"},
            headers=who["ppk"].headers | {"Idempotency-Key": str(uuid4())},
        )
    assert late.status_code == 422 and "sudah lewat" in late.json()["title"], late.text
    assert (await who["hr"].transfer(transfer_id)).json()["status"] == "recommended"
