"""Finding 13: writes and expensive reads are budgeted per caller and per address.

The services run in-process here (real PostgreSQL and Temporal of the session) with low
limits, so a handful of requests shows each budget: the next request answers 429
problem+json with Retry-After, another caller or address is not affected, and a cheap read
of the same caller still passes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from uuid import uuid4

import httpx
from structlog.testing import capture_logs

from mutasi import clock
from mutasi.auth.tokens import issue_token
from mutasi.settings import Settings
from services.approval.app import create_app as approval_app
from services.proposal.app import create_app as proposal_app
from tests.e2e.scenario import DOCUMENTS, movable_case

TENANT = "kota-sorong"


@asynccontextmanager
async def _client(
    create_app, settings: Settings, address: str = "203.0.113.7", **limits: int
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings.model_copy(update=limits))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=(address, 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://svc") as client:
            yield client


def _as(settings: Settings, sub: str, role: str = "hr_officer", tenant: str = TENANT) -> dict:
    token = issue_token(settings, sub=sub, tenant=tenant, roles=[role])
    return {"Authorization": f"Bearer {token}"}


def _assert_limited(response: httpx.Response) -> None:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"].endswith("/too-many-requests")
    assert int(response.headers["retry-after"]) >= 1


async def _withdraw(client: httpx.AsyncClient, headers: dict) -> httpx.Response:
    # A transfer nobody has: without a budget it is a 404, probing included.
    body = {"reason": "Ditarik"}
    return await client.post(f"/transfers/{uuid4()}/withdraw", json=body, headers=headers)


async def test_a_callers_writes_beyond_the_budget_are_refused(settings, seeded):
    async with _client(proposal_app, settings, rate_limit_writes_per_minute=3) as client:
        caller = _as(settings, f"flood-{uuid4().hex[:6]}")
        assert [(await _withdraw(client, caller)).status_code for _ in range(3)] == [404] * 3
        _assert_limited(await _withdraw(client, caller))
        assert (await client.get("/transfers", headers=caller)).status_code == 200  # a read
        other = _as(settings, f"calm-{uuid4().hex[:6]}")
        assert (await _withdraw(client, other)).status_code == 404


async def test_an_address_beyond_its_write_budget_is_refused_whoever_calls(settings, seeded):
    async with _client(proposal_app, settings, rate_limit_address_writes_per_minute=3) as client:
        callers = [_as(settings, f"many-{n}-{uuid4().hex[:6]}") for n in range(4)]
        assert [(await _withdraw(client, c)).status_code for c in callers[:3]] == [404] * 3
        _assert_limited(await _withdraw(client, callers[3]))
    async with _client(
        proposal_app, settings, address="198.51.100.9", rate_limit_address_writes_per_minute=3
    ) as elsewhere:
        assert (await _withdraw(elsewhere, callers[3])).status_code == 404


async def test_chain_verification_has_its_own_small_budget(settings, seeded):
    async with _client(approval_app, settings, rate_limit_expensive_per_minute=2) as client:
        auditor = _as(settings, f"auditor-{uuid4().hex[:6]}", "auditor")
        for _ in range(2):
            verified = await client.get("/audit/verify", headers=auditor)
            assert verified.status_code == 200, verified.text
        _assert_limited(await client.get("/audit/verify", headers=auditor))
        _assert_limited(await client.get("/audit/export", headers=auditor))
        assert (await client.get("/audit/checkpoints", headers=auditor)).status_code == 200


async def test_proposals_naming_another_governments_employees_are_budgeted(settings, seeded):
    """Finding 2: each such proposal answers whether the NIP exists there."""
    async with _client(proposal_app, settings, rate_limit_cross_government_per_hour=2) as client:
        ppk = _as(settings, f"ppk-{uuid4().hex[:6]}", "approver", "kota-palembang")
        body = {
            "employee_nip": "199001012020011779",  # nobody: a probe
            "origin_tenant": TENANT,
            "target_position_code": "x",
            "reasons": "Penyegaran",
            "expectations": "Pelayanan",
            "effective_date": "2030-01-02",
        }
        for _ in range(2):
            assert (await client.post("/transfers", json=body, headers=ppk)).status_code == 404
        _assert_limited(await client.post("/transfers", json=body, headers=ppk))
        own = body | {"origin_tenant": None}
        assert (await client.post("/transfers", json=own, headers=ppk)).status_code == 404


async def test_every_proposal_naming_another_governments_employee_is_logged(settings, seeded, pool):
    """Finding 2: the probe and the real request alike leave a line naming who asked whom."""
    case = await movable_case(pool, TENANT)
    target = await movable_case(pool, "kota-palembang")
    sub = f"ppk-{uuid4().hex[:6]}"
    ppk = _as(settings, sub, "approver", "kota-palembang")
    body = {
        "employee_nip": "199001012020011779",  # nobody in Kota Sorong: a probe
        "origin_tenant": TENANT,
        "target_position_code": target.target_position,
        "reasons": "Penyegaran",
        "expectations": "Pelayanan",
        "justification": "Kebutuhan organisasi",
        "effective_date": (clock.today() + timedelta(days=60)).isoformat(),
        "documents": DOCUMENTS,
    }
    async with _client(proposal_app, settings) as client:
        with capture_logs() as logs:
            probe = await client.post("/transfers", json=body, headers=ppk)
            real = await client.post(
                "/transfers",
                json=body | {"employee_nip": case.nip},
                headers=ppk | {"Idempotency-Key": str(uuid4())},
            )
    assert (probe.status_code, real.status_code) == (404, 202), real.text
    lines = [e for e in logs if e["event"].startswith("inter_government_proposal")]
    assert [(e["event"], e["origin_tenant"], e["employee_nip"]) for e in lines] == [
        ("inter_government_proposal_refused", TENANT, body["employee_nip"]),
        ("inter_government_proposal", TENANT, case.nip),
    ]
    assert lines[0]["status"] == 404 and lines[1]["transfer_id"] == real.json()["id"]
