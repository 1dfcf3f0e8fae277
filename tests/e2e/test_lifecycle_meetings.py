"""BKPSDM schedules a meeting, finds it in its list, and reads its agenda and minutes; another
government does not see it."""

from __future__ import annotations

import pytest

from tests.e2e import meeting_scenario as meeting
from tests.e2e.api_client import Person
from tests.e2e.scenario import movable_case, people, propose_checked

pytestmark = pytest.mark.usefixtures("stack")


async def test_a_meeting_is_listed_read_and_closed_with_its_minutes(settings, pool):
    case = await movable_case(pool)
    who = people(settings, case)
    transfer_id = await propose_checked(who["hr"], case)
    await who["hr"].call("POST", "approval", f"/transfers/{transfer_id}/verify", json={})

    meeting_id = await meeting.schedule(who["hr"], [who["panel"]], quorum=1)
    listed = (await who["ppk"].call("GET", "approval", "/meetings?limit=200")).json()["items"]
    assert {"id": meeting_id, "status": "open"}.items() <= next(
        m for m in listed if m["id"] == meeting_id
    ).items()
    path = f"/meetings/{meeting_id}"
    await who["hr"].call("POST", "approval", f"{path}/agenda", json={"transfer_id": transfer_id})
    await who["panel"].call(
        "POST",
        "approval",
        f"{path}/votes",
        json={"votes": [{"transfer_id": transfer_id, "vote": "recommend"}]},
    )
    read = (await who["panel"].call("GET", "approval", path)).json()
    assert [i["votes"] for i in read["items"]] == [{who["panel"].sub: "recommend"}]
    assert read["members"][0]["sub"] == who["panel"].sub and read["status"] == "open"

    closed = (
        await who["hr"].call(
            "POST", "approval", f"{path}/close", json={"note": "Rapat selesai tepat waktu"}
        )
    ).json()
    assert closed["status"] == "closed" and "BERITA ACARA" in closed["minutes"]
    listed = (await who["hr"].call("GET", "approval", "/meetings?limit=200")).json()["items"]
    assert next(m for m in listed if m["id"] == meeting_id)["status"] == "closed"
    again = await who["hr"].call("POST", "approval", f"{path}/close", json={})
    assert again.status_code == 409  # a closed meeting takes no more steps

    outsider = Person(settings, "kota-medan", ["hr_officer"], "bkpsdm@kota-medan")
    assert (await outsider.call("GET", "approval", path)).status_code == 404
    theirs = (await outsider.call("GET", "approval", "/meetings?limit=200")).json()["items"]
    assert meeting_id not in {m["id"] for m in theirs}
    await who["hr"].wait_status(transfer_id, "recommended")
