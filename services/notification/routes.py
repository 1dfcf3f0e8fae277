"""The caller's in-app inbox: list, unread count, mark read — only their own notifications."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from mutasi.auth.principal import Principal
from mutasi.errors import NotFound
from mutasi.web.deps import Paging, Pool, require

router = APIRouter(prefix="/notifications", tags=["notifications"])


class NotificationOut(BaseModel):
    id: int
    event_id: UUID
    event_type: str
    subject: str
    body: str
    transfer_id: UUID | None
    created_at: datetime
    read_at: datetime | None


class NotificationPage(BaseModel):
    items: list[NotificationOut]
    unread: int
    next_offset: int | None


def _addresses(principal: Principal) -> list[str]:
    addresses = [f"user:{principal.sub}"]
    if principal.nip:
        addresses.append(f"nip:{principal.nip}")
    return addresses


@router.get("", response_model=NotificationPage, summary="Kotak masuk / my notifications")
async def inbox(pool: Pool, page: Paging,
                principal: Annotated[Principal, Depends(require("inbox.read"))],
                unread_only: bool = False) -> NotificationPage:
    rows = await pool.fetch(
        "SELECT id, event_id, event_type, subject, body, transfer_id, created_at, read_at"
        " FROM notifications WHERE tenant = $1 AND recipient = ANY($2::text[])"
        " AND (NOT $3 OR read_at IS NULL) ORDER BY id LIMIT $4 OFFSET $5",
        principal.tenant, _addresses(principal), unread_only, page.limit + 1, page.offset)
    unread = await pool.fetchval(
        "SELECT count(*) FROM notifications WHERE tenant = $1 AND recipient = ANY($2::text[])"
        " AND read_at IS NULL", principal.tenant, _addresses(principal))
    more = len(rows) > page.limit
    return NotificationPage(items=[NotificationOut(**dict(r)) for r in rows[: page.limit]],
                            unread=unread,
                            next_offset=page.offset + page.limit if more else None)


@router.post("/{notification_id}/read", response_model=NotificationOut,
             summary="Tandai sudah dibaca / mark read")
async def mark_read(notification_id: int, pool: Pool,
                    principal: Annotated[Principal, Depends(require("inbox.read"))]
                    ) -> NotificationOut:
    row = await pool.fetchrow(
        "UPDATE notifications SET read_at = coalesce(read_at, now())"
        " WHERE id = $1 AND tenant = $2 AND recipient = ANY($3::text[])"
        " RETURNING id, event_id, event_type, subject, body, transfer_id, created_at, read_at",
        notification_id, principal.tenant, _addresses(principal))
    if row is None:
        raise NotFound("Notifikasi tidak ditemukan", "Notification not found")
    return NotificationOut(**dict(row))
