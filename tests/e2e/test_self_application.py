"""An employee looks for open posts they fit and applies online (atas permintaan sendiri);
nobody proposes across governments through a within-government transfer."""

from __future__ import annotations

import asyncpg
import pytest

from mutasi import clock
from mutasi.seed.cast import DemoCast
from tests.e2e.api_client import Person

# An employee applying for themself attaches their own request letter (issue 14, defect 10).
DOCUMENTS = ["request_letter", "skp_two_years", "last_decree"]

pytestmark = pytest.mark.usefixtures("stack")
CAST = DemoCast.for_kota_sorong()


def _employee(settings, tenant: str, nip: str) -> Person:  # noqa: ANN001
    return Person(settings, tenant, ["employee"], f"nip:{nip}", nip=nip)


async def _applicant(settings, pool: asyncpg.Pool) -> tuple[Person, list[dict]]:  # noqa: ANN001
    """An employee free to move (no sanction, no transfer) with at least one fitting vacancy."""
    rows = await pool.fetch(
        "SELECT nip FROM employees e WHERE tenant = 'kota-sorong'"
        " AND NOT EXISTS (SELECT 1 FROM transfers t WHERE t.employee_nip = e.nip)"
        " AND jsonb_array_length(e.data->'sanctions') = 0 AND e.data->'competencies' <> '{}'"
        " AND nip <> ALL($1::text[]) ORDER BY random() LIMIT 40",
        [CAST.eligible_nip, CAST.sanctioned_nip, CAST.due_for_rotation_nip],
    )
    for row in rows:
        person = _employee(settings, "kota-sorong", row["nip"])
        page = (await person.call("GET", "proposal", "/vacancies")).json()
        if page["items"] and not page["blocked_by"]:
            return person, page["items"]
    raise AssertionError("no seeded employee qualifies for any vacancy")


async def test_an_employee_lists_the_vacancies_they_qualify_for_and_applies(settings, pool):
    employee, vacancies = await _applicant(settings, pool)
    # Ranked by the profile-matching score; each qualifies by its fit (R5: at least 70).
    scores = [v["match_score"] for v in vacancies]
    assert scores == sorted(scores, reverse=True) and all(v["fit_score"] >= 70 for v in vacancies)
    assert all(v["qualifies"] and v["filled"] < v["needed"] for v in vacancies)
    own = (await employee.call("GET", "proposal", f"/employees/{employee.nip}")).json()
    assert own["position_code"] not in {v["position_code"] for v in vacancies}

    best = vacancies[0]
    response = await employee.propose(
        employee.nip,
        best["position_code"],
        clock.today().isoformat(),
        documents=DOCUMENTS,
        justification="Atas permintaan sendiri",
    )
    assert response.status_code == 202, response.text
    transfer_id = response.json()["id"]
    await employee.wait_status(transfer_id, "checked", "returned")
    [check] = (await employee.call("GET", "proposal", f"/transfers/{transfer_id}/checks")).json()[
        "items"
    ]
    assert check["match_score"] == round(best["fit_score"])  # R5 reports the fit
    assert "R7" not in {f["code"] for f in check["failures"]}
    submitted = await pool.fetchval(
        "SELECT payload FROM event_log WHERE stream = $1 AND version = 1", f"transfer/{transfer_id}"
    )
    assert submitted["self_application"] is True
    asked = (await employee.call("GET", "proposal", f"/transfers/{transfer_id}/attachments")).json()
    codes = [d["code"] for d in asked["required"]]
    assert "request_letter" in codes and "proposal_letter" not in codes
    mine = (await employee.call("GET", "proposal", "/transfers")).json()["items"]
    assert [t["id"] for t in mine] == [transfer_id]

    # BKPSDM sees the application on the vacancy, and that an open transfer now blocks more.
    hr = Person(settings, "kota-sorong", ["hr_officer"], "bkpsdm@kota-sorong")
    listed = (
        await hr.call(
            "GET",
            "proposal",
            "/vacancies",
            params={"nip": employee.nip, "unit": best["unit_code"], "qualified_only": "false"},
        )
    ).json()
    assert any(
        v["position_code"] == best["position_code"] and v["open_proposals"] >= 1
        for v in listed["items"]
    )
    assert [b["code"] for b in listed["blocked_by"]] == ["R8"]


async def test_a_sanctioned_employee_is_told_what_blocks_an_application(settings):
    employee = _employee(settings, "kota-sorong", CAST.sanctioned_nip)
    page = (await employee.call("GET", "proposal", "/vacancies")).json()
    assert "R4" in [b["code"] for b in page["blocked_by"]]
    assert all(b["message"] for b in page["blocked_by"])


async def test_an_employee_sees_only_their_own_fit(settings):
    employee = _employee(settings, "kota-sorong", CAST.due_for_rotation_nip)
    other = await employee.call("GET", "proposal", "/vacancies", params={"nip": CAST.eligible_nip})
    assert other.status_code == 404
    assert other.headers["content-type"] == "application/problem+json"


async def test_a_within_government_proposal_cannot_name_another_governments_employee(
    settings, pool
):
    stranger = await pool.fetchrow(
        # One no transfer ever named (the Jambi plan's tests propose some of its staff).
        "SELECT e.nip FROM employees e WHERE e.tenant = 'provinsi-jambi'"
        " AND NOT EXISTS (SELECT 1 FROM transfers t WHERE t.employee_nip = e.nip)"
        " ORDER BY e.nip LIMIT 1"
    )
    target = await pool.fetchval(
        "SELECT position_code FROM position_filled WHERE tenant = 'kota-sorong'"
        " AND filled < needed ORDER BY position_code LIMIT 1"
    )
    hr = Person(settings, "kota-sorong", ["hr_officer"], "bkpsdm@kota-sorong")
    refused = await hr.propose(
        stranger["nip"], target, clock.today().isoformat(), documents=DOCUMENTS
    )
    assert refused.status_code == 404
    assert refused.headers["content-type"] == "application/problem+json"
    assert (
        await pool.fetchval(
            "SELECT count(*) FROM transfers WHERE employee_nip = $1", stranger["nip"]
        )
        == 0
    )

    colleague = _employee(settings, "kota-sorong", CAST.due_for_rotation_nip)
    for_someone_else = await colleague.propose(CAST.eligible_nip, target, clock.today().isoformat())
    assert for_someone_else.status_code == 404
