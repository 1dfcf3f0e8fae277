"""SIGKILL of the worker while 50 transfers are in flight: after a restart every one of them
completes, each fact is in the log once and on NATS once, and SK numbers stay gapless."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from typing import Any

import pytest

from mutasi import clock
from mutasi.embedded.stack import Stack
from mutasi.messaging.jetstream import connect
from tests.e2e import meeting_scenario as meeting
from tests.e2e.api_client import Person
from tests.e2e.scenario import DOCUMENTS, attach_required

pytestmark = pytest.mark.usefixtures("stack")
TENANT = "provinsi-jambi"
COUNT = 50
LIFECYCLE = [
    "transfer.submitted",
    "transfer.checked",
    "transfer.verified",
    "transfer.placed_on_agenda",
    "transfer.recommended",
    "transfer.approved",
    "transfer.decree_issued",
    "transfer.notified",
    "transfer.effective",
    "transfer.completed",
]


async def _cases(pool) -> list[Any]:  # noqa: ANN001
    rows = await pool.fetch(
        """
        SELECT e.nip, (SELECT f.position_code FROM position_filled f WHERE f.tenant = e.tenant
                       AND f.unit_code <> e.unit_code AND f.filled < f.needed
                       ORDER BY random() LIMIT 1) AS target
        FROM employees e WHERE e.tenant = $1
          AND NOT EXISTS (SELECT 1 FROM transfers t WHERE t.employee_nip = e.nip)
          AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(e.data->'sanctions') s
                          WHERE (s->>'end')::date >= $3::date)
        ORDER BY e.nip DESC LIMIT $2""",
        TENANT,
        COUNT,
        clock.today(),
    )
    assert len(rows) == COUNT and all(r["target"] for r in rows)
    return list(rows)


async def _all(pool, ids: list[str], status: str, timeout: float) -> None:  # noqa: ANN001
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while (
        done := await pool.fetchval(
            "SELECT count(*) FROM transfers WHERE id = ANY($1::uuid[]) AND status = $2", ids, status
        )
    ) < len(ids):
        assert loop.time() < end, f"{done}/{len(ids)} reached {status}"
        await asyncio.sleep(0.3)


async def _each(calls: list[Any]) -> None:
    gate = asyncio.Semaphore(25)

    async def one(call: Any) -> None:
        async with gate:
            r = await call()
            assert r.status_code in (200, 202), r.text

    await asyncio.gather(*(one(c) for c in calls))


def _restart_worker(stack: Stack) -> None:
    stack.components["worker"].kill()
    stack.start_component("worker")


async def _published_ids(settings, subject: str) -> Counter[str]:  # noqa: ANN001
    nc = await connect(settings, name="test-worker-kill")
    js = nc.jetstream()
    info = await js.stream_info(settings.stream_name, subjects_filter=subject)
    sub = await js.subscribe(subject, ordered_consumer=True, deliver_policy="all")
    try:
        total = sum((info.state.subjects or {}).values())
        messages = [await sub.next_msg(timeout=10) for _ in range(total)]
    finally:
        await nc.close()
    return Counter(m.headers["Nats-Msg-Id"] for m in messages)


async def test_killing_the_worker_midway_loses_and_duplicates_nothing(stack, settings, pool):
    hr = Person(settings, TENANT, ["hr_officer"], f"bkpsdm@{TENANT}")
    panel = Person(settings, TENANT, ["panel_member"], f"tim-penilai@{TENANT}")
    ppk = Person(settings, TENANT, ["approver"], f"ppk@{TENANT}")
    cases = await _cases(pool)
    responses = await asyncio.gather(
        *(
            hr.propose(
                c["nip"],
                c["target"],
                clock.today().isoformat(),
                justification="Penataan formasi",
                documents=DOCUMENTS,
            )
            for c in cases
        )
    )
    ids = [r.json()["id"] for r in responses]
    await _all(pool, ids, "checked", 60)
    gate = asyncio.Semaphore(10)

    async def attach(transfer_id: str) -> None:
        async with gate:
            await attach_required(hr, transfer_id)

    await asyncio.gather(*(attach(t) for t in ids))
    await _each(
        [lambda t=t: hr.call("POST", "approval", f"/transfers/{t}/verify", json={}) for t in ids]
    )
    await meeting.hold(hr, [panel], ids)
    await _all(pool, ids, "recommended", 60)
    await _each(
        [
            lambda t=t: ppk.call(
                "POST", "approval", f"/transfers/{t}/decision", json={"outcome": "approved"}
            )
            for t in ids
        ]
    )

    _restart_worker(stack)  # decrees and moves are under way
    in_flight = await pool.fetchval(
        "SELECT count(*) FROM transfers WHERE id = ANY($1::uuid[]) AND status <> 'completed'", ids
    )
    assert in_flight > 0
    await _all(pool, ids, "completed", 180)

    rows = await pool.fetch(
        "SELECT stream, event_type, event_id FROM event_log"
        " WHERE stream = ANY($1::text[]) ORDER BY stream, version",
        [f"transfer/{t}" for t in ids],
    )
    per_stream: dict[str, list[str]] = {}
    for row in rows:
        per_stream.setdefault(row["stream"], []).append(row["event_type"])
    assert all(types == LIFECYCLE for types in per_stream.values()) and len(per_stream) == COUNT

    numbers = await pool.fetch(
        "SELECT seq FROM decrees WHERE tenant = $1 AND year = $2 ORDER BY seq",
        TENANT,
        clock.today().year,
    )
    assert [r["seq"] for r in numbers] == list(range(1, len(numbers) + 1))  # gapless
    await _published_once(settings, pool, {str(r["event_id"]) for r in rows})


async def _published_once(settings, pool, event_ids: set[str]) -> None:  # noqa: ANN001
    for _ in range(100):  # the relay drains the outbox
        pending = await pool.fetchval(
            "SELECT count(*) FROM outbox o JOIN event_log l USING (sequence)"
            " WHERE l.event_id = ANY($1::uuid[]) AND o.published_at IS NULL",
            list(event_ids),
        )
        if pending == 0:
            break
        await asyncio.sleep(0.2)
    published = await _published_ids(settings, f"mutasi.{TENANT}.transfer.>")
    ours = {i: n for i, n in published.items() if i in event_ids}
    assert set(ours) == event_ids and set(ours.values()) == {1}, json.dumps(
        {i: n for i, n in ours.items() if n != 1}
    )
