"""BKPSDM of Provinsi Jambi compares the candidates for one post, each score explained;
an employee's aspiration and a unit's location show in the ranking."""

from __future__ import annotations

import pytest

from tests.e2e.api_client import Person
from tests.integration.planning_support import import_file, jambi

pytestmark = pytest.mark.usefixtures("stack")
POST = "diskominfo.pranata-komputer-ahli-muda"
TAUFIK, YUSUF = "198603242009031001", "197303082001021001"  # S1 Teknik Informatika


@pytest.fixture
async def province(pool):
    place = await jambi(pool)
    for kind in ("employees", "positions", "assessments"):
        await import_file(pool, place, kind)
    return place


def hr(settings, place) -> Person:
    return Person(settings, place.tenant, ["hr_officer"], f"bkpsdm@{place.tenant}")


async def test_the_candidates_are_led_by_informatics_graduates_meeting_the_standard(
    settings, province
):
    page = await hr(settings, province).call("GET", "proposal", f"/vacancies/{POST}/candidates")
    assert page.status_code == 200, page.text
    body = page.json()
    assert body["post"]["vacant"] is False and "R1" in body["post"]["note"]
    assert body["excluded"] == {"R1": 3}  # its three holders
    items = body["items"]
    assert [i["score"] for i in items] == sorted((i["score"] for i in items), reverse=True)
    assert {items[0]["nip"], items[1]["nip"]} == {province.nip(TAUFIK), province.nip(YUSUF)}
    informatics = [i for i in items if i["education"] == "S1 Teknik Informatika"]
    assert len(informatics) == 5 and all(i["score"] > 40 for i in informatics)
    for item in items:
        assert sum(c["contribution"] for c in item["criteria"]) == pytest.approx(
            item["base_score"], abs=0.1
        )
        assert item["score"] == pytest.approx(
            item["base_score"] - sum(p["points"] for p in item["penalties"]), abs=0.01
        )
    field = next(c for c in items[0]["criteria"] if c["name"] == "Bidang pendidikan")
    assert (field["required"], field["actual"], field["weight"]) == (
        "Teknik Informatika", "Teknik Informatika", 5.0,
    )  # fmt: skip


async def test_only_those_who_decide_see_candidates_and_only_their_own(settings, province):
    panel = Person(settings, province.tenant, ["panel_member"], f"tim@{province.tenant}")
    assert (await panel.call("GET", "proposal", f"/vacancies/{POST}/candidates")).status_code == 200
    nip = province.nip(TAUFIK)
    employee = Person(settings, province.tenant, ["employee"], f"pegawai-{nip}", nip=nip)
    refused = await employee.call("GET", "proposal", f"/vacancies/{POST}/candidates")
    assert refused.status_code == 403
    medan = Person(settings, "kota-medan", ["hr_officer"], "bkpsdm@kota-medan")
    assert (await medan.call("GET", "proposal", f"/vacancies/{POST}/candidates")).status_code == 404


async def test_an_aspiration_and_the_units_location_enter_the_explanation(settings, province):
    officer = hr(settings, province)
    located = await officer.call(
        "PUT", "proposal", "/units/diskominfo/location", json={"city": "Kota Jambi"}
    )
    assert located.status_code == 200 and located.json()["recorded"] is True
    nip = province.nip("198409072012032001")  # Fitriani Harahap, domicile Kota Jambi
    fitriani = Person(settings, province.tenant, ["employee"], f"pegawai-{nip}", nip=nip)

    async def hers() -> dict:
        page = await officer.call("GET", "proposal", f"/vacancies/{POST}/candidates?limit=50")
        return next(i for i in page.json()["items"] if i["nip"] == nip)

    before = await hers()
    assert before["distance_km"] == 0.0
    wish = {"positions": [POST], "reason": "Ingin mengembangkan karier di bidang TI"}
    recorded = await fitriani.call("POST", "proposal", f"/employees/{nip}/aspirations", json=wish)
    assert recorded.status_code == 201, recorded.text
    again = await fitriani.call("POST", "proposal", f"/employees/{nip}/aspirations", json=wish)
    assert again.status_code == 200 and len(again.json()["items"]) == 1
    after = await hers()
    aspiration = next(c for c in after["criteria"] if c["name"] == "Aspirasi")
    assert (aspiration["actual"], aspiration["weight"]) == ("jabatan yang diminati", 5.0)
    assert after["score"] > before["score"]
    listed = await officer.call("GET", "proposal", "/aspirations")
    assert nip in {i["nip"] for i in listed.json()["items"]}
