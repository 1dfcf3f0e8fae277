"""Subscribing systems can rely on us: every event, signed, after an outage; dead letters that
can be redriven; secrets that rotate without a gap. A real HTTP receiver on a local port."""

from __future__ import annotations

import asyncio
from uuid import uuid4

import pytest

from services.notification import signing
from tests.e2e.notification_support import WebhookReceiver, eventually
from tests.integration.notification_story import (
    LIFECYCLE,
    Government,
    StoryTransfer,
    register_employee,
)

pytestmark = pytest.mark.usefixtures("stack")


async def subscribe(
    gov: Government, hook: WebhookReceiver, event_types: list[str], **extra: object
) -> dict:
    r = await gov.hr.call(
        "POST",
        "notification",
        "/webhook-subscriptions",
        json={"url": hook.url, "event_types": event_types, **extra},
        key=str(uuid4()),
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


def signed_by(secret: str, delivery) -> bool:  # noqa: ANN001
    h = delivery.headers
    return signing.verify(
        secret, h["webhook-id"], int(h["webhook-timestamp"]), delivery.body, h["webhook-signature"]
    )


async def log_event_ids(pool, transfer_id: str) -> set[str]:  # noqa: ANN001
    rows = await pool.fetch(
        "SELECT event_id FROM event_log WHERE stream = $1", f"transfer/{transfer_id}"
    )
    return {str(r["event_id"]) for r in rows}


async def test_a_receiver_down_for_a_while_gets_every_event_signed_once_it_is_back(
    stack, pool, receiver
):  # noqa: ANN001
    gov = await Government(stack.settings).registered()
    subscription = await subscribe(gov, receiver, ["transfer.*"])
    transfer = StoryTransfer(gov, await register_employee(pool, gov))
    await transfer.record_all(pool)

    async def failed_twice() -> bool:
        r = await gov.hr.call(
            "GET", "notification", f"/webhook-subscriptions/{subscription['id']}/deliveries"
        )
        items = r.json()["items"]
        return len(items) == len(LIFECYCLE) and all(
            d["attempts"] >= 2 and d["last_error"] for d in items
        )

    await eventually(failed_twice, timeout=30)
    receiver.up()
    await eventually(
        lambda: len({d.event["id"] for d in receiver.received}) == len(LIFECYCLE), timeout=60
    )
    assert {d.event["id"] for d in receiver.received} == await log_event_ids(pool, transfer.id)
    assert all(signed_by(subscription["secret"], d) for d in receiver.received)
    assert {d.event["type"] for d in receiver.received} == {
        f"id.go.mutasi.{event}" for event, _ in LIFECYCLE
    }
    assert all(
        d.headers["content-type"].startswith("application/cloudevents+json")
        for d in receiver.received
    )


async def test_a_receiver_that_stays_down_ends_in_the_dead_letter_list_and_can_be_redriven(
    stack, pool, receiver
):  # noqa: ANN001
    gov = await Government(stack.settings).registered()
    subscription = await subscribe(
        gov, receiver, ["transfer.submitted", "transfer.checked"], max_attempts=2
    )
    path = f"/webhook-subscriptions/{subscription['id']}"
    transfer = StoryTransfer(gov, await register_employee(pool, gov))
    for _ in range(3):  # submitted, checked, verified: the last is not subscribed
        await transfer.record_next(pool)

    async def dead() -> list:
        r = await gov.hr.call("GET", "notification", f"{path}/dead-letters")
        return list(r.json()["items"])

    dead_letters = await eventually(lambda: _two(dead()), timeout=30)
    assert {d["event_type"] for d in dead_letters} == {"transfer.submitted", "transfer.checked"}
    assert all(d["attempts"] == 2 and d["status"] == "dead" for d in dead_letters)
    assert receiver.received == []

    receiver.up()
    r = await gov.hr.call("POST", "notification", f"{path}/redrive", json={}, key=str(uuid4()))
    assert r.status_code == 200 and r.json() == {"redriven": 2}
    await eventually(lambda: len(receiver.received) == 2, timeout=30)
    assert all(signed_by(subscription["secret"], d) for d in receiver.received)
    assert await dead() == []
    again = await gov.hr.call("POST", "notification", f"{path}/redrive", json={})
    assert again.json() == {"redriven": 0}


async def _two(pending):  # noqa: ANN001, ANN202
    items = await pending
    return items if len(items) == 2 else None


async def test_after_a_secret_rotation_both_secrets_sign_and_the_secret_is_shown_once(
    stack, pool, receiver
):  # noqa: ANN001
    gov = await Government(stack.settings).registered()
    receiver.up()
    subscription = await subscribe(gov, receiver, ["transfer.submitted"])
    path = f"/webhook-subscriptions/{subscription['id']}"
    key = str(uuid4())
    rotated = await gov.hr.call("POST", "notification", f"{path}/rotate-secret", key=key)
    retried = await gov.hr.call("POST", "notification", f"{path}/rotate-secret", key=key)
    assert rotated.status_code == retried.status_code == 200
    new_secret = rotated.json()["secret"]
    assert new_secret != subscription["secret"] and retried.json()["secret"] == new_secret
    shown = (await gov.hr.call("GET", "notification", path)).json()
    assert "secret" not in shown and shown["previous_secret_until"]

    transfer = StoryTransfer(gov, await register_employee(pool, gov))
    await transfer.record_next(pool)
    [delivery] = await eventually(lambda: receiver.received, timeout=30)
    assert len(delivery.headers["webhook-signature"].split()) == 2
    assert signed_by(new_secret, delivery) and signed_by(subscription["secret"], delivery)
    assert not signed_by(signing.new_secret(), delivery)


async def test_subscriptions_filter_event_types_and_belong_to_one_government(stack, pool, receiver):  # noqa: ANN001
    gov = await Government(stack.settings).registered()
    receiver.up()
    key = str(uuid4())
    body = {"url": receiver.url, "event_types": ["transfer.decree_issued"]}
    first = await gov.hr.call("POST", "notification", "/webhook-subscriptions", json=body, key=key)
    second = await gov.hr.call("POST", "notification", "/webhook-subscriptions", json=body, key=key)
    assert first.json()["id"] == second.json()["id"]
    assert first.json()["secret"] == second.json()["secret"]
    other = (await Government(stack.settings).registered()).hr
    assert (
        await other.call("GET", "notification", f"/webhook-subscriptions/{first.json()['id']}")
    ).status_code == 404
    employee = gov.person("employee", "pegawai@x", "199001012015031001")
    assert (await employee.call("GET", "notification", "/webhook-subscriptions")).status_code == 403

    transfer = StoryTransfer(gov, await register_employee(pool, gov))
    await transfer.record_all(pool)
    await eventually(lambda: receiver.received, timeout=30)
    await asyncio.sleep(1)  # anything else would have come by now
    assert [d.event["type"] for d in receiver.received] == ["id.go.mutasi.transfer.decree_issued"]
