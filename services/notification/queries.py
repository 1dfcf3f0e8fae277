"""The notification service's SQL behind its routes: contacts, the inbox, webhook subscriptions.

Each function runs one statement (or one transaction) with `$n` parameters and returns rows;
the routes turn rows into responses. Delivery and fan-out keep their own SQL (records.py,
delivery.py), being the consumer's side.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, TypeAlias
from uuid import UUID

import asyncpg

from services.notification.records import wake_delivery

Db: TypeAlias = asyncpg.Pool | asyncpg.Connection

# --- contacts and preferences -------------------------------------------------------------
CONTACT_COLUMNS = "recipient, email, in_app_enabled, email_enabled, updated_at"


async def upsert_contact(
    db: Db, tenant: str, recipient: str, email: str | None, in_app: bool, by_email: bool, by: str
) -> asyncpg.Record:
    return await db.fetchrow(
        "INSERT INTO notification_contacts (tenant, recipient, email, in_app_enabled,"
        " email_enabled, updated_by) VALUES ($1, $2, $3, $4, $5, $6)"
        " ON CONFLICT (tenant, recipient) DO UPDATE SET email = $3, in_app_enabled = $4,"
        " email_enabled = $5, updated_by = $6, updated_at = now()"
        f" RETURNING {CONTACT_COLUMNS}",
        tenant,
        recipient,
        email,
        in_app,
        by_email,
        by,
    )


async def contact(db: Db, tenant: str, recipient: str) -> asyncpg.Record | None:
    return await db.fetchrow(
        f"SELECT {CONTACT_COLUMNS} FROM notification_contacts WHERE tenant = $1 AND recipient = $2",
        tenant,
        recipient,
    )


async def contacts_page(db: Db, tenant: str, limit: int, offset: int) -> list[asyncpg.Record]:
    return await db.fetch(
        f"SELECT {CONTACT_COLUMNS} FROM notification_contacts WHERE tenant = $1"
        " ORDER BY recipient LIMIT $2 OFFSET $3",
        tenant,
        limit,
        offset,
    )


async def employee_email(db: Db, tenant: str, nip: str) -> str | None:
    """The address in the employee's own record, if it has one."""
    email: str | None = await db.fetchval(
        "SELECT data->>'email' FROM employees WHERE tenant = $1 AND nip = $2", tenant, nip
    )
    return email


async def employee_exists(db: Db, tenant: str, nip: str) -> bool:
    return bool(
        await db.fetchval("SELECT true FROM employees WHERE tenant = $1 AND nip = $2", tenant, nip)
    )


# --- the inbox ----------------------------------------------------------------------------
_INBOX_COLUMNS = (
    "n.id, n.event_id, n.event_type, n.recipient, n.subject, n.body, n.transfer_id,"
    " n.created_at, r.read_at"
)
# $1 tenant, $2 the caller's addresses, $3 the reader (read marks are per reader).
_MINE = "n.tenant = $1 AND n.recipient = ANY($2::text[]) AND n.channel = 'in_app'"
_READ_JOIN = "LEFT JOIN notification_reads r ON r.notification_id = n.id AND r.reader = $3"


async def inbox_page(
    db: Db,
    scope: tuple[str, list[str], str],
    unread_only: bool,
    transfer_id: UUID | None,
    limit: int,
    offset: int,
) -> list[asyncpg.Record]:
    return await db.fetch(
        f"SELECT {_INBOX_COLUMNS} FROM notifications n {_READ_JOIN} WHERE {_MINE}"
        " AND (NOT $4 OR r.read_at IS NULL) AND ($5::uuid IS NULL OR n.transfer_id = $5)"
        " ORDER BY n.id DESC LIMIT $6 OFFSET $7",
        *scope,
        unread_only,
        transfer_id,
        limit,
        offset,
    )


async def unread(db: Db, scope: tuple[str, list[str], str]) -> int:
    return int(
        await db.fetchval(
            f"SELECT count(*) FROM notifications n {_READ_JOIN}"
            f" WHERE {_MINE} AND r.read_at IS NULL",
            *scope,
        )
    )


async def mark_read(
    pool: asyncpg.Pool, scope: tuple[str, list[str], str], notification_id: int
) -> asyncpg.Record | None:
    """Mark one of the caller's notices read; None if it is not theirs. Marking twice keeps
    the first time, so a retried request changes nothing."""
    tenant, mine, reader = scope
    async with pool.acquire() as conn, conn.transaction():
        visible = await conn.fetchval(
            f"SELECT true FROM notifications n WHERE n.id = $3 AND {_MINE}",
            tenant,
            mine,
            notification_id,
        )
        if not visible:
            return None
        await conn.execute(
            "INSERT INTO notification_reads (notification_id, reader) VALUES ($1, $2)"
            " ON CONFLICT DO NOTHING",
            notification_id,
            reader,
        )
        row: asyncpg.Record = await conn.fetchrow(
            f"SELECT {_INBOX_COLUMNS} FROM notifications n {_READ_JOIN}"
            f" WHERE n.id = $4 AND {_MINE}",
            tenant,
            mine,
            reader,
            notification_id,
        )
        return row


# --- webhook subscriptions ----------------------------------------------------------------
SUBSCRIPTION_COLUMNS = (
    "id, url, event_types, description, active, max_attempts, created_by, created_at,"
    " updated_at, previous_secret_until, secret"
)
_DELIVERY_COLUMNS = (
    "id, event_id, event_type, status, attempts, max_attempts,"
    " next_attempt_at, last_error, last_status, sent_at, created_at"
)


async def subscription(db: Db, tenant: str, subscription_id: UUID) -> asyncpg.Record | None:
    return await db.fetchrow(
        f"SELECT {SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions WHERE id = $1 AND tenant = $2",
        subscription_id,
        tenant,
    )


async def create_subscription(
    db: Db, ident: UUID, tenant: str, fields: dict[str, Any], secret: str, by: str
) -> asyncpg.Record | None:
    """None if a subscription of that id exists already (a retried request)."""
    return await db.fetchrow(
        "INSERT INTO webhook_subscriptions (id, tenant, url, event_types, description,"
        " max_attempts, secret, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        f" ON CONFLICT (id) DO NOTHING RETURNING {SUBSCRIPTION_COLUMNS}",
        ident,
        tenant,
        fields["url"],
        fields["event_types"],
        fields["description"],
        fields["max_attempts"],
        secret,
        by,
    )


async def subscriptions_page(db: Db, tenant: str, limit: int, offset: int) -> list[asyncpg.Record]:
    return await db.fetch(
        f"SELECT {SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions WHERE tenant = $1"
        " ORDER BY created_at, id LIMIT $2 OFFSET $3",
        tenant,
        limit,
        offset,
    )


async def update_subscription(
    db: Db, tenant: str, subscription_id: UUID, changes: dict[str, Any]
) -> asyncpg.Record:
    """Change what `changes` names; absent keys keep their value."""
    row: asyncpg.Record = await db.fetchrow(
        "UPDATE webhook_subscriptions SET url = coalesce($3, url),"
        " event_types = coalesce($4, event_types), description = coalesce($5, description),"
        " max_attempts = coalesce($6, max_attempts), active = coalesce($7, active),"
        f" updated_at = now() WHERE id = $1 AND tenant = $2 RETURNING {SUBSCRIPTION_COLUMNS}",
        subscription_id,
        tenant,
        changes.get("url"),
        changes.get("event_types"),
        changes.get("description"),
        changes.get("max_attempts"),
        changes.get("active"),
    )
    return row


async def rotated_with(db: Db, subscription_id: UUID, key: str) -> bool:
    """Whether the last rotation was made with this Idempotency-Key."""
    return bool(
        await db.fetchval(
            "SELECT rotation_key = $2 FROM webhook_subscriptions WHERE id = $1",
            subscription_id,
            key,
        )
    )


async def rotate_secret(
    db: Db, tenant: str, subscription_id: UUID, grace: timedelta, secret: str, key: str | None
) -> asyncpg.Record:
    row: asyncpg.Record = await db.fetchrow(
        "UPDATE webhook_subscriptions SET previous_secret = secret,"
        " previous_secret_until = now() + $3::interval, secret = $4, rotation_key = $5,"
        f" updated_at = now() WHERE id = $1 AND tenant = $2 RETURNING {SUBSCRIPTION_COLUMNS}",
        subscription_id,
        tenant,
        grace,
        secret,
        key,
    )
    return row


async def deliveries_page(
    db: Db, subscription_id: UUID, status: str | None, limit: int, offset: int
) -> list[asyncpg.Record]:
    return await db.fetch(
        f"SELECT {_DELIVERY_COLUMNS} FROM notification_deliveries WHERE subscription_id = $1"
        " AND ($2::text IS NULL OR status = $2) ORDER BY id DESC LIMIT $3 OFFSET $4",
        subscription_id,
        status,
        limit,
        offset,
    )


async def redrive(pool: asyncpg.Pool, subscription_id: UUID, ids: list[int] | None) -> int:
    """Send dead deliveries again (all, or those named); return how many."""
    async with pool.acquire() as conn, conn.transaction():
        redriven = await conn.fetch(
            "UPDATE notification_deliveries SET status = 'pending', attempts = 0,"
            " next_attempt_at = now(), last_error = NULL WHERE subscription_id = $1"
            " AND status = 'dead' AND ($2::bigint[] IS NULL OR id = ANY($2::bigint[]))"
            " RETURNING id",
            subscription_id,
            ids,
        )
        await wake_delivery(conn)
    return len(redriven)
