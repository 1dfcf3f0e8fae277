"""Every human step has a deadline in working days: a reminder the working day before, an
escalation after it passes, each an event for the notification service (time-skipping)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from mutasi.calendar import WorkingCalendar
from mutasi.lifecycle import VerifyInput
from tests.workflows.drive import (
    business_now,
    deadline_events,
    due_of,
    hr,
    keep_history,
    start_transfer,
    state_of,
    step,
    wait_status,
    within_transfer,
)


async def test_an_unverified_transfer_is_reminded_then_escalated(time_env, worker, pool):
    data = await within_transfer(pool)
    handle = await start_transfer(time_env.client, worker, data)
    await wait_status(handle, "checked")
    state, due = await due_of(handle)
    assert (state.pending_step, state.pending_role) == ("verify", "hr_officer")

    # The deadline is the end of the tenant's SLA in working days, in Sorong's time (WIT).
    sla = await pool.fetchval("SELECT sla_working_days FROM tenants WHERE slug = $1", data.tenant)
    local_due = due.astimezone(ZoneInfo("Asia/Jayapura"))
    started = (await business_now(time_env)).astimezone(ZoneInfo("Asia/Jayapura"))
    assert (local_due.hour, local_due.minute) == (23, 59)
    assert WorkingCalendar().working_days_between(started.date(), local_due.date()) == sla
    assert await deadline_events(pool, data.transfer_id, 1, timeout=0.5) == []

    await time_env.sleep(due - await business_now(time_env) - timedelta(minutes=1))
    [reminder] = await deadline_events(pool, data.transfer_id, 1)
    assert reminder["event_type"] == "transfer.reminder_sent"
    assert reminder["payload"]["step"] == "verify"
    assert reminder["payload"]["pending_role"] == "hr_officer"
    assert reminder["payload"]["due_at"] == state.due_at

    await time_env.sleep(timedelta(minutes=2))
    reminder, escalation = await deadline_events(pool, data.transfer_id, 2)
    assert escalation["event_type"] == "transfer.escalated"
    assert escalation["payload"]["escalated_to"] == "approver"
    assert escalation["payload"]["working_days"] == sla
    assert (await state_of(handle)).status == "checked"  # waiting still, not decided for

    # The late verification still counts, and the next step gets its own deadline.
    after = await step(handle, "verify", VerifyInput(hr(data.tenant)))
    assert after.status == "verified" and after.pending_step == "place_on_agenda"
    assert datetime.fromisoformat((await due_of(handle))[0].due_at) > due
    await handle.terminate("test finished")
    await keep_history(handle, "transfer_reminded_and_escalated")
