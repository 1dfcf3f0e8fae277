"""BKPSDM records an employee's assessment and SKP through the API; the employee reads it."""

from __future__ import annotations

from uuid import uuid4

import pytest

from tests.e2e.api_client import Person
from tests.e2e.scenario import movable_case

pytestmark = pytest.mark.usefixtures("stack")
LEVELS = {"Integritas": 4, "Kerja Sama": 3, "Perekat Bangsa": 3, "Analisis Data": 4}


def levels(values: dict[str, int]) -> list[dict]:
    return [{"competency": name, "level": level} for name, level in values.items()]


def body(**changes) -> dict:
    return {
        "assessed_on": "2026-05-20",
        "institution": f"UPT Penilaian Kompetensi {uuid4().hex[:6]}",
        "method": "Assessment Center",
        "levels": levels(LEVELS),
    } | changes


async def test_an_assessment_is_recorded_once_and_becomes_the_current_profile(settings, pool):
    case = await movable_case(pool)
    hr = Person(settings, case.tenant, ["hr_officer"], f"bkpsdm@{case.tenant}")
    path = f"/employees/{case.nip}/assessments"
    first = body()
    created = await hr.call("POST", "proposal", path, json=first, key=str(uuid4()))
    assert created.status_code == 201, created.text
    assert created.json()["current"] is True and created.json()["levels"] == LEVELS
    again = await hr.call("POST", "proposal", path, json=first, key=str(uuid4()))
    assert again.status_code == 200 and again.json()["id"] == created.json()["id"]
    other = await hr.call(
        "POST", "proposal", path, json=first | {"levels": levels({"Integritas": 1})}
    )
    assert other.status_code == 409
    assert other.headers["content-type"].startswith("application/problem+json")
    events = await pool.fetchval(
        "SELECT count(*) FROM event_log WHERE stream = $1 AND event_type = 'employee.assessed'"
        " AND payload->>'assessment_id' = $2",
        f"employee/{case.nip}",
        created.json()["id"],
    )
    assert events == 1
    competencies = await pool.fetchval(
        "SELECT data->'competencies' FROM employees WHERE nip = $1", case.nip
    )
    assert competencies == LEVELS


async def test_the_employee_reads_their_own_history_and_nobody_elses(settings, pool):
    case = await movable_case(pool)
    hr = Person(settings, case.tenant, ["hr_officer"], f"bkpsdm@{case.tenant}")
    await hr.call("POST", "proposal", f"/employees/{case.nip}/assessments", json=body())
    me = Person(settings, case.tenant, ["employee"], f"pegawai-{case.nip}", nip=case.nip)
    mine = await me.call("GET", "proposal", f"/employees/{case.nip}/assessments")
    assert mine.status_code == 200 and mine.json()["items"][0]["nip"] == case.nip
    other = await movable_case(pool)
    theirs = await me.call("GET", "proposal", f"/employees/{other.nip}/assessments")
    assert theirs.status_code == 404
    medan = Person(settings, "kota-medan", ["hr_officer"], "bkpsdm@kota-medan")
    foreign = await medan.call("GET", "proposal", f"/employees/{case.nip}/assessments")
    assert foreign.status_code == 404
    refused = await me.call("POST", "proposal", f"/employees/{case.nip}/assessments", json=body())
    assert refused.status_code == 403


async def test_a_future_assessment_and_an_unknown_predicate_are_refused(settings, pool):
    case = await movable_case(pool)
    hr = Person(settings, case.tenant, ["hr_officer"], f"bkpsdm@{case.tenant}")
    future = await hr.call(
        "POST",
        "proposal",
        f"/employees/{case.nip}/assessments",
        json=body(assessed_on="2099-01-01"),
    )
    assert future.status_code == 422 and "belum terjadi" in future.json()["title"]
    wrong = await hr.call(
        "PUT", "proposal", f"/employees/{case.nip}/performance/2025",
        json={"performance": "Luar Biasa"},
    )  # fmt: skip
    assert wrong.status_code == 422


async def test_a_years_skp_is_recorded_and_repeating_it_changes_nothing(settings, pool):
    case = await movable_case(pool)
    hr = Person(settings, case.tenant, ["hr_officer"], f"bkpsdm@{case.tenant}")
    path = f"/employees/{case.nip}/performance/2025"
    current = await pool.fetchval(
        "SELECT data->'performance'->>'2025' FROM employees WHERE nip = $1", case.nip
    )
    wanted = "Kurang" if current != "poor" else "Sangat Baik"
    first = await hr.call("PUT", "proposal", path, json={"performance": wanted})
    assert first.status_code == 200 and first.json()["recorded"] is True
    second = await hr.call("PUT", "proposal", path, json={"performance": wanted.upper()})
    assert second.status_code == 200 and second.json()["recorded"] is False
    stored = await pool.fetchval(
        "SELECT data->'performance'->>'2025' FROM employees WHERE nip = $1", case.nip
    )
    assert stored == first.json()["performance"]
