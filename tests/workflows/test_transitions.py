"""Returned ⇄ revised, withdrawal before the decree, rejection at the meeting and by the PPK."""

from __future__ import annotations

from mutasi.lifecycle import DecisionInput, ReviseInput, StepInput
from tests.workflows.drive import (
    add_to_agenda,
    cast,
    close,
    events_of,
    hr,
    keep_history,
    panel,
    ppk,
    start_meeting,
    step,
    through_meeting,
    vacancy,
    verified_transfer,
    wait_status,
)

TENANT = "kota-sorong"


async def _verified(time_env, worker, pool):  # noqa: ANN001, ANN202
    return await verified_transfer(time_env.client, worker, pool, TENANT)


async def test_a_returned_transfer_is_revised_and_goes_round_again(time_env, worker, pool):
    data, handle = await _verified(time_env, worker, pool)
    await through_meeting(time_env.client, worker, TENANT, data.transfer_id)
    await wait_status(handle, "recommended")
    returned = await step(
        handle,
        "decide",
        DecisionInput(ppk(TENANT), "returned", "TMT terlalu dekat dengan akhir tahun anggaran"),
    )
    assert (returned.status, returned.pending_step) == ("returned", "revise")
    post = await vacancy(pool, TENANT)
    revised = await step(
        handle,
        "revise",
        ReviseInput(
            hr(TENANT),
            target_position_code=post["position_code"],
            target_unit_code=post["unit_code"],
            effective_date="2027-02-01",
            reason="TMT diundur, jabatan tujuan lain yang lowong",
        ),
    )
    assert revised.status == "checked" and revised.pending_step == "verify"
    listed = await pool.fetchrow(
        "SELECT target_position_code, effective_date FROM transfers WHERE id = $1::uuid",
        data.transfer_id,
    )
    assert (listed["target_position_code"], str(listed["effective_date"])) == (
        post["position_code"],
        "2027-02-01",
    )
    types = [e["event_type"] for e in await events_of(pool, f"transfer/{data.transfer_id}")]
    assert types[-4:] == [
        "transfer.recommended",
        "transfer.returned",
        "transfer.revised",
        "transfer.checked",
    ]
    submitted_again = [
        e
        for e in await events_of(pool, f"transfer/{data.transfer_id}")
        if e["event_type"] == "transfer.revised"
    ][0]
    assert submitted_again["payload"]["effective_date"] == "2027-02-01"
    await handle.terminate("test finished")


async def test_withdrawn_on_the_agenda_and_not_recommended_are_both_closed(time_env, worker, pool):
    members = [panel(TENANT, 1), panel(TENANT, 2)]
    (kept, kept_handle), (gone, gone_handle) = [
        await _verified(time_env, worker, pool) for _ in range(2)
    ]
    meeting = await start_meeting(time_env.client, worker, TENANT, members, quorum=2)
    for data in (kept, gone):
        await add_to_agenda(meeting, TENANT, data.transfer_id)
    for member in members:
        await cast(meeting, member, kept.transfer_id, "not_recommend")
    withdrawn = await step(
        gone_handle, "withdraw", StepInput(gone.proposer, "Pegawai mengundurkan diri dari usulan")
    )
    assert withdrawn.status == "withdrawn"

    closed = await close(meeting, TENANT)
    outcomes = {i.transfer_id: i.outcome for i in closed.items}
    assert outcomes == {kept.transfer_id: "not_recommended", gone.transfer_id: "withdrawn"}
    assert "Tidak direkomendasikan" in (closed.minutes or "")
    rejected = await wait_status(kept_handle, "rejected")
    assert rejected.pending_step is None
    assert (await kept_handle.result()).status == "rejected"  # the workflow has ended
    assert (await gone_handle.result()).status == "withdrawn"
    await keep_history(kept_handle, "transfer_not_recommended")
    await keep_history(meeting, "meeting_with_a_withdrawal")
