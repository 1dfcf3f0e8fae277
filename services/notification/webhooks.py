"""Webhooks: which subscriptions an event goes to, and one signed POST of it.

Filters are event types as stored in the log (`transfer.approved`), an aggregate's wildcard
(`transfer.*`) or `*`. Every government party to a transfer (and BKN between governments)
gets it on its own subscriptions, as each may see the transfer.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import asyncpg
import httpx

from mutasi import disclosure
from mutasi.logging import get_logger
from services.notification import egress, records, signing

log = get_logger(__name__)

USER_AGENT = "Mutasi-Webhooks/1.0"


def matches(filters: list[str], event_type: str) -> bool:
    aggregate = event_type.split(".", 1)[0]
    return any(f in ("*", event_type, f"{aggregate}.*") for f in filters)


async def enqueue(
    conn: asyncpg.Connection,
    event: dict[str, Any],
    event_type: str,
    tenants: list[str],
    max_attempts: int,
) -> int:
    queued = 0
    for subscription in await records.subscriptions_for(conn, tenants):
        if matches(list(subscription["event_types"]), event_type):
            # Another party than the log's own government gets the origin's facts withheld
            # (mutasi.disclosure): a check's findings are pass/fail only for them.
            own = subscription["tenant"] == event.get("tenant")
            shown = event if own else disclosure.cloudevent(event)
            queued += await records.queue_webhook(
                conn, subscription, shown, event_type, max_attempts
            )
    return queued


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status: int | None
    error: str | None
    final: bool = False  # no retry can succeed: the destination itself is refused


def secrets_in_force(subscription: asyncpg.Record) -> list[str]:
    found = [subscription["secret"]]
    until = subscription["previous_secret_until"]
    if subscription["previous_secret"] and until and until > datetime.now(UTC):
        found.append(subscription["previous_secret"])
    return found


async def post(
    client: httpx.AsyncClient,
    subscription: asyncpg.Record,
    delivery_id: int,
    body: str,
    deadline_s: float = 10.0,
    max_response_bytes: int = 64 * 1024,
) -> Outcome:
    """One attempt: 2xx is delivered; anything else (or no answer) is retried later, unless
    the destination is one a webhook may not go to (egress.py), checked as it connects.

    The whole attempt has one deadline — a receiver that answers a byte at a time cannot hold
    a delivery slot for longer (httpx's timeouts are per phase) — and at most
    `max_response_bytes` of the answer are read: only its status counts (issue 15)."""
    webhook_id = f"msg_{delivery_id}"  # the same on every retry: the subscriber's dedup key
    timestamp = int(time.time())
    data = body.encode()
    headers = {
        "content-type": "application/cloudevents+json; charset=utf-8",
        "user-agent": USER_AGENT,
        "webhook-id": webhook_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signing.signature_header(
            secrets_in_force(subscription), webhook_id, timestamp, data
        ),
    }
    try:
        egress.parse(subscription["url"])  # stored before the check existed: userinfo, …
        async with asyncio.timeout(deadline_s):
            status = await _status_of(
                client, subscription["url"], data, headers, max_response_bytes
            )
    except TimeoutError:
        return Outcome(False, None, f"no complete answer within {deadline_s:g} s")
    except egress.WebhookUrlRefused as exc:
        return Outcome(False, None, f"{exc.message_id} / {exc.message_en}", final=True)
    except egress.DestinationRefused as exc:
        log.warning(
            "webhook_destination_refused",
            delivery_id=delivery_id,
            reason=exc.reason,
            destination=exc.detail,
        )
        return Outcome(False, None, exc.message, final=True)
    except httpx.HTTPError as exc:
        return Outcome(False, None, f"{type(exc).__name__}: {exc}"[:500])
    if 200 <= status < 300:
        return Outcome(True, status, None)
    return Outcome(False, status, f"HTTP {status}")


async def _status_of(
    client: httpx.AsyncClient, url: str, data: bytes, headers: dict[str, str], cap: int
) -> int:
    async with client.stream("POST", url, content=data, headers=headers) as response:
        read = 0
        async for chunk in response.aiter_raw():
            read += len(chunk)
            if read >= cap:  # the rest is not ours to read: the connection is dropped
                break
        return response.status_code
