"""A transfer as its proposer reads it (issue 14, defect 6): the TMT from the proposal on,
and BKPSDM's return note on the transfer itself, not only in a notification."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from mutasi import clock
from tests.e2e.scenario import DOCUMENTS, movable_case, people

pytestmark = pytest.mark.usefixtures("stack")


async def test_a_pending_transfer_shows_its_tmt_and_the_return_note(settings, pool):
    case = await movable_case(pool)
    who = people(settings, case)
    tmt = (clock.today() + timedelta(days=45)).isoformat()
    r = await who["hr"].propose(
        case.nip, case.target_position, tmt, justification="Kebutuhan", documents=DOCUMENTS
    )
    transfer_id = str(r.json()["id"])
    checked = await who["hr"].wait_status(transfer_id, "checked")
    assert checked["effective_date"] == tmt
    assert checked["return_note"] is None

    note = "Lampirkan SKP dua tahun terakhir yang ditandatangani atasan"
    returned = await who["hr"].call(
        "POST",
        "approval",
        f"/transfers/{transfer_id}/verify",
        json={"outcome": "returned", "note": note},
        key=str(uuid4()),
    )
    assert returned.status_code == 200, returned.text
    seen = await who["hr"].wait_status(transfer_id, "returned")
    assert (seen["return_note"], seen["returned_by_role"]) == (note, "hr_officer")
    assert seen["effective_date"] == tmt
    listed = await who["hr"].call("GET", "proposal", "/transfers?status=returned&limit=200")
    mine = [t for t in listed.json()["items"] if t["id"] == transfer_id]
    assert mine and mine[0]["return_note"] == note
