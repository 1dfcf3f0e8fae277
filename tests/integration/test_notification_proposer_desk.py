"""A PPK (or BKPSDM) who proposed reads their desk's notices too: each notice reaches them
once (issue 14, defect 11), not once as proposer and once more at the desk."""

from __future__ import annotations

from collections import Counter

from mutasi.log.store import Actor
from tests.e2e.notification_support import eventually
from tests.event_examples import example
from tests.integration.notification_story import (
    Government,
    StoryTransfer,
    register_employee,
)


async def test_a_ppk_who_proposed_is_told_each_fact_once(stack, pool):  # noqa: ANN001
    gov = await Government(stack.settings).registered()
    employee = await register_employee(pool, gov)
    transfer = StoryTransfer(gov, employee)
    ppk = gov.person("approver", f"ppk@{gov.slug}")
    by_ppk, hr = Actor(ppk.sub, "approver"), Actor(gov.hr.sub, "hr_officer")
    await transfer.record(pool, "transfer.submitted", transfer.submitted(), by_ppk)
    await transfer.record(pool, "transfer.verified", {"step": "verify"}, hr)
    # After the meeting the PPK decides: told at the approver desk, which the PPK reads.
    await transfer.record(pool, "transfer.recommended", example("transfer.recommended"))
    await transfer.record(pool, "transfer.approved", {"step": "decide"}, by_ppk)

    async def inbox():  # noqa: ANN202
        r = await ppk.call("GET", "notification", f"/notifications?transfer_id={transfer.id}")
        items = r.json()["items"]
        kinds = {i["event_type"] for i in items}
        return items if {"transfer.recommended", "transfer.approved"} <= kinds else None

    items = await eventually(inbox, timeout=30)
    per_event = Counter(i["event_id"] for i in items)
    assert max(per_event.values()) == 1, [(i["event_type"], i["recipient"]) for i in items]
    recommended = [i for i in items if i["event_type"] == "transfer.recommended"]
    assert [i["recipient"] for i in recommended] == [f"role:{gov.slug}:approver"]
