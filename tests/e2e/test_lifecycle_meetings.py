"""BKPSDM schedules a meeting, finds it in its list, and reads its agenda and minutes; another
government does not see it."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

import pytest

from mutasi import clock
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


def _meeting(when: date, members: list[dict[str, str]]) -> dict[str, object]:
    return {
        "title": "Rapat Tim Penilai Kinerja",
        "scheduled_on": when.isoformat(),
        "place": "Ruang Rapat BKPSDM",
        "members": members,
    }


async def test_a_meeting_is_not_held_in_the_past_nor_by_made_up_members(settings, pool):
    """Issue 14, defect 8: a past date and NIPs of no employee were accepted."""
    hr = people(settings, await movable_case(pool))["hr"]
    member = {"sub": "tim-penilai@kota-sorong", "name": "Anggota"}
    past = await hr.call(
        "POST", "approval", "/meetings", json=_meeting(clock.today() - timedelta(days=1), [member])
    )
    assert past.status_code == 422 and past.json()["field"] == "scheduled_on", past.text
    assert "sudah lewat" in past.json()["title"]
    made_up = member | {"nip": "199901012020011999"}
    invented = await hr.call(
        "POST", "approval", "/meetings", json=_meeting(clock.today(), [made_up])
    )
    assert invented.status_code == 422, invented.text
    assert "199901012020011999" in invented.json()["title"]


async def test_a_meeting_is_not_closed_before_its_date(settings, pool):
    """Issue 14, defect 8: closed early, the minutes said it took place on a future date."""
    case = await movable_case(pool)
    who = people(settings, case)
    tomorrow = clock.today() + timedelta(days=1)
    member = {"sub": who["panel"].sub, "name": "Anggota"}
    r = await who["hr"].call(
        "POST", "approval", "/meetings", json=_meeting(tomorrow, [member]), key=str(uuid4())
    )
    assert r.status_code == 201, r.text
    path = f"/meetings/{r.json()['id']}"
    early = await who["hr"].call("POST", "approval", f"{path}/close", json={}, key=str(uuid4()))
    assert early.status_code == 409, early.text
    assert "belum dapat ditutup" in early.json()["title"]
    assert (await who["hr"].call("GET", "approval", path)).json()["status"] == "open"
