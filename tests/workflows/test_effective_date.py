"""After the decree a durable timer waits for TMT; then the employee moves, once."""

from __future__ import annotations

from datetime import date, timedelta

from mutasi.lifecycle import DecisionInput, VerifyInput
from tests.workflows.drive import (
    employee_post,
    events_of,
    filled,
    hr,
    keep_history,
    ppk,
    start_transfer,
    state_of,
    step,
    through_meeting,
    wait_status,
    within_transfer,
)


async def test_the_move_waits_for_tmt_then_happens_once(time_env, worker, pool):
    today = (await time_env.get_current_time()).date()
    data = await within_transfer(pool, effective_in_days=40, today=today)
    tmt = date.fromisoformat(data.effective_date)
    handle = await start_transfer(time_env.client, worker, data)
    await wait_status(handle, "checked")
    await step(handle, "verify", VerifyInput(hr(data.tenant)))
    await through_meeting(time_env.client, worker, data.tenant, data.transfer_id)
    await wait_status(handle, "recommended")
    await step(handle, "decide", DecisionInput(ppk(data.tenant), "approved"))
    notified = await wait_status(handle, "notified")
    assert notified.decree_number and notified.decree_number.startswith("800.1.3.3/")
    origin_before = await filled(pool, data.tenant, data.origin_position_code)
    target_before = await filled(pool, data.tenant, data.target_position_code)

    await time_env.sleep(timedelta(days=38))  # a day or so before TMT: nothing moves yet
    assert (await state_of(handle)).status == "notified"
    assert (await employee_post(pool, data.employee_nip))[
        "position_code"
    ] == data.origin_position_code

    await time_env.sleep(timedelta(days=3))
    await wait_status(handle, "completed")
    post = await employee_post(pool, data.employee_nip)
    assert (post["position_code"], post["unit_code"], post["position_since"]) == (
        data.target_position_code,
        data.target_unit_code,
        tmt,
    )
    assert await filled(pool, data.tenant, data.origin_position_code) == origin_before - 1
    assert await filled(pool, data.tenant, data.target_position_code) == target_before + 1
    history = await pool.fetch(
        "SELECT position_code, start_date, end_date FROM position_holdings WHERE nip = $1"
        " AND (end_date = $2 OR start_date = $2) ORDER BY start_date",
        data.employee_nip,
        tmt,
    )
    assert {(r["position_code"], r["end_date"]) for r in history} == {
        (data.origin_position_code, tmt),
        (data.target_position_code, None),
    }
    effective = [
        e
        for e in await events_of(pool, f"transfer/{data.transfer_id}")
        if e["event_type"] == "transfer.effective"
    ]
    assert len(effective) == 1
    await keep_history(handle, "transfer_within_to_completed")
