"""Bad input gets a clear problem+json and changes nothing."""

from __future__ import annotations

import pytest

from mutasi import clock
from tests.e2e import meeting_scenario as meeting
from tests.e2e.scenario import DOCUMENTS, movable_case, people, propose_checked

pytestmark = pytest.mark.usefixtures("stack")
PROBLEM = "application/problem+json"


async def _trail_size(pool, transfer_id: str) -> int:  # noqa: ANN001
    # The transfer's own trail: checkpoints are appended to the log at any time.
    return int(
        await pool.fetchval(
            "SELECT count(*) FROM event_log WHERE stream = $1", f"transfer/{transfer_id}"
        )
    )


async def test_unknown_employee_is_404_and_nothing_starts(settings, pool):
    who = people(settings, await movable_case(pool))
    before = await pool.fetchval("SELECT count(*) FROM transfers")
    r = await who["hr"].propose("199001012015031999", "dinkes.x", clock.today().isoformat())
    assert r.status_code == 404
    assert r.headers["content-type"] == PROBLEM
    assert r.json()["type"].endswith("/not-found") and "Pegawai" in r.json()["title"]
    assert await pool.fetchval("SELECT count(*) FROM transfers") == before


async def test_missing_field_is_422_naming_the_field(settings, pool):
    case = await movable_case(pool)
    who = people(settings, case)
    r = await who["hr"].call(
        "POST",
        "proposal",
        "/transfers",
        json={
            "employee_nip": case.nip,
            "target_position_code": case.target_position,
            "expectations": "x",
            "effective_date": clock.today().isoformat(),
        },
    )
    assert r.status_code == 422 and r.headers["content-type"] == PROBLEM
    assert ["body", "reasons"] in [e["loc"] for e in r.json()["errors"]]


async def test_unknown_field_is_refused(settings, pool):
    case = await movable_case(pool)
    r = await people(settings, case)["hr"].propose(
        case.nip, case.target_position, clock.today().isoformat(), status="approved"
    )
    assert r.status_code == 422


async def test_approving_before_verification_is_refused_and_records_nothing(settings, pool):
    case = await movable_case(pool)
    who = people(settings, case)
    transfer_id = await propose_checked(who["hr"], case)
    size = await _trail_size(pool, transfer_id)
    r = await who["ppk"].call(
        "POST", "approval", f"/transfers/{transfer_id}/decision", json={"outcome": "approved"}
    )
    assert r.status_code == 409 and r.headers["content-type"] == PROBLEM
    assert r.json()["type"].endswith("/illegal-transition")
    # In words a BKPSDM officer uses (issue 14, defect 9); the code names only in English.
    assert "sudah diperiksa sistem" in r.json()["detail"] and "'" not in r.json()["title"]
    assert "checked" in r.json()["detail_en"]
    assert await _trail_size(pool, transfer_id) == size
    assert (await who["hr"].transfer(transfer_id)).json()["status"] == "checked"


async def test_a_retried_proposal_with_the_same_key_creates_one_transfer(settings, pool):
    case = await movable_case(pool)
    who = people(settings, case)
    body = {
        "employee_nip": case.nip,
        "target_position_code": case.target_position,
        "reasons": "Penyegaran",
        "expectations": "Pelayanan lebih baik",
        "effective_date": clock.today().isoformat(),
        "documents": DOCUMENTS,
    }
    first = await who["hr"].call("POST", "proposal", "/transfers", json=body, key="ulang-1")
    second = await who["hr"].call("POST", "proposal", "/transfers", json=body, key="ulang-1")
    assert first.status_code == second.status_code == 202
    assert first.json()["id"] == second.json()["id"]
    await who["hr"].wait_status(first.json()["id"], "checked", "returned")
    count = await pool.fetchval("SELECT count(*) FROM transfers WHERE employee_nip = $1", case.nip)
    assert count == 1


async def test_a_key_reused_for_another_proposal_is_refused_not_answered_with_the_first(
    settings, pool
):
    """Issue 14, defect 7: the IETF Idempotency-Key draft answers 422 to a key reused with
    another request; before, the first transfer came back as if the second were it."""
    case, other = await movable_case(pool), await movable_case(pool)
    who = people(settings, case)
    body = {
        "employee_nip": case.nip,
        "target_position_code": case.target_position,
        "reasons": "Penyegaran",
        "expectations": "Pelayanan lebih baik",
        "effective_date": clock.today().isoformat(),
        "documents": DOCUMENTS,
    }
    key = f"sekali-{case.nip}"
    first = await who["hr"].call("POST", "proposal", "/transfers", json=body, key=key)
    assert first.status_code == 202, first.text
    for change in ({"employee_nip": other.nip}, {"reasons": "Alasan lain sama sekali"}):
        reused = await who["hr"].call("POST", "proposal", "/transfers", json=body | change, key=key)
        assert reused.status_code == 422, reused.text
        assert reused.json()["type"].endswith("/idempotency-key-reused")
        assert "sudah dipakai" in reused.json()["title"]
    assert (
        await pool.fetchval("SELECT count(*) FROM transfers WHERE employee_nip = $1", other.nip)
        == 0
    )
    again = await who["hr"].call("POST", "proposal", "/transfers", json=body, key=key)
    assert again.status_code == 202 and again.json()["id"] == first.json()["id"]


async def test_rejecting_without_a_reason_is_refused(settings, pool):
    case = await movable_case(pool)
    who = people(settings, case)
    transfer_id = await propose_checked(who["hr"], case)
    r = await who["hr"].call("POST", "approval", f"/transfers/{transfer_id}/verify", json={})
    assert r.status_code == 200, r.text
    await meeting.hold(who["hr"], [who["panel"]], [transfer_id])
    await who["hr"].wait_status(transfer_id, "recommended")
    size = await _trail_size(pool, transfer_id)
    r = await who["ppk"].call(
        "POST", "approval", f"/transfers/{transfer_id}/decision", json={"outcome": "rejected"}
    )
    assert r.status_code == 422 and "Alasan" in r.json()["title"]
    assert (await who["hr"].transfer(transfer_id)).json()["status"] == "recommended"
    assert await _trail_size(pool, transfer_id) == size
