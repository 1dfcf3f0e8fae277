"""Finding 2: before the origin consents, the receiving government learns pass/fail per rule.

Confirmed live: Kota Medan's PPK proposed a Kota Sorong NIP and read "hukuman disiplin sedang
sampai 30-08-2027" from the rule checks. Here Kota Palembang's PPK proposes a Sorong employee
under an active sanction: the checks, the trail of Palembang's auditor, the PPK's notice and
Palembang's webhook all say R4 failed — none says which sanction or until when — while
Kota Sorong's own officers still read the facts.
"""

from __future__ import annotations

import re
from datetime import timedelta
from uuid import uuid4

from mutasi import clock
from mutasi.seed.cast import DemoCast
from tests.e2e.api_client import Person
from tests.e2e.notification_support import WebhookReceiver, eventually
from tests.e2e.scenario import DOCUMENTS, movable_case
from tests.security.world import HOME, THIRD
from tests.web.visitor import Visitor

DATE = re.compile(r"\d{2}-\d{2}-\d{4}|\d{4}-\d{2}-\d{2}")
SANCTION = re.compile(r"hukuman disiplin \w+ sampai", re.IGNORECASE)


async def _sanctioned_nip(pool) -> str:  # noqa: ANN001
    return str(
        await pool.fetchval(
            "SELECT e.nip FROM employees e WHERE e.tenant = $1"
            " AND EXISTS (SELECT 1 FROM jsonb_array_elements(e.data->'sanctions') s"
            "             WHERE (s->>'end')::date >= $3::date + 90)"
            " AND NOT EXISTS (SELECT 1 FROM transfers t WHERE t.employee_nip = e.nip)"
            " AND e.nip <> $2"  # the demo cast's, which the web's tests keep unproposed
            " ORDER BY random() LIMIT 1",
            HOME,
            DemoCast.for_kota_sorong().sanctioned_nip,
            clock.today(),
        )
    )


async def _propose_a_sanctioned_sorong_employee(world, pool) -> tuple[Person, str]:  # noqa: ANN001
    """Kota Palembang's PPK proposes a Kota Sorong employee under an active sanction; the
    check returns it (R4). Their PPK and the transfer's id."""
    ppk = Person(world.settings, THIRD, ["approver"], f"ppk-{uuid4().hex[:6]}@{THIRD}")
    proposed = await ppk.propose(
        await _sanctioned_nip(pool),
        (await movable_case(pool, THIRD)).target_position,
        (clock.today() + timedelta(days=60)).isoformat(),
        origin_tenant=HOME,
        justification="Kebutuhan organisasi",
        documents=DOCUMENTS,
    )
    assert proposed.status_code == 202, proposed.text
    transfer_id = str(proposed.json()["id"])
    await ppk.wait_status(transfer_id, "returned")
    return ppk, transfer_id


def _r4(check: dict) -> dict:
    return next(f for f in check["failures"] if f["code"] == "R4")


async def test_the_receiving_side_learns_that_r4_failed_not_the_sanction(
    world, pool, receiver: WebhookReceiver
):
    settings = world.settings
    hook_owner = Person(settings, THIRD, ["hr_officer"], f"bkpsdm@{THIRD}")
    receiver.up()
    subscribed = await hook_owner.call(
        "POST",
        "notification",
        "/webhook-subscriptions",
        json={"url": receiver.url, "event_types": ["transfer.checked", "transfer.returned"]},
        key=str(uuid4()),
    )
    assert subscribed.status_code == 201, subscribed.text
    ppk, transfer_id = await _propose_a_sanctioned_sorong_employee(world, pool)

    # The rule checks: R4 failed, for both; the facts for the origin only.
    theirs = (await ppk.call("GET", "proposal", f"/transfers/{transfer_id}/checks")).json()
    origin_hr = Person(settings, HOME, ["hr_officer"], f"bkpsdm@{HOME}")
    ours = (await origin_hr.call("GET", "proposal", f"/transfers/{transfer_id}/checks")).json()
    assert _r4(theirs["items"][0])["severity"] == "hard"
    findings = [c["failures"] + c["warnings"] + c["rules"] + [c["returned_reason"]]
                for c in theirs["items"]]  # fmt: skip
    assert theirs["items"][0]["rules"], "every rule's outcome is recorded (met or not)"
    assert not DATE.search(str(findings)), findings
    assert theirs["items"][0]["match_score"] is None
    assert DATE.search(_r4(ours["items"][0])["message"]), ours

    # The audit trail of Palembang's auditor; Sorong's auditor reads the facts.
    trail = f"/audit/transfers/{transfer_id}/trail?limit=200"
    auditor = Person(settings, THIRD, ["auditor"], f"auditor@{THIRD}")
    their_trail = await auditor.call("GET", "approval", trail)
    assert their_trail.status_code == 200, their_trail.text
    assert "R4" in their_trail.text and not DATE.search(
        str(
            [
                (i["reason"], i["payload"].get("failures"), i["payload"].get("rules"))
                for i in their_trail.json()["items"]
            ]
        )  # fmt: skip
    )
    our_auditor = Person(settings, HOME, ["auditor"], f"auditor@{HOME}")
    assert DATE.search((await our_auditor.call("GET", "approval", trail)).text)

    # The PPK's notice that the proposal came back.
    async def returned_notice() -> dict | None:
        inbox = (await ppk.call("GET", "notification", "/notifications?limit=200")).json()
        found = [n for n in inbox["items"] if n["transfer_id"] == transfer_id]
        return next((n for n in found if n["event_type"] == "transfer.returned"), None)

    notice = await eventually(returned_notice)
    assert "R4" in notice["body"] and not DATE.search(notice["body"].split("TMT")[0]), notice

    # Palembang's webhook.
    def delivered() -> list[dict]:
        return [r.event for r in receiver.received if r.event.get("subject") == transfer_id]

    events = await eventually(lambda: len(delivered()) >= 2 and delivered())
    for event in events:
        assert not DATE.search(str(event["data"]["payload"]) + str(event["data"]["reason"]))


async def test_the_timeline_tells_the_receiving_side_that_r4_failed_not_the_sanction(world, pool):
    """The timeline of Detail usulan (approval GET /transfers/{id}/timeline) showed every
    entry's reason and payload to both governments: the check's return named the sanction
    and its end date to the receiving PPK."""
    ppk, transfer_id = await _propose_a_sanctioned_sorong_employee(world, pool)
    path = f"/transfers/{transfer_id}/timeline?limit=200"

    def check_entries(timeline: dict) -> list[dict]:
        return [
            {"reason": e["reason"], "payload": e["payload"]}
            for e in timeline["items"]
            if e["action"] == "transfer.checked"
            or (e["action"] == "transfer.returned" and e["role"] == "system")
        ]

    theirs = await ppk.call("GET", "approval", path)
    assert theirs.status_code == 200, theirs.text
    shown = check_entries(theirs.json())
    assert len(shown) == 2 and "R4" in str(shown), shown
    assert not DATE.search(str(shown)), shown
    assert theirs.json()["chain_intact"], "withholding facts is not a broken chain"
    origin_hr = Person(world.settings, HOME, ["hr_officer"], f"bkpsdm@{HOME}")
    ours = await origin_hr.call("GET", "approval", path)
    assert DATE.search(str(check_entries(ours.json()))), ours.text


async def test_detail_usulan_shows_the_receiving_ppk_that_r4_failed_not_the_sanction(
    world, pool, web
):
    """What a person sees: the page of the case (checks and timeline) in the web app."""
    _, transfer_id = await _propose_a_sanctioned_sorong_employee(world, pool)
    pages = {}
    for person in (f"{THIRD}:approver", f"{HOME}:hr_officer"):
        visitor = Visitor(web)
        try:
            await visitor.sign_in(person, f"/usulan/{transfer_id}")
            pages[person] = await visitor.get(f"/usulan/{transfer_id}")
        finally:
            await visitor.close()
    theirs, ours = pages[f"{THIRD}:approver"], pages[f"{HOME}:hr_officer"]
    assert theirs.status_code == ours.status_code == 200
    assert "dirahasiakan" in theirs.text and not SANCTION.search(theirs.text), theirs.text
    assert SANCTION.search(ours.text)


async def test_the_transfer_read_and_listed_gives_the_receiving_side_no_sanction(world, pool):
    """GET /transfers/{id} and GET /transfers carry the latest return note (migration 013):
    the check's return named the sanction and its end date to the receiving government."""
    ppk, transfer_id = await _propose_a_sanctioned_sorong_employee(world, pool)
    origin_hr = Person(world.settings, HOME, ["hr_officer"], f"bkpsdm@{HOME}")
    notes = {}
    for who in (ppk, origin_hr):
        read = (await who.transfer(transfer_id)).json()
        listed = (await who.call("GET", "proposal", "/transfers?status=returned&limit=200")).json()
        [row] = [t for t in listed["items"] if t["id"] == transfer_id]
        assert row["return_note"] == read["return_note"] and read["returned_by_role"] == "system"
        notes[who.tenant] = read["return_note"]
    assert "R4" in notes[THIRD] and "dirahasiakan" in notes[THIRD], notes
    assert not SANCTION.search(notes[THIRD]) and not DATE.search(notes[THIRD]), notes
    assert SANCTION.search(notes[HOME]), notes
