"""A government weighs profile matching its own way; units get a location by file or API."""

from __future__ import annotations

import pytest

from tests.e2e.api_client import Person
from tests.integration.import_support import fresh_tenant

pytestmark = pytest.mark.usefixtures("stack")
UNITS_CSV = (
    "Kode Unit;Nama Unit;Kabupaten/Kota;Lintang;Bujur\r\n"
    "dinkes;Dinas Kesehatan;Kota Jambi;;\r\n"
    "dishub;Dinas Perhubungan;Kabupaten Bungo;-1,4850;102,1200\r\n"
    "bappeda;Badan Perencanaan;Kota Jambi;-1.61;\r\n"
)


async def test_bkpsdm_changes_the_weights_and_each_change_is_logged(settings, pool):
    tenant = await fresh_tenant(pool)
    hr = Person(settings, tenant, ["hr_officer"], f"bkpsdm@{tenant}")
    defaults = (await hr.call("GET", "proposal", "/planning/settings")).json()["profile"]
    assert defaults["core_share"] == 0.6 and defaults["gap_weights"]["-1"] == 4.0
    changed = await hr.call(
        "PUT", "proposal", "/planning/settings",
        json={"profile": {"core_share": 0.75, "aspect_weights": {"education": 40}},
              "reason": "Keputusan Kepala BKPSDM"},
    )  # fmt: skip
    assert changed.status_code == 200, changed.text
    assert changed.json()["changed"] == ["core_share", "aspect_weights"]
    weights = changed.json()["profile"]["aspect_weights"]
    assert (weights["education"], weights["managerial"]) == (40.0, 20.0)  # the rest stays
    same = await hr.call("PUT", "proposal", "/planning/settings", json={"profile": {}})
    assert same.json()["changed"] == []
    logged = await pool.fetch(
        "SELECT payload, reason FROM event_log WHERE tenant = $1"
        " AND event_type = 'planning.settings_changed'",
        tenant,
    )
    assert [(r["payload"]["profile"]["core_share"], r["reason"]) for r in logged] == [
        ("0.75", "Keputusan Kepala BKPSDM")
    ]
    bad = await hr.call(
        "PUT", "proposal", "/planning/settings", json={"profile": {"gap_weights": {"1": 4}}}
    )
    assert bad.status_code == 422
    supervisor = Person(settings, tenant, ["supervisor"], f"atasan@{tenant}", unit="dinkes")
    refused = await supervisor.call("PUT", "proposal", "/planning/settings", json={"profile": {}})
    assert refused.status_code == 403


async def test_a_units_file_with_places_locates_each_unit_and_refuses_half_coordinates(
    settings, pool
):
    tenant = await fresh_tenant(pool, (("dinkes", "Dinas Kesehatan"),))
    hr = Person(settings, tenant, ["hr_officer"], f"bkpsdm@{tenant}")
    report = (
        await hr.call(
            "POST", "proposal", "/imports/units",
            files={"file": ("unit.csv", UNITS_CSV.encode(), "text/csv")},
        )
    ).json()  # fmt: skip
    assert report["counts"]["refused"] == 1 and report["errors"][0]["line"] == 4
    assert report["counts"]["updated"] == 1 and report["counts"]["created"] == 1
    rows = {
        r["code"]: (r["city"], r["latitude"], r["longitude"])
        for r in await pool.fetch(
            "SELECT code, city, latitude, longitude FROM units WHERE tenant = $1", tenant
        )
    }
    assert rows["dinkes"] == ("Kota Jambi", -1.6101, 103.6131)  # from the gazetteer
    assert rows["dishub"] == ("Kabupaten Bungo", -1.485, 102.12)
    located = await pool.fetchval(
        "SELECT count(*) FROM event_log WHERE tenant = $1 AND event_type = 'unit.located'", tenant
    )
    assert located == 2
    again = (
        await hr.call(
            "POST", "proposal", "/imports/units",
            files={"file": ("unit.csv", UNITS_CSV.encode(), "text/csv")},
        )
    ).json()  # fmt: skip
    assert again["counts"]["unchanged"] == 2
