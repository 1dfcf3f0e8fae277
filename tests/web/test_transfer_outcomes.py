"""Detail usulan after BKPSDM's word (issue 14, defects 1 and 6, as a person sees them): the
return note on the page where the proposer revises, and a wrong decree annulled before TMT
with a cancelling decree from the page, the employee staying in their post."""

from __future__ import annotations

import re
from datetime import timedelta
from uuid import uuid4

import pytest
from markupsafe import escape

from mutasi import clock
from tests.e2e import meeting_scenario as meeting
from tests.e2e.scenario import DOCUMENTS, attach_required, movable_case, people
from tests.web.visitor import Visitor

# Not Kota Sorong: the browser stories draw their fresh employees from its small staff.
TENANT = "kota-medan"


@pytest.fixture
async def hr(web: str):
    visitor = Visitor(web)
    await visitor.sign_in(f"{TENANT}:hr_officer", "/")
    yield visitor
    await visitor.close()


async def _checked(settings, pool, days: int):  # noqa: ANN001, ANN202
    case = await movable_case(pool, TENANT)
    who = people(settings, case)
    tmt = (clock.today() + timedelta(days=days)).isoformat()
    r = await who["hr"].propose(
        case.nip, case.target_position, tmt, justification="Kebutuhan", documents=DOCUMENTS
    )
    assert r.status_code == 202, r.text
    transfer_id = str(r.json()["id"])
    await who["hr"].wait_status(transfer_id, "checked")
    return case, who, transfer_id


async def _step(person, path: str, body: dict) -> None:  # noqa: ANN001
    r = await person.call("POST", "approval", path, json=body, key=str(uuid4()))
    assert r.status_code == 200, r.text


async def test_every_rule_shows_the_fact_that_decided_it_met_or_not(settings, pool, hr):
    """A met rule is shown with its fact too ("Sudah 3 tahun dalam jabatan"), as recorded by
    the check — not "Tidak ada temuan" because only failures were kept."""
    _, who, transfer_id = await _checked(settings, pool, days=30)
    try:
        checks = await who["hr"].call("GET", "proposal", f"/transfers/{transfer_id}/checks")
        rules = checks.json()["items"][-1]["rules"]
        assert [r["code"] for r in rules] == [f"R{n}" for n in range(1, 11)]
        assert all(r["message"] for r in rules)
        page = await hr.get(f"/usulan/{transfer_id}")
        rows = re.findall(
            r'<td data-label="Aturan"><strong>(R\d+)</strong>.*?</td>'
            r'\s*<td data-label="Hasil">(.*?)</td>\s*<td data-label="Fakta">(.*?)</td>',
            page.text,
            re.S,
        )
        assert [code for code, _, _ in rows] == [f"R{n}" for n in range(1, 11)]
        by_code = {r["code"]: r for r in rules}
        for code, outcome, fact in rows:
            assert escape(by_code[code]["message"]) in fact, (code, fact)
            if by_code[code]["passed"]:
                assert "Terpenuhi" in outcome, (code, outcome)
        assert "tahun dalam jabatan" in dict((c, f) for c, _, f in rows)["R2"]
    finally:  # the employee and the post stay free for later tests
        reason = {"reason": "Uji tampilan aturan selesai"}
        await who["hr"].call("POST", "proposal", f"/transfers/{transfer_id}/withdraw",
                             json=reason, key=str(uuid4()))  # fmt: skip


async def test_the_return_note_is_on_the_page_above_the_revision(settings, pool, hr):
    _, who, transfer_id = await _checked(settings, pool, days=30)
    note = "Lampirkan SKP dua tahun terakhir yang ditandatangani atasan"
    await _step(
        who["hr"], f"/transfers/{transfer_id}/verify", {"outcome": "returned", "note": note}
    )
    await who["hr"].wait_status(transfer_id, "returned")
    page = await hr.get(f"/usulan/{transfer_id}")
    assert page.status_code == 200
    box = re.search(r'<div class="notice warn" role="note">(.*?)</div>', page.text, re.S)
    assert box, "no return note on the page"
    assert "Catatan pengembalian dari BKPSDM" in box.group(1) and note in box.group(1)
    assert box.end() < page.text.index("Perbaiki dan ajukan kembali")


async def test_bkpsdm_annuls_a_wrong_decree_from_the_page_and_the_employee_stays(
    settings, pool, hr
):
    case, who, transfer_id = await _checked(settings, pool, days=30)
    await attach_required(who["hr"], transfer_id)
    await _step(who["hr"], f"/transfers/{transfer_id}/verify", {"note": "Lengkap"})
    await meeting.hold(who["hr"], [who["panel"]], [transfer_id])
    await who["hr"].wait_status(transfer_id, "recommended")
    await _step(who["ppk"], f"/transfers/{transfer_id}/decision", {"outcome": "approved"})
    await who["hr"].wait_status(transfer_id, "notified")

    page = await hr.get(f"/usulan/{transfer_id}")
    assert "Batalkan SK sebelum TMT" in page.text
    form = {"csrf_token": hr.csrf(page), "key": str(uuid4()), "reason": " "}
    refused = await hr.client.post(f"/usulan/{transfer_id}/batalkan-sk", data=form)
    assert refused.status_code == 422  # a reason is required; nothing changes
    assert (await who["hr"].transfer(transfer_id)).json()["status"] == "notified"

    form |= {"reason": "SK memuat jabatan tujuan yang keliru"}
    done = await hr.client.post(f"/usulan/{transfer_id}/batalkan-sk", data=form)
    assert done.status_code == 200 and "SK dibatalkan dengan SK pembatalan" in done.text
    assert (await who["hr"].transfer(transfer_id)).json()["status"] == "cancelled"
    assert "Batalkan SK sebelum TMT" not in done.text  # no second cancellation offered
    employee = await pool.fetchrow(
        "SELECT position_code FROM employees WHERE tenant = $1 AND nip = $2",
        case.tenant,
        case.nip,
    )
    assert employee["position_code"] != case.target_position
