"""A malformed or unknown event on the stream is set aside in the dead-letter record, and the
events behind it are still told."""

from __future__ import annotations

import json
from uuid import uuid4

import nats
import pytest

from tests.e2e.notification_support import eventually
from tests.integration.notification_story import Government, StoryTransfer, register_employee

pytestmark = pytest.mark.usefixtures("stack")


def cloudevent(gov: Government, event_type: str, subject: str) -> bytes:
    return json.dumps(
        {
            "specversion": "1.0",
            "id": str(uuid4()),
            "type": f"id.go.mutasi.{event_type}",
            "source": f"/tenants/{gov.slug}/transfers/{subject}",
            "subject": subject,
            "tenant": gov.slug,
            "sequence": 1,
            "data": {"payload": {}},
        }
    ).encode()


async def test_poison_messages_are_dead_lettered_and_do_not_block_the_consumer(stack, pool):  # noqa: ANN001
    gov = await Government(stack.settings).registered()
    poison = {
        "transfer.bogus": b"\xff{ not json",
        "transfer.exploded": cloudevent(gov, "transfer.exploded", str(uuid4())),
        "transfer.approved": cloudevent(gov, "transfer.approved", str(uuid4())),
        "transfer.submitted": json.dumps({"id": "no-envelope"}).encode(),
    }
    nc = await nats.connect(stack.settings.nats_url)
    try:
        js = nc.jetstream()
        sequences = {}
        for event_type, body in poison.items():
            ack = await js.publish(
                f"mutasi.{gov.slug}.{event_type}", body, headers={"Nats-Msg-Id": str(uuid4())}
            )
            sequences[ack.seq] = event_type
    finally:
        await nc.close()
    transfer = StoryTransfer(gov, await register_employee(pool, gov))
    await transfer.record_next(pool)  # a real proposal, right behind the poison

    await eventually(
        lambda: pool.fetchval(
            "SELECT count(*) > 0 FROM notifications WHERE transfer_id = $1", transfer.id
        )
    )
    letters = await eventually(lambda: _all(pool, list(sequences)), timeout=30)
    errors = {sequences[r["stream_seq"]]: r["error"] for r in letters}
    assert errors["transfer.bogus"].startswith("not JSON")
    assert "unknown event type" in errors["transfer.exploded"]
    assert "is not in the log" in errors["transfer.approved"]
    assert errors["transfer.submitted"] == "not a Mutasi CloudEvent"
    assert {r["subject"] for r in letters} == {f"mutasi.{gov.slug}.{t}" for t in poison}
    kept = next(r for r in letters if sequences[r["stream_seq"]] == "transfer.bogus")
    assert bytes(kept["body"]) == poison["transfer.bogus"]  # kept as it came, for inspection


async def _all(pool, sequences: list[int]):  # noqa: ANN001, ANN202
    rows = await pool.fetch(
        "SELECT stream_seq, subject, body, error FROM dead_letters"
        " WHERE consumer = 'notification' AND stream_seq = ANY($1::bigint[])",
        sequences,
    )
    return rows if len(rows) == len(sequences) else None
