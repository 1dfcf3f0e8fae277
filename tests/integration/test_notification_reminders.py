"""Reminders and escalations reach whoever must act, with the deadline; a transfer between
governments reaches the origin's PPK for consent and BKN for the technical consideration."""

from __future__ import annotations

import pytest

from mutasi.calendar import WIB, WorkingCalendar
from mutasi.domain.id_dates import indonesian_datetime
from mutasi.log.store import Actor
from tests.e2e.api_client import Person
from tests.e2e.notification_support import eventually
from tests.event_examples import example
from tests.integration.notification_story import (
    Government,
    StoryTransfer,
    register_employee,
)

pytestmark = pytest.mark.usefixtures("stack")
# BKPSDM's deadline as the reminder names it: end of 5 June 2026 in WIB. It lies before any day
# the suite runs, so it can never be mistaken for the PPK's own deadline, which the service
# counts from the escalation's recorded time (asserted below from that time, not from today).
DUE = "2026-06-05T16:59:59+00:00"


async def told(pool, transfer_id: str, event_type: str, n: int) -> dict[str, str]:  # noqa: ANN001
    """recipient -> body of the in-app notices of one event, once there are n of them."""

    async def rows():  # noqa: ANN202
        found = await pool.fetch(
            "SELECT recipient, tenant, body FROM notifications WHERE transfer_id = $1"
            " AND event_type = $2 AND channel = 'in_app'",
            transfer_id,
            event_type,
        )
        return found if len(found) >= n else None

    found = await eventually(rows, timeout=30)
    assert len(found) == n, [r["recipient"] for r in found]
    return {f"{r['tenant']}|{r['recipient']}": " ".join(r["body"].split()) for r in found}


def deadline_facts(gov: Government, step: str, role: str) -> dict[str, object]:
    return {
        "step": step,
        "pending_role": role,
        "pending_tenant": gov.slug,
        "working_days": 5,
        "due_at": DUE,
        "escalated_to": "approver",
        "escalated_tenant": gov.slug,
    }


async def test_a_reminder_goes_to_who_must_act_and_an_escalation_to_the_next_in_line(stack, pool):  # noqa: ANN001
    gov = await Government(stack.settings).registered()
    transfer = StoryTransfer(gov, await register_employee(pool, gov))
    await transfer.record_next(pool)  # submitted
    await transfer.record_next(pool)  # checked: BKPSDM must verify
    await transfer.record(
        pool, "transfer.reminder_sent", deadline_facts(gov, "verify", "hr_officer")
    )
    await transfer.record(pool, "transfer.escalated", deadline_facts(gov, "verify", "hr_officer"))
    hr, ppk = f"{gov.slug}|role:{gov.slug}:hr_officer", f"{gov.slug}|role:{gov.slug}:approver"

    reminder = await told(pool, transfer.id, "transfer.reminder_sent", 1)
    assert "paling lambat 5 Juni 2026 pukul 23.59 WIB" in reminder[hr]

    escalation = await told(pool, transfer.id, "transfer.escalated", 2)
    assert set(escalation) == {hr, ppk}
    assert "dieskalasikan kepada Anda" in escalation[ppk]
    # The PPK gets a fresh service level of their own, counted from when the escalation was
    # recorded, not BKPSDM's deadline.
    escalated_at = await pool.fetchval(
        "SELECT occurred_at FROM event_log WHERE stream = $1 AND event_type = $2",
        f"transfer/{transfer.id}",
        "transfer.escalated",
    )
    own_due = WorkingCalendar().deadline_at(escalated_at, 5, WIB)
    assert f"paling lambat {indonesian_datetime(own_due, WIB)}" in escalation[ppk]
    assert "paling lambat 5 Juni 2026" not in escalation[ppk]
    assert "belum ditindaklanjuti oleh BKPSDM" in escalation[hr]


async def test_a_reminder_to_revise_goes_to_the_proposer_not_every_supervisor(stack, pool):  # noqa: ANN001
    gov = await Government(stack.settings).registered()
    transfer = StoryTransfer(gov, await register_employee(pool, gov))
    await transfer.record_next(pool)
    await transfer.record(pool, "transfer.returned", {"step": "verify"})
    await transfer.record(
        pool, "transfer.reminder_sent", deadline_facts(gov, "revise", "supervisor")
    )
    reminder = await told(pool, transfer.id, "transfer.reminder_sent", 1)
    assert list(reminder) == [f"{gov.slug}|user:{gov.proposer.sub}"]


async def test_between_governments_the_origin_ppk_consents_and_bkn_gives_its_pertek(stack, pool):  # noqa: ANN001
    origin = await Government(stack.settings).registered()
    receiving = await Government(stack.settings).registered()
    employee = await register_employee(pool, origin)
    transfer = StoryTransfer(origin, employee)
    await transfer.record(
        pool,
        "transfer.submitted",
        transfer.submitted(kind="between_governments_same_province", target_tenant=receiving.slug),
        Actor(f"ppk@{receiving.slug}", "approver"),
    )
    await transfer.record(pool, "transfer.recommended", example("transfer.recommended"))
    await transfer.record(
        pool,
        "transfer.consent_given",
        {"step": "consent", "reference": "800/17/2026"},
        Actor(f"ppk@{origin.slug}", "approver"),
    )

    submitted = await told(pool, transfer.id, "transfer.submitted", 3)
    assert set(submitted) == {
        f"{receiving.slug}|user:ppk@{receiving.slug}",
        f"{origin.slug}|nip:{employee.nip}",
        f"{receiving.slug}|role:{receiving.slug}:hr_officer",
    }
    recommended = await told(pool, transfer.id, "transfer.recommended", 3)
    consent = f"{origin.slug}|role:{origin.slug}:approver"
    assert consent in recommended and "paling lambat" in recommended[consent]
    given = await told(pool, transfer.id, "transfer.consent_given", 3)
    assert "bkn|role:bkn:bkn_officer" in given

    bkn = Person(stack.settings, "bkn", ["bkn_officer"], "pertek@bkn")
    inbox = (
        await bkn.call("GET", "notification", "/notifications", params={"transfer_id": transfer.id})
    ).json()
    [notice] = inbox["items"]
    assert notice["event_type"] == "transfer.consent_given"
    assert "pertimbangan teknis" in notice["body"] and "paling lambat" in notice["body"]
