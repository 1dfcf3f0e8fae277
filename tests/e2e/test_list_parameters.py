"""The hot list reads (GET /transfers, GET /tasks) take their query parameters as one model
(issue 17): the same answers as before — an unknown parameter or a bad value is a 422 naming
it, a missing token a 401 first, and the filters and the page still apply."""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.scenario import movable_case, people

pytestmark = pytest.mark.usefixtures("stack")
PROBLEM = "application/problem+json"
READS = (("proposal", "/transfers"), ("approval", "/tasks"))


@pytest.mark.parametrize(("service", "path"), READS)
async def test_an_unknown_parameter_is_refused_by_name(settings, pool, service, path):
    hr = people(settings, await movable_case(pool))["hr"]
    r = await hr.call("GET", service, path, params={"limit": "5", "halaman": "2"})
    assert r.status_code == 422 and r.headers["content-type"] == PROBLEM
    assert r.json()["unknown"] == ["halaman"]


@pytest.mark.parametrize(("service", "path"), READS)
async def test_a_page_out_of_bounds_is_422_naming_the_parameter(settings, pool, service, path):
    hr = people(settings, await movable_case(pool))["hr"]
    r = await hr.call("GET", service, path, params={"limit": "500"})
    assert r.status_code == 422 and r.headers["content-type"] == PROBLEM
    assert [e["loc"] for e in r.json()["errors"]] == [["query", "limit"]]


@pytest.mark.parametrize(("service", "path"), READS)
async def test_no_token_is_401_before_any_parameter_is_judged(settings, service, path):
    base = {"proposal": settings.proposal_port, "approval": settings.approval_port}[service]
    async with httpx.AsyncClient() as client:
        r = await client.get(
            f"http://{settings.bind_host}:{base}{path}", params={"limit": "0", "x": "1"}
        )
    assert r.status_code == 401


async def test_the_transfer_list_filters_by_date_alias_and_pages(settings, pool):
    hr = people(settings, await movable_case(pool))["hr"]
    r = await hr.call("GET", "proposal", "/transfers", params={"to": "2000-01-01"})
    assert r.status_code == 200 and r.json()["items"] == []
    r = await hr.call("GET", "proposal", "/transfers", params={"from": "kemarin"})
    assert r.status_code == 422 and [e["loc"] for e in r.json()["errors"]] == [["query", "from"]]
    r = await hr.call(
        "GET", "proposal", "/transfers", params=[("status", "checked"), ("status", "verified")]
    )
    assert r.status_code == 200
    assert {t["status"] for t in r.json()["items"]} <= {"checked", "verified"}
    one = await hr.call("GET", "proposal", "/transfers", params={"limit": "1"})
    assert one.status_code == 200 and len(one.json()["items"]) <= 1
