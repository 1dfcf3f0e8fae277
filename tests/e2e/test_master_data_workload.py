"""BKPSDM reads the workload analysis: where each government is short or over-staffed, and
who has sat more than five years in one post."""

from __future__ import annotations

import pytest

from mutasi import clock
from mutasi.domain.dates import add_years
from mutasi.seed.cast import DemoCast
from tests.e2e.api_client import Person

pytestmark = pytest.mark.usefixtures("stack")
TENANTS = (
    "kota-sorong",
    "provinsi-jambi",
    "kota-palembang",
    "kabupaten-bengkulu-selatan",
    "kota-medan",
)


def _hr(settings, tenant: str) -> Person:  # noqa: ANN001
    return Person(settings, tenant, ["hr_officer"], f"bkpsdm@{tenant}")


async def test_the_workload_shows_each_governments_real_gaps(settings, pool):
    surplus = 0
    for tenant in TENANTS:
        page = (
            await _hr(settings, tenant).call("GET", "proposal", "/workload", params={"limit": 200})
        ).json()
        expected = await pool.fetch(
            "SELECT unit_code, sum(needed)::int AS needed, sum(filled)::int AS filled,"
            " count(*) FILTER (WHERE filled < needed)::int AS vacant FROM position_filled"
            " WHERE tenant = $1 GROUP BY unit_code",
            tenant,
        )
        units = {u["unit_code"]: u for u in page["items"]}
        assert {r["unit_code"]: (r["needed"], r["filled"], r["vacant"]) for r in expected} == {
            code: (u["needed"], u["filled"], u["vacant_positions"]) for code, u in units.items()
        }
        assert page["totals"]["needed"] == sum(r["needed"] for r in expected)
        assert page["totals"]["filled"] == sum(r["filled"] for r in expected)
        assert all(u["gap"] == u["needed"] - u["filled"] for u in units.values())
        # Every seeded government is short somewhere: most regions lack staff overall.
        assert any(u["status"] == "under" and u["shortage"] > 0 for u in units.values()), tenant
        surplus += sum(u["surplus"] for u in units.values())
    assert surplus > 0  # and some posts hold more people than their ABK need


async def test_a_unit_lists_its_posts_and_who_is_due_for_rotation(settings, pool):
    cast = DemoCast.for_kota_sorong()
    hr = _hr(settings, "kota-sorong")
    detail = (await hr.call("GET", "proposal", "/workload/bpkad", params={"limit": 200})).json()
    assert sum(p["needed"] for p in detail["positions"]) == detail["needed"]
    assert sum(p["filled"] for p in detail["positions"]) == detail["filled"]
    due = {r["nip"]: r for r in detail["rotation"]}
    assert due[cast.due_for_rotation_nip]["years_in_position"] >= 5  # Agnes Malibela, 7 years

    today = clock.today()
    staff = await pool.fetch(
        "SELECT nip, position_since FROM employees"
        " WHERE tenant = 'kota-sorong' AND unit_code = 'bpkad'"
    )
    assert set(due) == {s["nip"] for s in staff if today > add_years(s["position_since"], 5)}
    assert detail["due_for_rotation"] == len(due)

    overview = (await hr.call("GET", "proposal", "/workload", params={"limit": 200})).json()
    [bpkad] = [u for u in overview["items"] if u["unit_code"] == "bpkad"]
    assert bpkad["due_for_rotation"] == len(due)


async def test_the_workload_pages_and_refuses_what_the_caller_may_not_see(settings):
    hr = _hr(settings, "kota-medan")
    first = (await hr.call("GET", "proposal", "/workload", params={"limit": 3})).json()
    assert len(first["items"]) == 3 and first["next_offset"] == 3
    missing = await hr.call("GET", "proposal", "/workload/unit-yang-tidak-ada")
    assert missing.status_code == 404
    employee = Person(
        settings, "kota-medan", ["employee"], "pegawai@kota-medan", nip="199005122015032401"
    )
    assert (await employee.call("GET", "proposal", "/workload")).status_code == 403
