"""GET /tasks (approval service): what waits for me, from the read model alone.

Transfers are written into the log by hand (each status exactly where the test wants it), so
the list is checked against every kind of step and party: BKPSDM's verification and agenda,
the proposer's justification, the origin PPK's consent, BKN's pertek, the receiving PPK's
decision. The service runs in-process on the real servers, with its clock moved forward
through its `now` dependency where a deadline has to pass.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any
from uuid import uuid4

import httpx
import pytest_asyncio

from mutasi import clock
from mutasi.auth.tokens import issue_token
from mutasi.deadlines import service_level
from mutasi.log.projections import ReadModels
from mutasi.log.store import Actor, NewEvent, append
from services.approval.app import create_app
from services.approval.routes.tasks import now
from tests.event_examples import FINDING, example
from tests.integration.log_scenario import new_tenant, register_tenant

SYSTEM = Actor("system", "system")
LATER: list[datetime] = []  # the clock the service reads, when a test moves it


@pytest_asyncio.fixture(scope="module")
async def api(settings) -> AsyncIterator[httpx.AsyncClient]:  # noqa: ANN001
    app = create_app(settings)
    app.dependency_overrides[now] = lambda: LATER[-1] if LATER else clock.now()
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://approval") as client:
            yield client


class Tasks:
    def __init__(self, api: httpx.AsyncClient, settings: Any) -> None:  # noqa: ANN401
        self.api, self.settings = api, settings

    async def of(self, tenant: str, role: str, sub: str | None = None, **claims: Any) -> Any:  # noqa: ANN401
        token = issue_token(
            self.settings, sub=sub or f"{role}@{tenant}", tenant=tenant, roles=[role], **claims
        )
        r = await self.api.get("/tasks", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 200, r.text
        return r.json()

    async def steps(self, tenant: str, role: str, sub: str | None = None, **claims: Any) -> dict:  # noqa: ANN401
        found = await self.of(tenant, role, sub, **claims)
        return {item["id"]: item["pending_step"] for item in found["items"]}


async def _transfer(
    pool: Any,  # noqa: ANN401
    tenant: str,
    events: list[tuple[str, dict[str, Any]]],
    *,
    target: str | None = None,
    proposer: Actor = Actor("spv-1", "supervisor"),
) -> str:
    """A transfer whose log holds `events` after its submission (each with its own payload)."""
    transfer_id = str(uuid4())
    kind = "within_government" if target is None else "between_provinces"
    submitted = example("transfer.submitted", kind=kind, target_tenant=target or tenant)
    history = [NewEvent(f"transfer/{transfer_id}", "transfer.submitted", submitted, proposer)]
    history += [NewEvent(f"transfer/{transfer_id}", t, p, SYSTEM) for t, p in events]
    async with pool.acquire() as conn, conn.transaction():
        await append(conn, tenant, history, projector=ReadModels())
    return transfer_id


CHECKED = ("transfer.checked", example("transfer.checked", warnings=[]))
UNJUSTIFIED = ("transfer.checked", example("transfer.checked"))  # R2 broken, no justification
VERIFIED = ("transfer.verified", example("transfer.verified"))
ON_AGENDA = ("transfer.placed_on_agenda", example("transfer.placed_on_agenda"))
RECOMMENDED = ("transfer.recommended", example("transfer.recommended"))
CONSENTED = ("transfer.consent_given", example("transfer.consent_given"))
PERTEK = ("transfer.pertek_given", example("transfer.pertek_given"))
WITHDRAWN = ("transfer.withdrawn", example("transfer.withdrawn"))


async def test_bkpsdm_waits_for_verification_and_agenda_the_proposer_for_a_justification(
    api, pool, settings
):
    tenant = await register_tenant(pool, new_tenant("tugas"))
    to_verify = await _transfer(pool, tenant, [CHECKED])
    to_justify = await _transfer(pool, tenant, [UNJUSTIFIED])
    to_agenda = await _transfer(pool, tenant, [CHECKED, VERIFIED])
    on_agenda = await _transfer(pool, tenant, [CHECKED, VERIFIED, ON_AGENDA])
    await _transfer(pool, tenant, [CHECKED, WITHDRAWN])
    tasks = Tasks(api, settings)

    assert await tasks.steps(tenant, "hr_officer") == {
        to_verify: "verify",
        to_agenda: "place_on_agenda",
    }
    unit = example("transfer.submitted")["origin_unit_code"]
    assert await tasks.steps(tenant, "supervisor", "spv-1", unit=unit) == {to_justify: "revise"}
    # Another head of the same unit did not propose it; the PPK has nothing to do yet.
    assert await tasks.steps(tenant, "supervisor", "spv-2", unit=unit) == {}
    assert await tasks.steps(tenant, "approver") == {}
    assert await tasks.steps(tenant, "panel_member") == {on_agenda: "meeting_decide"}
    assert await tasks.steps(await register_tenant(pool, new_tenant("lain")), "hr_officer") == {}


async def test_each_task_counts_working_days_to_its_deadline_and_marks_the_overdue(
    api, pool, settings
):
    tenant = await register_tenant(pool, new_tenant("tenggat"))
    first = await _transfer(pool, tenant, [CHECKED])
    second = await _transfer(pool, tenant, [CHECKED, VERIFIED])
    level = await service_level(pool, tenant)
    tasks = Tasks(api, settings)

    fresh = await tasks.of(tenant, "hr_officer")
    assert [i["id"] for i in fresh["items"]] == [first, second]  # soonest deadline first
    assert {i["days_left"] for i in fresh["items"]} == {level.working_days}
    assert (fresh["total"], fresh["overdue"]) == (2, 0)
    assert fresh["counts"] == {"verify": 1, "place_on_agenda": 1}
    item = fresh["items"][0]
    since = datetime.fromisoformat(item["since"])
    assert datetime.fromisoformat(item["due_at"]) == level.due_at(since)

    # At the end of the working day after the later deadline both steps are overdue. (A
    # fixed two weeks later was not always past them: from Friday 2027-03-05, Nyepi, Idul
    # Fitri and their cuti bersama leave four working days in fourteen.)
    last_due = max(datetime.fromisoformat(i["due_at"]) for i in fresh["items"])
    later = level.due_at(last_due, 1)
    LATER.append(later)
    try:
        late = await tasks.of(tenant, "hr_officer")
    finally:
        LATER.clear()
    assert (late["total"], late["overdue"]) == (2, 2)
    assert all(i["overdue"] and i["days_left"] < 0 for i in late["items"])
    due = datetime.fromisoformat(item["due_at"])
    assert late["items"][0]["days_left"] == level.days_left(due, later) == -1


async def test_the_deadline_the_workflow_recorded_wins(api, pool, settings):
    tenant = await register_tenant(pool, new_tenant("eskalasi"))
    due = "2026-03-02T16:59:59+00:00"
    escalated = example("transfer.escalated", pending_tenant=tenant, due_at=due)
    transfer = await _transfer(pool, tenant, [CHECKED, ("transfer.escalated", escalated)])

    found = await Tasks(api, settings).of(tenant, "hr_officer")
    (item,) = found["items"]
    assert item["id"] == transfer
    assert datetime.fromisoformat(item["due_at"]) == datetime.fromisoformat(due)
    assert item["overdue"] and item["days_left"] < 0 and found["overdue"] == 1


async def test_between_governments_the_origin_ppk_consents_bkn_gives_pertek_the_ppk_decides(
    api, pool, settings
):
    origin = await register_tenant(pool, new_tenant("asal"))
    receiving = await register_tenant(pool, new_tenant("tujuan"))
    ppk = Actor(f"approver@{receiving}", "approver")
    agreed = [CHECKED, VERIFIED, ON_AGENDA, RECOMMENDED]
    to_consent = await _transfer(pool, origin, agreed, target=receiving, proposer=ppk)
    to_pertek = await _transfer(pool, origin, [*agreed, CONSENTED], target=receiving, proposer=ppk)
    to_decide = await _transfer(
        pool, origin, [*agreed, CONSENTED, PERTEK], target=receiving, proposer=ppk
    )
    tasks = Tasks(api, settings)

    assert await tasks.steps(origin, "approver") == {to_consent: "consent"}
    assert await tasks.steps(receiving, "approver") == {to_decide: "decide"}
    assert await tasks.steps(origin, "hr_officer") == {}
    assert await tasks.steps(receiving, "bkn_officer") == {}  # BKN's officers work at BKN
    bkn = await tasks.of("bkn", "bkn_officer")
    mine = [i for i in bkn["items"] if i["id"] in {to_consent, to_pertek, to_decide}]
    found = [(i["id"], i["pending_step"], i["days_left"]) for i in mine]
    assert found == [(to_pertek, "pertek", 15)]


async def test_a_justification_given_moves_the_task_from_the_proposer_to_bkpsdm(
    api, pool, settings
):
    tenant = await register_tenant(pool, new_tenant("alasan"))
    justified = example("transfer.checked", warnings=[{**FINDING, "justified": True}])
    transfer = await _transfer(
        pool,
        tenant,
        [UNJUSTIFIED, ("transfer.revised", example("transfer.revised")),
         ("transfer.checked", justified)],
    )  # fmt: skip
    tasks = Tasks(api, settings)
    unit = example("transfer.submitted")["origin_unit_code"]
    assert await tasks.steps(tenant, "supervisor", "spv-1", unit=unit) == {}
    assert await tasks.steps(tenant, "hr_officer") == {transfer: "verify"}
