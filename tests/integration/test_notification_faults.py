"""Killing the notification service in the middle of a burst of 200 events loses nothing and
doubles nothing: every notice exists once per person and channel, every e-mail and webhook
arrives.

What "once" means on the wire: SMTP and HTTP have no way to make a send and our record of it
one atomic act, so a send that completed in the instant of the SIGKILL is repeated after the
restart — as the same message (same Message-ID, same webhook-id), which receivers deduplicate
by. What must never happen, and is checked here, is a second, different notice.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from uuid import uuid4

import pytest

from services.notification import signing
from tests.e2e.notification_support import eventually
from tests.integration.notification_story import (
    LIFECYCLE,
    Government,
    StoryTransfer,
    register_employee,
)
from tests.integration.test_notification_channels import IN_APP, WITH_EMAIL, addresses_of

pytestmark = [pytest.mark.usefixtures("stack"), pytest.mark.faults]
TRANSFERS = 20  # x 10 facts each = 200 events


async def _government(stack, pool, hook):  # noqa: ANN001, ANN202
    gov = await Government(stack.settings).registered()
    employees = [
        await register_employee(pool, gov, email=f"p{i}.{gov.slug}@uji.test")
        for i in range(TRANSFERS)
    ]
    await gov.proposer.call(
        "PUT",
        "notification",
        "/notifications/preferences",
        json={"email": f"atasan@{gov.slug}.uji.test"},
    )
    await gov.hr.call(
        "PUT",
        "notification",
        f"/notification-contacts/role:{gov.slug}:hr_officer",
        json={"email": f"bkpsdm@{gov.slug}.uji.test"},
    )
    r = await gov.hr.call(
        "POST",
        "notification",
        "/webhook-subscriptions",
        json={"url": hook.url, "event_types": ["transfer.*"]},
        key=str(uuid4()),
    )
    return gov, employees, r.json()["secret"]


async def _burst(pool, transfers: list[StoryTransfer]) -> None:  # noqa: ANN001
    for _ in LIFECYCLE:
        for transfer in transfers:
            await transfer.record_next(pool)
            await asyncio.sleep(0.01)


async def _kill_mid_burst(stack, pool, gov: Government) -> int:  # noqa: ANN001
    told = await eventually(lambda: _told_at_least(pool, gov.slug, 60), timeout=60, every=0.02)
    await asyncio.to_thread(stack.components["notification"].kill)
    await asyncio.to_thread(stack.start_component, "notification")
    return int(told)


async def _told_at_least(pool, tenant: str, n: int):  # noqa: ANN001, ANN202
    count = await pool.fetchval(
        "SELECT count(*) FROM notifications WHERE tenant = $1 AND channel = 'in_app'", tenant
    )
    return count if count >= n else None


async def test_killing_the_service_mid_burst_yields_every_notice_exactly_once(
    stack, pool, smtp_sink, receiver
):  # noqa: ANN001
    receiver.up()
    gov, employees, secret = await _government(stack, pool, receiver)
    transfers = [StoryTransfer(gov, e) for e in employees]
    burst = asyncio.create_task(_burst(pool, transfers))
    told_before_kill = await _kill_mid_burst(stack, pool, gov)
    await burst
    assert told_before_kill < TRANSFERS * sum(len(v) for v in IN_APP.values())  # mid-burst

    expected_in_app = {
        (t.id, event, addresses_of(gov, t.employee.nip)[who])
        for t in transfers
        for event, names in IN_APP.items()
        for who in names
    }
    expected_mail = {
        (t.id, event, addresses_of(gov, t.employee.nip)[who])
        for t in transfers
        for event, names in IN_APP.items()
        for who in names
        if who in WITH_EMAIL
    }
    await eventually(lambda: _sent_all(pool, gov.slug, len(expected_mail) + 200), timeout=120)

    rows = await pool.fetch(
        "SELECT transfer_id::text, event_type, recipient, channel"
        " FROM notifications WHERE tenant = $1",
        gov.slug,
    )
    in_app = Counter((r[0], r[1], r[2]) for r in rows if r["channel"] == "in_app")
    assert set(in_app) == expected_in_app and max(in_app.values()) == 1

    mail_to = {f"p{i}.{gov.slug}@uji.test": f"nip:{e.nip}" for i, e in enumerate(employees)}
    mail_to |= {
        f"atasan@{gov.slug}.uji.test": f"user:{gov.proposer.sub}",
        f"bkpsdm@{gov.slug}.uji.test": f"role:{gov.slug}:hr_officer",
    }
    mails = [m for t in transfers for m in smtp_sink.about(t.id)]
    notices = {
        (m["X-Mutasi-Transfer-Id"], m["X-Mutasi-Event-Type"], mail_to[m["To"]]): m["Message-ID"]
        for m in mails
    }
    assert set(notices) == expected_mail
    assert len({m["Message-ID"] for m in mails}) == len(expected_mail)  # no second notice

    log_ids = {
        str(r[0])
        for r in await pool.fetch(
            "SELECT event_id FROM event_log WHERE tenant = $1 AND stream LIKE 'transfer/%'",
            gov.slug,
        )
    }
    hooks = {d.event["id"]: d.headers["webhook-id"] for d in receiver.received}
    assert set(hooks) == log_ids and len(log_ids) == 200
    assert len(set(hooks.values())) == 200
    assert all(
        signing.verify(
            secret,
            d.headers["webhook-id"],
            int(d.headers["webhook-timestamp"]),
            d.body,
            d.headers["webhook-signature"],
        )
        for d in receiver.received
    )


async def _sent_all(pool, tenant: str, n: int) -> bool:  # noqa: ANN001
    sent = await pool.fetchval(
        "SELECT count(*) FROM notification_deliveries WHERE tenant = $1 AND status = 'sent'", tenant
    )
    return bool(sent == n)
