"""Dead letters over the API: BKPSDM lists, inspects and redrives its own government's, an
operator anyone's; another government's answer 404; a redrive acts once."""

from __future__ import annotations

import json
from uuid import uuid4

import nats

from tests.e2e.api_client import Person
from tests.e2e.notification_support import eventually

HOME, OTHER = "kota-sorong", "kota-medan"


def _people(settings) -> tuple[Person, Person, Person]:  # noqa: ANN001
    return (
        Person(settings, HOME, ["hr_officer"], f"bkpsdm@{HOME}"),
        Person(settings, OTHER, ["hr_officer"], f"bkpsdm@{OTHER}"),
        Person(settings, "nasional", ["operator"], "sre@kemendagri"),
    )


async def _poison(settings, pool) -> int:  # noqa: ANN001
    """A message the consumer can never read, published on Kota Sorong's subjects."""
    marker = uuid4().hex
    nc = await nats.connect(settings.nats_url)
    try:
        await nc.jetstream().publish(
            f"mutasi.{HOME}.transfer.approved",
            f"bukan JSON {marker}".encode(),
            headers={"Nats-Msg-Id": marker},
        )
    finally:
        await nc.close()
    return await eventually(
        lambda: pool.fetchval(
            "SELECT id FROM dead_letters WHERE convert_from(body, 'UTF8') LIKE $1",
            f"%{marker}",
        ),
        timeout=30,
    )


async def test_bkpsdm_sees_and_inspects_its_own_dead_letters_only(stack, pool):
    home, other, operator = _people(stack.settings)
    letter = await _poison(stack.settings, pool)

    listed = await home.call("GET", "notification", "/dead-letters", params={"limit": 200})
    assert letter in [i["id"] for i in listed.json()["items"]]
    inspected = await home.call("GET", "notification", f"/dead-letters/{letter}")
    assert inspected.status_code == 200
    assert inspected.json()["tenant"] == HOME and inspected.json()["body"].startswith("bukan JSON")

    assert (await other.call("GET", "notification", f"/dead-letters/{letter}")).status_code == 404
    theirs = await other.call("GET", "notification", "/dead-letters", params={"limit": 200})
    assert letter not in [i["id"] for i in theirs.json()["items"]]
    seen = await operator.call(
        "GET", "notification", "/dead-letters", params={"tenant": HOME, "limit": 200}
    )
    assert letter in [i["id"] for i in seen.json()["items"]]


async def test_a_poison_message_stays_dead_with_the_reason_when_redriven(stack, pool):
    home, other, _ = _people(stack.settings)
    letter = await _poison(stack.settings, pool)
    assert (
        await other.call("POST", "notification", f"/dead-letters/{letter}/redrive")
    ).status_code == 404
    refused = await home.call("POST", "notification", f"/dead-letters/{letter}/redrive")
    assert refused.status_code == 409
    assert refused.headers["content-type"].startswith("application/problem+json")
    row = await pool.fetchrow(
        "SELECT redriven_at, redrive_error FROM dead_letters WHERE id = $1", letter
    )
    assert row["redriven_at"] is None and "not JSON" in row["redrive_error"]


async def test_a_redriven_event_is_processed_exactly_once(stack, pool):
    _, _, operator = _people(stack.settings)
    event_id = str(uuid4())
    event = {
        "specversion": "1.0", "id": event_id, "type": "id.go.mutasi.employee.updated",
        "source": f"/tenants/{HOME}/employees/198503142010011002", "subject": "198503142010011002",
        "tenant": HOME, "sequence": 1, "data": {"payload": {}},
    }  # fmt: skip
    # As the consumer leaves a message it gave up on during an outage of its handler.
    letter = await pool.fetchval(
        "INSERT INTO dead_letters (consumer, subject, stream_seq, body, error, tenant)"
        " VALUES ('notification', $1, $2, $3, 'gave up after 8 deliveries', $4) RETURNING id",
        f"mutasi.{HOME}.employee.updated", 10**12 + int(uuid4().int % 10**9),
        json.dumps(event).encode(), HOME,
    )  # fmt: skip
    first = await operator.call("POST", "notification", f"/dead-letters/{letter}/redrive")
    again = await operator.call("POST", "notification", f"/dead-letters/{letter}/redrive")
    assert first.json() == {"id": letter, "redriven": True}
    assert again.json() == {"id": letter, "redriven": False}
    assert await pool.fetchval(
        "SELECT count(*) FROM processed_events WHERE consumer = 'notification' AND event_id = $1",
        event_id,
    ) == 1  # fmt: skip
    still_open = await operator.call("GET", "notification", "/dead-letters", params={"limit": 200})
    assert letter not in [i["id"] for i in still_open.json()["items"]]


async def test_a_dead_email_is_listed_inspected_and_sent_again(stack, pool, smtp_sink):
    home, other, _ = _people(stack.settings)
    event_id = uuid4()
    notice = await pool.fetchval(
        "INSERT INTO notifications (tenant, event_id, event_type, recipient, channel, subject,"
        " body) VALUES ($1, $2, 'transfer.approved', 'role:kota-sorong:hr_officer', 'email',"
        " 'Usulan disetujui', 'Usulan mutasi telah disetujui.') RETURNING id",
        HOME, event_id,
    )  # fmt: skip
    # As the delivery loop leaves an e-mail the SMTP relay refused twelve times.
    delivery = await pool.fetchval(
        "INSERT INTO notification_deliveries (tenant, event_id, event_type, channel, target,"
        " notification_id, email_to, status, attempts, max_attempts, last_error)"
        " VALUES ($1, $2, 'transfer.approved', 'email', 'role:kota-sorong:hr_officer', $3,"
        " 'hr-officer@kota-sorong.mutasi.test', 'dead', 12, 12, '554 relay refused')"
        " RETURNING id",
        HOME, event_id, notice,
    )  # fmt: skip
    listed = await home.call(
        "GET", "notification", "/dead-deliveries", params={"channel": "email", "limit": 200}
    )
    assert delivery in [i["id"] for i in listed.json()["items"]]
    shown = await home.call("GET", "notification", f"/dead-deliveries/{delivery}")
    assert shown.json()["last_error"] == "554 relay refused"
    assert (
        await other.call("GET", "notification", f"/dead-deliveries/{delivery}")
    ).status_code == 404

    sent_again = await home.call("POST", "notification", f"/dead-deliveries/{delivery}/redrive")
    assert sent_again.json() == {"id": delivery, "redriven": True}
    assert await eventually(
        lambda: pool.fetchval(
            "SELECT status = 'sent' FROM notification_deliveries WHERE id = $1", delivery
        ),
        timeout=30,
    )
