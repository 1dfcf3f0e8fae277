"""What the fault tests compare after recovery: the log, the stream, the inboxes."""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import asyncpg
import httpx
import nats
from nats.js.api import DeliverPolicy

from mutasi.auth.tokens import issue_token
from mutasi.settings import Settings

NOTIFICATION_CONSUMER = "notification"


async def settled(conn: asyncpg.Connection, timeout: float = 180.0) -> None:
    """Until the relay has published every entry and the notification service has processed
    every one of them (or the timeout: the assertions then say what is missing)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pending = await conn.fetchval(
            "SELECT (SELECT count(*) FROM outbox WHERE published_at IS NULL)"
            " + (SELECT count(*) FROM event_log e WHERE NOT EXISTS (SELECT 1 FROM"
            " processed_events p WHERE p.consumer = $1 AND p.event_id = e.event_id))",
            NOTIFICATION_CONSUMER,
        )
        if pending == 0:
            return
        await asyncio.sleep(0.5)


async def stream_message_ids(settings: Settings) -> Counter[str]:
    """Nats-Msg-Id of every message JetStream holds, counted (2 would be a duplicate).

    Counted by stream sequence, so a message the reading consumer itself is sent twice (an
    ordered consumer resets after a gap) is counted once."""
    nc = await nats.connect(settings.nats_url)
    js = nc.jetstream()
    info = await js.stream_info(settings.stream_name)
    by_sequence: dict[int, str] = {}
    all_in = asyncio.Event()

    async def on_message(msg) -> None:  # noqa: ANN001 - nats Msg
        by_sequence[msg.metadata.sequence.stream] = msg.headers["Nats-Msg-Id"]
        if len(by_sequence) >= info.state.messages:
            all_in.set()

    sub = await js.subscribe(
        "mutasi.>", cb=on_message, ordered_consumer=True, deliver_policy=DeliverPolicy.ALL
    )
    try:
        await asyncio.wait_for(all_in.wait(), 60)
    finally:
        await sub.unsubscribe()
        await nc.close()
    return Counter(by_sequence.values())


async def inbox_event_types(
    settings: Settings, tenant: str, nip: str, transfer_id: str
) -> Counter[str]:
    """What the employee sees in their in-app inbox about the transfer, by event type."""
    token = issue_token(settings, sub=f"nip:{nip}", tenant=tenant, roles=["employee"], nip=nip)
    url = f"http://{settings.bind_host}:{settings.notification_port}/notifications"
    seen: Counter[str] = Counter()
    offset: int | None = 0
    async with httpx.AsyncClient(timeout=30) as client:
        while offset is not None:
            page = (
                await client.get(
                    url,
                    headers={"Authorization": f"Bearer {token}"},
                    params={"transfer_id": transfer_id, "limit": 200, "offset": offset},
                )
            ).json()
            seen.update(item["event_type"] for item in page["items"])
            offset = page["next_offset"]
    return seen


async def describe_unpublished(conn: asyncpg.Connection, event_ids: set[str]) -> str:
    """Where the events missing from the stream are: still waiting in the outbox, or marked
    as published (then JetStream acknowledged what it did not keep), and when."""
    row = await conn.fetchrow(
        "SELECT count(*) FILTER (WHERE o.published_at IS NULL) AS waiting,"
        " count(o.published_at) AS marked, min(o.published_at) AS first,"
        " max(o.published_at) AS last, min(e.sequence) AS lowest, max(e.sequence) AS highest"
        " FROM event_log e JOIN outbox o USING (sequence) WHERE e.event_id = ANY($1::uuid[])",
        list(event_ids),
    )
    return (
        f"{len(event_ids)} events never on the stream: {row['waiting']} still in the outbox,"
        f" {row['marked']} marked published between {row['first']} and {row['last']}"
        f" (log sequences {row['lowest']}..{row['highest']})"
    )
