"""Dead letters over the API: what the consumer gave up on, and e-mails and webhook calls
that ran out of attempts — list, inspect, redrive. BKPSDM of the government they belong to,
or an operator (any government; `?tenant=` narrows)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel

from mutasi.auth.principal import Principal
from mutasi.errors import NotFound
from mutasi.web.deps import Paging, Pool, require
from services.notification import dead_letters as q

router = APIRouter(tags=["dead letters"])
Reader = Annotated[Principal, Depends(require("dead_letter.read"))]
Redriver = Annotated[Principal, Depends(require("dead_letter.redrive"))]
RowId = Annotated[int, Path(ge=1, le=2**63 - 1)]  # a bigint: larger is a 422, not a 500
Tenant = Annotated[str | None, Query(max_length=63, description="operators: one government")]


class DeadLetterOut(BaseModel):
    id: int
    consumer: str
    subject: str
    tenant: str | None
    stream_seq: int
    error: str
    created_at: datetime
    redriven_at: datetime | None
    redriven_by: str | None
    redrive_error: str | None  # why the last redrive failed, if it did


class DeadLetterDetail(DeadLetterOut):
    body: Any  # the message as received: the CloudEvent if it is JSON, else its text


class DeadLetterPage(BaseModel):
    items: list[DeadLetterOut]
    next_offset: int | None


class DeadDeliveryOut(BaseModel):
    id: int
    tenant: str
    event_id: UUID
    event_type: str
    channel: str
    target: str  # the recipient (e-mail) or the subscription id (webhook)
    attempts: int
    max_attempts: int
    last_error: str | None
    last_status: int | None
    created_at: datetime


class DeadDeliveryDetail(DeadDeliveryOut):
    status: str
    body: Any  # a webhook's JSON exactly as signed and sent; None for an e-mail


class DeadDeliveryPage(BaseModel):
    items: list[DeadDeliveryOut]
    next_offset: int | None


class Redriven(BaseModel):
    id: int
    redriven: bool  # False: it had been redriven (or processed) already; nothing done twice


def _next(count: int, page: Any) -> int | None:
    return page.offset + page.limit if count == page.limit else None


@router.get("/dead-letters", response_model=DeadLetterPage, summary="Pesan gagal / dead letters")
async def list_dead_letters(
    pool: Pool, page: Paging, principal: Reader, tenant: Tenant = None, redriven: bool = False
) -> DeadLetterPage:
    rows = await q.letters(pool, principal, tenant, redriven, page.limit, page.offset)
    return DeadLetterPage(
        items=[DeadLetterOut(**dict(r)) for r in rows], next_offset=_next(len(rows), page)
    )


@router.get(
    "/dead-letters/{dead_letter_id}",
    response_model=DeadLetterDetail,
    summary="Periksa pesan gagal / inspect a dead letter",
)
async def read_dead_letter(dead_letter_id: RowId, pool: Pool, _: Reader) -> DeadLetterDetail:
    row = await q.letter(pool, dead_letter_id)
    if row is None:
        raise NotFound("Pesan gagal tidak ditemukan", "Dead letter not found")
    fields = {k: row[k] for k in row.keys() if k != "body"}
    return DeadLetterDetail(**fields, body=q.readable_body(row["body"]))


@router.post(
    "/dead-letters/{dead_letter_id}/redrive",
    response_model=Redriven,
    summary="Proses ulang / redrive a dead letter (exactly once)",
)
async def redrive_dead_letter(
    dead_letter_id: RowId, request: Request, pool: Pool, principal: Redriver
) -> Redriven:
    row = await q.letter(pool, dead_letter_id)
    if row is None:
        raise NotFound("Pesan gagal tidak ditemukan", "Dead letter not found")
    done = await q.redrive_letter(pool, request.app.state.consumer, row, principal.sub)
    return Redriven(id=dead_letter_id, redriven=done)


@router.get(
    "/dead-deliveries",
    response_model=DeadDeliveryPage,
    summary="Pengiriman gagal / e-mails and webhook calls that ran out of attempts",
)
async def list_dead_deliveries(
    pool: Pool,
    page: Paging,
    principal: Reader,
    tenant: Tenant = None,
    channel: Literal["email", "webhook"] | None = None,
) -> DeadDeliveryPage:
    rows = await q.dead_deliveries(pool, principal, tenant, channel, page.limit, page.offset)
    return DeadDeliveryPage(
        items=[DeadDeliveryOut(**dict(r)) for r in rows], next_offset=_next(len(rows), page)
    )


@router.get(
    "/dead-deliveries/{delivery_id}",
    response_model=DeadDeliveryDetail,
    summary="Periksa pengiriman / inspect a delivery",
)
async def read_dead_delivery(delivery_id: RowId, pool: Pool, _: Reader) -> DeadDeliveryDetail:
    row = await q.dead_delivery(pool, delivery_id)
    if row is None:
        raise NotFound("Pengiriman tidak ditemukan", "Delivery not found")
    fields = {k: row[k] for k in row.keys() if k != "body"}
    body = q.readable_body(row["body"].encode()) if row["body"] else None
    return DeadDeliveryDetail(**fields, body=body)


@router.post(
    "/dead-deliveries/{delivery_id}/redrive",
    response_model=Redriven,
    summary="Kirim ulang / send a dead e-mail or webhook call again from its first attempt",
)
async def redrive_dead_delivery(delivery_id: RowId, pool: Pool, _: Redriver) -> Redriven:
    if await q.dead_delivery(pool, delivery_id) is None:
        raise NotFound("Pengiriman tidak ditemukan", "Delivery not found")
    return Redriven(id=delivery_id, redriven=await q.redrive_delivery(pool, delivery_id))
