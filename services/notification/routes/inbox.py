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
from services.notification import addresses, queries
from services.notification.schemas import NotificationOut, NotificationPage, UnreadCount

router = APIRouter(prefix="/notifications", tags=["inbox"])
Reader = Annotated[Principal, Depends(require("inbox.read"))]


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
    rows = await queries.inbox_page(
        pool, _scope(principal), unread_only, transfer_id, page.limit + 1, page.offset
    )
    more = len(rows) > page.limit
    return NotificationPage(
        items=[NotificationOut(**dict(r)) for r in rows[: page.limit]],
        unread=await queries.unread(pool, _scope(principal)),
        next_offset=page.offset + page.limit if more else None,
    )


@router.get(
    "/unread-count", response_model=UnreadCount, summary="Jumlah belum dibaca / unread count"
)
async def unread_count(pool: Pool, principal: Reader) -> UnreadCount:
    return UnreadCount(unread=await queries.unread(pool, _scope(principal)))


@router.post(
    "/{notification_id}/read",
    response_model=NotificationOut,
    summary="Tandai sudah dibaca / mark read",
)
async def mark_read(
    notification_id: int, pool: Pool, principal: Reader, key: IdempotencyKey
) -> NotificationOut:
    row = await queries.mark_read(pool, _scope(principal), notification_id)
    if row is None:
        raise NotFound("Notifikasi tidak ditemukan", "Notification not found")
    return NotificationOut(**dict(row))
