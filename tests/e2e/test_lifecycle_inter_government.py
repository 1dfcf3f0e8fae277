"""Between two governments over HTTP: Kota Palembang's PPK asks for an employee of Kota Sorong
(different provinces, so BKN's pertek and a decree by the Minister); each step is taken by the
right role of the right government, and both governments and BKN see the transfer."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from mutasi import clock
from mutasi.domain.model import INTER_GOVERNMENT_DOCUMENTS
from tests.e2e import meeting_scenario as meeting
from tests.e2e.api_client import Person
from tests.e2e.scenario import attach_required, movable_case

pytestmark = pytest.mark.usefixtures("stack")
ORIGIN, TARGET = "kota-sorong", "kota-palembang"
DOCUMENTS = [d.code for d in INTER_GOVERNMENT_DOCUMENTS]


def cast(settings, nip: str) -> dict[str, Person]:  # noqa: ANN001
    return {
        "origin_hr": Person(settings, ORIGIN, ["hr_officer"], f"bkpsdm@{ORIGIN}"),
        "origin_ppk": Person(settings, ORIGIN, ["approver"], f"ppk@{ORIGIN}"),
        "employee": Person(settings, ORIGIN, ["employee"], f"pegawai-{nip}", nip=nip),
        "hr": Person(settings, TARGET, ["hr_officer"], f"bkpsdm@{TARGET}"),
        "panel": Person(settings, TARGET, ["panel_member"], f"tim-penilai@{TARGET}"),
        "ppk": Person(settings, TARGET, ["approver"], f"ppk@{TARGET}"),
        "bkn": Person(settings, "bkn", ["bkn_officer"], "pertek@bkn"),
        "outsider": Person(settings, "kota-medan", ["hr_officer"], "bkpsdm@kota-medan"),
    }


async def _vacancy(pool, tenant: str) -> str:  # noqa: ANN001
    return str(
        await pool.fetchval(
            "SELECT position_code FROM position_filled WHERE tenant = $1 AND filled < needed"
            " ORDER BY random() LIMIT 1",
            tenant,
        )
    )


async def _step(
    person: Person, path: str, body: dict[str, Any], expected: int = 200
) -> dict[str, Any]:
    r = await person.call("POST", "approval", path, json=body)
    assert r.status_code == expected, r.text
    return dict(r.json())


async def test_a_transfer_between_provinces_goes_through_consent_pertek_and_decree(settings, pool):
    case = await movable_case(pool, ORIGIN)
    who = cast(settings, case.nip)
    post = await _vacancy(pool, TARGET)
    tid = await _proposed_by_the_receiving_ppk(who, pool, case.nip, post)
    await _visible_to_both_governments_and_bkn(who, tid)
    await _through_consent_and_pertek_by_the_right_hands(who, tid)

    final = await who["hr"].wait_status(tid, "completed")
    await _decree_is_the_ministers_and_seen_by_both(who, tid, final["decree_number"], pool)
    employee = await who["hr"].call("GET", "proposal", f"/employees/{case.nip}")
    assert employee.status_code == 200 and employee.json()["position_code"] == post
    trail = await pool.fetch(
        "SELECT event_type, actor_id, actor_role FROM event_log WHERE stream = $1 ORDER BY version",
        f"transfer/{tid}",
    )
    assert [r["event_type"] for r in trail] == [
        "transfer.submitted",
        "transfer.checked",
        "transfer.verified",
        "transfer.placed_on_agenda",
        "transfer.recommended",
        "transfer.consent_given",
        "transfer.pertek_given",
        "transfer.approved",
        "transfer.decree_issued",
        "transfer.notified",
        "transfer.effective",
        "transfer.completed",
    ]
    actors = {r["event_type"]: (r["actor_id"], r["actor_role"]) for r in trail}
    assert actors["transfer.consent_given"] == (f"ppk@{ORIGIN}", "approver")
    assert actors["transfer.pertek_given"] == ("pertek@bkn", "bkn_officer")
    assert actors["transfer.approved"] == (f"ppk@{TARGET}", "approver")


async def _proposed_by_the_receiving_ppk(
    who: dict[str, Person],
    pool,
    nip: str,  # noqa: ANN001
    post: str,
) -> str:
    extra = {
        "origin_tenant": ORIGIN,
        "justification": "Formasi kosong di Palembang",
        "documents": DOCUMENTS,
    }
    today = clock.today().isoformat()
    # Only the receiving government's PPK proposes a move between governments.
    assert (await who["hr"].propose(nip, post, today, **extra)).status_code == 403
    r = await who["ppk"].propose(nip, post, today, **extra)
    assert r.status_code == 202, r.text
    tid = str(r.json()["id"])
    checked = await who["hr"].wait_status(tid, "checked", "returned")
    assert checked["status"] == "checked", await pool.fetchval(
        "SELECT payload FROM event_log WHERE stream = $1 AND event_type = 'transfer.checked'",
        f"transfer/{tid}",
    )
    assert checked["kind"] == "between_provinces"
    assert (checked["tenant"], checked["target_tenant"]) == (ORIGIN, TARGET)
    return tid


async def _visible_to_both_governments_and_bkn(who: dict[str, Person], tid: str) -> None:
    for name in ("origin_hr", "hr", "bkn", "employee"):
        assert (await who[name].transfer(tid)).status_code == 200, name
    assert (await who["outsider"].transfer(tid)).status_code == 404
    listed = (await who["bkn"].call("GET", "proposal", "/transfers?limit=200")).json()
    assert tid in {t["id"] for t in listed["items"]}


async def _through_consent_and_pertek_by_the_right_hands(who: dict[str, Person], tid: str) -> None:
    path = f"/transfers/{tid}"
    await _step(who["origin_hr"], f"{path}/verify", {}, 403)  # the receiving BKPSDM verifies
    await attach_required(who["hr"], tid)
    await _step(who["hr"], f"{path}/verify", {"note": "Berkas lengkap"})
    await meeting.hold(who["hr"], [who["panel"]], [tid])
    await who["hr"].wait_status(tid, "recommended")
    await _step(who["ppk"], f"{path}/decision", {"outcome": "approved"}, 409)  # consent first
    await _step(who["ppk"], f"{path}/consent", {"outcome": "given"}, 403)  # wrong government
    await _step(
        who["origin_ppk"],
        f"{path}/consent",
        {"outcome": "given", "reference": "800/123/BKPSDM/2026"},
    )
    await _step(who["origin_ppk"], f"{path}/pertek", {"outcome": "given"}, 403)  # not BKN
    progress = (await who["hr"].call("GET", "approval", f"{path}/progress")).json()
    assert (progress["pending_step"], progress["pending_tenant"]) == ("pertek", "bkn")
    await _step(who["bkn"], f"{path}/pertek", {"outcome": "given", "reference": "PT-7/2026"})
    await _step(who["origin_ppk"], f"{path}/decision", {"outcome": "approved"}, 403)
    await _step(who["ppk"], f"{path}/decision", {"outcome": "approved"})


async def _decree_is_the_ministers_and_seen_by_both(
    who: dict[str, Person], tid: str, number: str, pool
) -> None:  # noqa: ANN001
    recorded = await pool.fetchval(
        "SELECT payload FROM event_log WHERE stream = $1 AND event_type = $2",
        f"transfer/{tid}",
        "transfer.decree_issued",
    )
    assert recorded["decree_number"] == number
    assert recorded["signed_by"] == "Menteri Dalam Negeri Republik Indonesia"
    for name in ("origin_hr", "ppk", "employee"):
        r = await who[name].call("GET", "approval", f"/transfers/{tid}/decree")
        assert r.status_code == 200 and r.headers["content-type"] == "application/pdf", name
        assert hashlib.sha256(r.content).hexdigest() == recorded["document_sha256"]
        assert r.headers["x-document-sha256"] == recorded["document_sha256"]
    assert (
        await who["outsider"].call("GET", "approval", f"/transfers/{tid}/decree")
    ).status_code == 404
