"""The Tim Penilai Kinerja meeting: quorum, votes, deferral to the next meeting, minutes."""

from __future__ import annotations

from tests.workflows.drive import (
    add_to_agenda,
    cast,
    close,
    events_of,
    keep_history,
    panel,
    start_meeting,
    state_of,
    verified_transfer,
    wait_status,
)

TENANT = "kota-sorong"


async def _verified(time_env, worker, pool):  # noqa: ANN001, ANN202
    return await verified_transfer(time_env.client, worker, pool, TENANT)


async def test_a_deferred_transfer_is_decided_at_the_next_meeting(time_env, worker, pool):
    members = [panel(TENANT, n) for n in (1, 2, 3)]
    short, postponed = (
        await _verified(time_env, worker, pool),
        await _verified(time_env, worker, pool),
    )
    first = await start_meeting(time_env.client, worker, TENANT, members, quorum=2)
    for data, _ in (short, postponed):
        await add_to_agenda(first, TENANT, data.transfer_id)
    assert (await state_of(short[1])).status == "on_agenda"
    await cast(first, members[0], short[0].transfer_id, "recommend")  # one vote: no quorum
    for member in members[:2]:
        await cast(first, member, postponed[0].transfer_id, "recommend")

    closed = await close(first, TENANT, deferred=[postponed[0].transfer_id])
    outcomes = {i.transfer_id: i.outcome for i in closed.items}
    assert set(outcomes.values()) == {"deferred"}
    assert "Kuorum tidak tercapai" in closed.minutes
    assert "Ditunda oleh rapat" in closed.minutes
    for _, handle in (short, postponed):
        state = await wait_status(handle, "verified")
        assert state.pending_step == "place_on_agenda" and state.meeting_id is None

    second = await start_meeting(time_env.client, worker, TENANT, members, quorum=2)
    await add_to_agenda(second, TENANT, short[0].transfer_id)
    await cast(second, members[0], short[0].transfer_id, "recommend")
    await cast(second, members[1], short[0].transfer_id, "not_recommend")
    await cast(second, members[2], short[0].transfer_id, "recommend")
    closed = await close(second, TENANT)
    assert closed.items[0].outcome == "recommended"
    state = await wait_status(short[1], "recommended")
    assert state.pending_step == "decide" and state.pending_role == "approver"

    log = [e["event_type"] for e in await events_of(pool, f"transfer/{short[0].transfer_id}")]
    assert log[-4:] == [
        "transfer.placed_on_agenda",
        "transfer.deferred",
        "transfer.placed_on_agenda",
        "transfer.recommended",
    ]
    decided = [
        e
        for e in await events_of(pool, f"transfer/{short[0].transfer_id}")
        if e["event_type"] == "transfer.recommended"
    ][0]
    assert decided["payload"]["votes"] == {"recommend": 2, "not_recommend": 1, "abstain": 0}
    minutes = [
        e
        for e in await events_of(pool, f"meeting/{closed.meeting_id}")
        if e["event_type"] == "meeting.closed"
    ]
    assert minutes[0]["payload"]["minutes"].startswith("BERITA ACARA RAPAT TIM PENILAI KINERJA")
    for handle in (short[1], postponed[1]):
        await handle.terminate("test finished")
    await keep_history(first, "meeting_deferring")
    await keep_history(short[1], "transfer_deferred_then_recommended")


async def test_a_long_meeting_continues_as_new_and_keeps_its_agenda(time_env, worker, pool):
    members = [panel(TENANT, n) for n in (1, 2)]
    meeting = await start_meeting(
        time_env.client, worker, TENANT, members, quorum=2, continue_after_events=20
    )
    first_run = (await meeting.describe()).run_id
    transfers = [await _verified(time_env, worker, pool) for _ in range(3)]
    for data, _ in transfers:
        await add_to_agenda(meeting, TENANT, data.transfer_id)
    for member in members:
        for data, _ in transfers:
            await cast(meeting, member, data.transfer_id, "recommend")

    assert (await meeting.describe()).run_id != first_run  # continued as new
    closed = await close(meeting, TENANT)
    assert [i.outcome for i in closed.items] == ["recommended"] * 3
    assert all(len(i.votes) == 2 for i in closed.items)  # votes carried over
    for _, handle in transfers:
        await wait_status(handle, "recommended")
        await handle.terminate("test finished")
    types = [e["event_type"] for e in await events_of(pool, f"meeting/{closed.meeting_id}")]
    assert types.count("meeting.scheduled") == 1 and types.count("meeting.vote_cast") == 6
