"""Between governments the employee's own government hears that its employee leaves:
its BKPSDM and its PPK get the decision and the effective-date notices too (issue 14,
defect 5; before, Kota Medan's BKPSDM learnt nothing of a Medan → Jambi transfer)."""

from __future__ import annotations

from mutasi.log.store import Actor
from tests.e2e.notification_support import eventually
from tests.event_examples import example
from tests.integration.notification_story import (
    Government,
    StoryTransfer,
    register_employee,
)


async def test_the_origin_bkpsdm_and_ppk_hear_the_decision_and_the_move(stack, pool):  # noqa: ANN001
    origin = await Government(stack.settings).registered()
    receiving = await Government(stack.settings).registered()
    employee = await register_employee(pool, origin)
    transfer = StoryTransfer(origin, employee)
    submitted = transfer.submitted(kind="between_provinces", target_tenant=receiving.slug)
    ppk = Actor(f"ppk@{receiving.slug}", "approver")
    await transfer.record(pool, "transfer.submitted", submitted, ppk)
    await transfer.record(pool, "transfer.approved", {"step": "decide"}, ppk)
    decree = example(
        "transfer.decree_issued",
        decree_number=transfer.decree,
        effective_date=transfer.tmt,
        issuing_tenant=receiving.slug,
    )
    await transfer.record(pool, "transfer.decree_issued", decree)
    moved = {k: submitted[k] for k in example("transfer.effective")}
    await transfer.record(pool, "transfer.effective", moved | {"target_tenant": receiving.slug})

    desks = {f"role:{origin.slug}:{r}" for r in ("hr_officer", "approver")}
    for event_type in ("transfer.approved", "transfer.decree_issued", "transfer.effective"):

        async def reached(event_type: str = event_type) -> dict[str, str] | None:
            rows = await pool.fetch(
                "SELECT recipient, body FROM notifications WHERE transfer_id = $1"
                " AND event_type = $2 AND channel = 'in_app' AND tenant = $3",
                transfer.id,
                event_type,
                origin.slug,
            )
            found = {r["recipient"]: " ".join(r["body"].split()) for r in rows}
            return found if desks <= set(found) else None

        found = await eventually(reached, timeout=30)
        assert employee.name in found[f"role:{origin.slug}:hr_officer"], event_type
