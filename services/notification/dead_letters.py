"""SQL and redrive of the two dead-letter lists: events the consumer gave up on
(`dead_letters`) and e-mails or webhook calls that exhausted their attempts
(`notification_deliveries` with status dead). BKPSDM sees its government's, operators all."""

from __future__ import annotations

import json
from typing import Any

import asyncpg

from mutasi.auth.principal import Principal
from mutasi.errors import Conflict
from mutasi.messaging.consumer import DurableConsumer, PoisonMessage
from services.notification.records import wake_delivery

LETTER_COLUMNS = (
    "id, consumer, subject, tenant, stream_seq, error, created_at, redriven_at, redriven_by,"
    " redrive_error"
)
DELIVERY_COLUMNS = (
    "id, tenant, event_id, event_type, channel, target, attempts, max_attempts, last_error,"
    " last_status, created_at"
)


def _scope(principal: Principal, tenant: str | None, first: int) -> tuple[str, list[Any]]:
    """Own government only, unless national; a national caller may name one."""
    wanted = tenant if principal.is_national else principal.tenant
    if wanted is None:
        return "true", []
    return f"tenant = ${first}", [wanted]


async def letters(
    pool: asyncpg.Pool, principal: Principal, tenant: str | None, redriven: bool,
    limit: int, offset: int,
) -> list[asyncpg.Record]:  # fmt: skip
    cond, params = _scope(principal, tenant, 4)
    return await pool.fetch(
        f"SELECT {LETTER_COLUMNS} FROM dead_letters WHERE {cond}"
        " AND (redriven_at IS NOT NULL) = $1 ORDER BY id LIMIT $2 OFFSET $3",
        redriven, limit, offset, *params,
    )  # fmt: skip


async def letter(pool: asyncpg.Pool, letter_id: int) -> asyncpg.Record | None:
    return await pool.fetchrow(
        f"SELECT {LETTER_COLUMNS}, body FROM dead_letters WHERE id = $1", letter_id
    )


def readable_body(body: bytes) -> Any:
    """The message as it came: JSON if it is JSON, else text (bytes shown escaped)."""
    text = body.decode("utf-8", errors="backslashreplace")
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


async def redrive_letter(
    pool: asyncpg.Pool, consumer: DurableConsumer, row: asyncpg.Record, by: str
) -> bool:
    """Hand the message to the consumer's handler again, exactly once (processed ids).

    True if it was processed now, False if it had been meanwhile. A message that still
    cannot be processed stays a dead letter, with the reason recorded: 409."""
    if row["redriven_at"] is not None:
        return False
    try:
        fresh = await consumer.handle_once(consumer.decode(row["body"]))
    except PoisonMessage as exc:
        await _failed(pool, row["id"], str(exc))
        raise Conflict(
            "Pesan ini tetap tidak dapat diproses", f"Still cannot be processed: {exc}"
        ) from exc
    except (asyncpg.PostgresError, ValueError, KeyError) as exc:
        await _failed(pool, row["id"], repr(exc))
        raise Conflict(
            "Pesan ini gagal diproses lagi", f"Processing failed again: {exc!r}"
        ) from exc
    await pool.execute(
        "UPDATE dead_letters SET redriven_at = now(), redriven_by = $2, redrive_error = NULL"
        " WHERE id = $1 AND redriven_at IS NULL",
        row["id"], by,
    )  # fmt: skip
    return fresh


async def _failed(pool: asyncpg.Pool, letter_id: int, error: str) -> None:
    await pool.execute(
        "UPDATE dead_letters SET redrive_error = $2 WHERE id = $1", letter_id, error[:2000]
    )


async def dead_deliveries(
    pool: asyncpg.Pool, principal: Principal, tenant: str | None, channel: str | None,
    limit: int, offset: int,
) -> list[asyncpg.Record]:  # fmt: skip
    cond, params = _scope(principal, tenant, 4)
    return await pool.fetch(
        f"SELECT {DELIVERY_COLUMNS} FROM notification_deliveries WHERE status = 'dead'"
        f" AND ($1::text IS NULL OR channel = $1) AND {cond} ORDER BY id LIMIT $2 OFFSET $3",
        channel, limit, offset, *params,
    )  # fmt: skip


async def dead_delivery(pool: asyncpg.Pool, delivery_id: int) -> asyncpg.Record | None:
    return await pool.fetchrow(
        f"SELECT {DELIVERY_COLUMNS}, status, body FROM notification_deliveries WHERE id = $1",
        delivery_id,
    )


async def redrive_delivery(pool: asyncpg.Pool, delivery_id: int) -> bool:
    """Send again from the first attempt; True if it was dead (a second redrive: False)."""
    async with pool.acquire() as conn, conn.transaction():
        redriven = await conn.fetchval(
            "UPDATE notification_deliveries SET status = 'pending', attempts = 0,"
            " next_attempt_at = now(), last_error = NULL WHERE id = $1 AND status = 'dead'"
            " RETURNING true",
            delivery_id,
        )
        await wake_delivery(conn)
    return bool(redriven)
