"""SQL of the fan-out: preferences, notification rows and the delivery outbox.

Every insert is keyed by the event id (notifications: event, recipient, channel; deliveries:
event, channel, target), so even if the processed-id record were lost a redelivered event
could not add a second row — the database, not the code path, keeps it exactly once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import asyncpg

from mutasi.documents.notifications import Notification
from mutasi.telemetry.tracing import current_trace_headers

DELIVERY_CHANNEL = "mutasi_notification_deliveries"  # NOTIFY on commit wakes the loop


def _trace() -> tuple[str | None, str | None]:
    """The consuming span's context, stored so the delivery joins the event's trace."""
    headers = current_trace_headers()
    return headers.get("traceparent"), headers.get("tracestate")


@dataclass(frozen=True)
class Preference:
    email: str | None = None
    in_app: bool = True
    email_enabled: bool = True


async def preferences(
    conn: asyncpg.Connection, wanted: list[tuple[str, str]]
) -> dict[tuple[str, str], Preference]:
    """(tenant, address) -> what that recipient wants; the employee record's e-mail if no row."""
    if not wanted:
        return {}
    tenants, recipients = [t for t, _ in wanted], [a for _, a in wanted]
    rows = await conn.fetch(
        "SELECT w.tenant, w.recipient, c.email, c.in_app_enabled, c.email_enabled,"
        "       e.data->>'email' AS record_email"
        " FROM unnest($1::text[], $2::text[]) AS w(tenant, recipient)"
        " LEFT JOIN notification_contacts c ON c.tenant = w.tenant AND c.recipient = w.recipient"
        " LEFT JOIN employees e ON w.recipient LIKE 'nip:%' AND e.tenant = w.tenant"
        "      AND e.nip = substr(w.recipient, 5)",
        tenants,
        recipients,
    )
    return {
        (r["tenant"], r["recipient"]): Preference(
            r["email"] or r["record_email"],
            True if r["in_app_enabled"] is None else r["in_app_enabled"],
            True if r["email_enabled"] is None else r["email_enabled"],
        )
        for r in rows
    }


@dataclass(frozen=True)
class Row:
    tenant: str
    event_id: str
    event_type: str
    recipient: str
    kind: str
    transfer_id: str | None


async def insert_notification(
    conn: asyncpg.Connection, row: Row, channel: str, message: Notification
) -> int | None:
    """The new row's id, or None when this (event, recipient, channel) already exists."""
    value = await conn.fetchval(
        "INSERT INTO notifications (tenant, event_id, event_type, recipient, channel, subject,"
        " body, body_html, transfer_id, recipient_kind)"
        " VALUES ($1, $2::uuid, $3, $4, $5, $6, $7, $8, $9::uuid, $10)"
        " ON CONFLICT (event_id, recipient, channel) DO NOTHING RETURNING id",
        row.tenant,
        row.event_id,
        row.event_type,
        row.recipient,
        channel,
        message.subject,
        message.body_text,
        message.body_html,
        row.transfer_id,
        row.kind,
    )
    return int(value) if value is not None else None


async def queue_email(
    conn: asyncpg.Connection, row: Row, notification_id: int, email: str, max_attempts: int
) -> None:
    await conn.execute(
        "INSERT INTO notification_deliveries (tenant, event_id, event_type, channel, target,"
        " notification_id, email_to, max_attempts, traceparent, tracestate)"
        " VALUES ($1, $2::uuid, $3, 'email', $4, $5, $6, $7, $8, $9)"
        " ON CONFLICT (event_id, channel, target) DO NOTHING",
        row.tenant,
        row.event_id,
        row.event_type,
        row.recipient,
        notification_id,
        email,
        max_attempts,
        *_trace(),
    )


async def subscriptions_for(conn: asyncpg.Connection, tenants: list[str]) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT id, tenant, event_types, max_attempts FROM webhook_subscriptions"
        " WHERE active AND tenant = ANY($1::text[]) ORDER BY created_at",
        tenants,
    )


async def queue_webhook(
    conn: asyncpg.Connection,
    subscription: asyncpg.Record,
    event: dict[str, Any],
    event_type: str,
    max_attempts: int,
) -> bool:
    queued = await conn.fetchval(
        "INSERT INTO notification_deliveries (tenant, event_id, event_type, channel, target,"
        " subscription_id, body, max_attempts, traceparent, tracestate)"
        " VALUES ($1, $2::uuid, $3, 'webhook', $4, $5, $6, $7, $8, $9)"
        " ON CONFLICT (event_id, channel, target) DO NOTHING RETURNING true",
        subscription["tenant"],
        event["id"],
        event_type,
        str(subscription["id"]),
        subscription["id"],
        json.dumps(event, ensure_ascii=False),
        subscription["max_attempts"] or max_attempts,
        *_trace(),
    )
    return bool(queued)


async def wake_delivery(conn: asyncpg.Connection) -> None:
    await conn.execute("SELECT pg_notify($1, '')", DELIVERY_CHANNEL)
