"""The caller's in-app inbox: list, unread count, mark read — only what is addressed to them.

A caller reads what is addressed to them personally (`nip:`/`user:`) and to their roles in
their own government (`role:<tenant>:<role>`); read marks are per reader, so one BKPSDM
officer reading the desk's notice does not hide it from a colleague.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends

from mutasi.auth.principal import Principal
from mutasi.errors import NotFound
from mutasi.web.deps import IdempotencyKey, Paging, Pool, require
from services.notification import addresses
from services.notification.schemas import NotificationOut, NotificationPage, UnreadCount

router = APIRouter(prefix="/notifications", tags=["inbox"])
Reader = Annotated[Principal, Depends(require("inbox.read"))]

_COLUMNS = (
    "n.id, n.event_id, n.event_type, n.recipient, n.subject, n.body, n.transfer_id,"
    " n.created_at, r.read_at"
)
_MINE = "n.tenant = $1 AND n.recipient = ANY($2::text[]) AND n.channel = 'in_app'"
_READ_JOIN = "LEFT JOIN notification_reads r ON r.notification_id = n.id AND r.reader = $3"


def _scope(principal: Principal) -> tuple[str, list[str], str]:
    return principal.tenant, addresses.of_principal(principal), addresses.reader(principal)


@router.get("", response_model=NotificationPage, summary="Kotak masuk / my notifications")
async def inbox(
    pool: Pool,
    page: Paging,
    principal: Reader,
    unread_only: bool = False,
    transfer_id: UUID | None = None,
) -> NotificationPage:
    rows = await pool.fetch(
        f"SELECT {_COLUMNS} FROM notifications n {_READ_JOIN} WHERE {_MINE}"
        " AND (NOT $4 OR r.read_at IS NULL) AND ($5::uuid IS NULL OR n.transfer_id = $5)"
        " ORDER BY n.id DESC LIMIT $6 OFFSET $7",
        *_scope(principal),
        unread_only,
        transfer_id,
        page.limit + 1,
        page.offset,
    )
    more = len(rows) > page.limit
    return NotificationPage(
        items=[NotificationOut(**dict(r)) for r in rows[: page.limit]],
        unread=await _unread(pool, principal),
        next_offset=page.offset + page.limit if more else None,
    )


async def _unread(pool: Pool, principal: Principal) -> int:
    return int(
        await pool.fetchval(
            f"SELECT count(*) FROM notifications n {_READ_JOIN}"
            f" WHERE {_MINE} AND r.read_at IS NULL",
            *_scope(principal),
        )
    )


@router.get(
    "/unread-count", response_model=UnreadCount, summary="Jumlah belum dibaca / unread count"
)
async def unread_count(pool: Pool, principal: Reader) -> UnreadCount:
    return UnreadCount(unread=await _unread(pool, principal))


@router.post(
    "/{notification_id}/read",
    response_model=NotificationOut,
    summary="Tandai sudah dibaca / mark read",
)
async def mark_read(
    notification_id: int, pool: Pool, principal: Reader, key: IdempotencyKey
) -> NotificationOut:
    # Marking twice keeps the first time: a retried request changes nothing.
    tenant, mine, reader = _scope(principal)
    async with pool.acquire() as conn, conn.transaction():
        visible = await conn.fetchval(
            f"SELECT true FROM notifications n WHERE n.id = $3 AND {_MINE}",
            tenant,
            mine,
            notification_id,
        )
        if not visible:
            raise NotFound("Notifikasi tidak ditemukan", "Notification not found")
        await conn.execute(
            "INSERT INTO notification_reads (notification_id, reader) VALUES ($1, $2)"
            " ON CONFLICT DO NOTHING",
            notification_id,
            reader,
        )
        row = await conn.fetchrow(
            f"SELECT {_COLUMNS} FROM notifications n {_READ_JOIN} WHERE n.id = $4 AND {_MINE}",
            tenant,
            mine,
            reader,
            notification_id,
        )
    return NotificationOut(**dict(row))
