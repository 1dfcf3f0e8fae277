"""After the decree a durable timer waits for TMT; then the employee moves, once."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from temporalio.client import WorkflowUpdateFailedError

from mutasi import lookups
from mutasi.lifecycle import Caller, DecisionInput, StepInput, VerifyInput
from mutasi.tenants.config import load_tenant_config
from tests.unit.documents.pdf_text import shown_text
from tests.workflows.drive import (
    approved_transfer,
    business_now,
    employee_post,
    events_of,
    filled,
    hr,
    keep_history,
    ppk,
    sealed,
    start_transfer,
    state_of,
    step,
    through_meeting,
    wait_status,
    within_transfer,
)


async def test_the_move_waits_for_tmt_then_happens_once(time_env, worker, pool):
    today = (await business_now(time_env)).date()
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
    # The PPK signs by name, once, under the office (the office is not printed twice).
    ppk_of = (await load_tenant_config(pool, data.tenant)).ppk
    document = await pool.fetchval(
        "SELECT document FROM decrees WHERE transfer_id = $1::uuid", data.transfer_id
    )
    lines = [line.strip() for line in shown_text(bytes(document)).splitlines()]
    office = f"{ppk_of.title.upper()},"
    signature = len(lines) - 1 - lines[::-1].index(office)  # the last: above the signature
    assert lines[signature + 1] == ppk_of.name.upper() != ppk_of.title.upper()
    assert lines.count(ppk_of.name.upper()) == 1
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


async def test_tmt_begins_at_midnight_where_the_government_is_wit_in_sorong(time_env, worker, pool):
    data, handle = await approved_transfer(time_env, worker, pool, until="notified", days=10)
    # Half past midnight in Sorong (WIT, UTC+9) is still 22:30 the day before in Jakarta.
    tmt = date.fromisoformat(data.effective_date)
    sorong_half_past = datetime.combine(tmt, time(0, 30), ZoneInfo("Asia/Jayapura"))
    await time_env.sleep(sorong_half_past - await business_now(time_env))
    state = await wait_status(handle, "completed", timeout=10)
    assert state.status == "completed"
    post = await employee_post(pool, data.employee_nip)
    assert post["position_code"] == data.target_position_code


async def test_bkpsdm_annuls_a_wrong_decree_before_tmt_and_the_employee_stays(
    time_env, worker, pool
):
    data, handle = await approved_transfer(time_env, worker, pool, until="notified", days=40)
    decreed = await state_of(handle)
    # An officer holding two roles: the log records the one that allows the annulment.
    officer = sealed(Caller(f"bkpsdm@{data.tenant}", data.tenant, ["employee", "hr_officer"]))
    cancelled = await step(
        handle, "cancel_decree", StepInput(officer, "SK memuat jabatan tujuan yang keliru")
    )
    assert cancelled.status == "cancelled"
    [annulled] = [
        e
        for e in await events_of(pool, f"transfer/{data.transfer_id}")
        if e["event_type"] == "transfer.decree_cancelled"
    ]
    assert annulled["payload"]["decree_number"] == decreed.decree_number
    assert annulled["payload"]["cancelling_decree_number"] != decreed.decree_number
    assert (annulled["actor_role"], annulled["reason"]) == (
        "hr_officer",
        "SK memuat jabatan tujuan yang keliru",
    )
    row = await pool.fetchrow(
        "SELECT cancelled_by FROM decrees WHERE transfer_id = $1::uuid", data.transfer_id
    )
    assert row["cancelled_by"] == annulled["payload"]["cancelling_decree_number"]
    await time_env.sleep(timedelta(days=45))  # past TMT: nothing moves
    post = await employee_post(pool, data.employee_nip)
    assert post["position_code"] == data.origin_position_code
    # The case is finished: the employee may be proposed again (R8).
    assert await lookups.open_transfers(pool, data.tenant, data.employee_nip) == 0
    await keep_history(handle, "transfer_decree_cancelled")


async def test_a_decree_cannot_be_annulled_by_another_government_or_without_a_reason(
    time_env, worker, pool
):
    data, handle = await approved_transfer(time_env, worker, pool, until="notified", days=40)
    for caller, reason, kind in [
        (hr("kota-medan"), "keliru", "not-found"),
        (hr(data.tenant), " ", "invalid-input"),
        (ppk(data.tenant), "keliru", "forbidden"),
    ]:
        with pytest.raises(WorkflowUpdateFailedError) as refused:
            await step(handle, "cancel_decree", StepInput(caller, reason))
        assert refused.value.cause.type == kind
    assert (await state_of(handle)).status == "notified"
    await handle.terminate("test finished")
