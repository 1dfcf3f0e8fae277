"""Between provinces: consent of the origin, BKN's pertek within 15 working days, a decree by
the Minister, and the 30-working-day appointment deadline after it (time-skipping)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from mutasi.calendar import WorkingCalendar
from mutasi.lifecycle import DecisionInput, VerifyInput
from tests.unit.documents.pdf_text import shown_text
from tests.workflows.drive import (
    bkn,
    business_now,
    deadline_events,
    due_of,
    employee_post,
    hr,
    inter_transfer,
    keep_history,
    ppk,
    start_transfer,
    step,
    through_meeting,
    wait_status,
)

ORIGIN, TARGET = "kota-sorong", "kota-palembang"


async def test_pertek_and_appointment_deadlines_between_provinces(time_env, worker, pool):
    today = (await business_now(time_env)).date()
    data = await inter_transfer(
        pool, ORIGIN, TARGET, "between_provinces", effective_in_days=120, today=today
    )
    handle = await start_transfer(time_env.client, worker, data)
    checked = await wait_status(handle, "checked", "returned")
    assert checked.status == "checked", checked.rule_failures
    await step(handle, "verify", VerifyInput(hr(TARGET)))
    await through_meeting(time_env.client, worker, TARGET, data.transfer_id)
    recommended = await wait_status(handle, "recommended")
    assert (recommended.pending_step, recommended.pending_tenant) == ("consent", ORIGIN)
    await step(handle, "consent", DecisionInput(ppk(ORIGIN), "given", reference="800/17/2026"))

    state, due = await due_of(handle)
    assert (state.pending_step, state.pending_role, state.pending_tenant) == (
        "pertek",
        "bkn_officer",
        "bkn",
    )
    started = (await business_now(time_env)).astimezone(ZoneInfo("Asia/Jakarta"))
    assert (
        WorkingCalendar().working_days_between(
            started.date(), due.astimezone(ZoneInfo("Asia/Jakarta")).date()
        )
        == 15
    )
    await time_env.sleep(due - await business_now(time_env) + timedelta(minutes=1))
    reminder, escalation = await deadline_events(pool, data.transfer_id, 2)
    assert {reminder["payload"]["step"], escalation["payload"]["step"]} == {"pertek"}
    assert escalation["event_type"] == "transfer.escalated"
    assert (escalation["payload"]["escalated_to"], escalation["payload"]["escalated_tenant"]) == (
        "hr_officer",
        TARGET,
    )

    await step(handle, "pertek", DecisionInput(bkn(), "given", reference="PERTEK-0042"))
    await step(handle, "decide", DecisionInput(ppk(TARGET), "approved"))
    notified = await wait_status(handle, "notified")
    decree = await pool.fetchrow(
        "SELECT tenant, register, number, document FROM decrees WHERE transfer_id = $1::uuid",
        data.transfer_id,
    )
    assert decree["tenant"] == TARGET and decree["number"] == notified.decree_number
    # The Minister's decree is numbered in the Minister's register, not Palembang's BKPSDM's.
    assert decree["register"] == "kemendagri"
    assert decree["number"].startswith("800.1.3.3-") and " Tahun " in decree["number"]
    text = " ".join(shown_text(bytes(decree["document"])).split())
    assert "MENTERI DALAM NEGERI" in text.upper()
    # Both governments, the consent, the pertek and the meeting are named.
    assert "Pemerintah Kota Sorong" in text and "Pemerintah Kota Palembang" in text
    assert "Nomor 800/17/2026" in text and "Nomor PERTEK-0042" in text
    assert "Berita Acara Rapat Tim Penilai Kinerja" in text

    # TMT lies beyond 30 working days: the receiving government is reminded, then escalated.
    await time_env.sleep(timedelta(days=60))
    appointment = (await deadline_events(pool, data.transfer_id, 4))[2:]
    assert [e["payload"]["step"] for e in appointment] == ["appointment", "appointment"]
    assert appointment[1]["payload"]["working_days"] == 30
    await time_env.sleep(timedelta(days=61))
    await wait_status(handle, "completed")
    post = await employee_post(pool, data.employee_nip)
    assert (post["tenant"], post["position_code"]) == (TARGET, data.target_position_code)
    await keep_history(handle, "transfer_between_provinces")
