"""Webhook subscriptions of a government: BKPSDM subscribes systems to event types.

The secret is shown once, when a subscription is created or its secret rotated (a retry of the
same request with the same Idempotency-Key gets the same answer). After a rotation the old
secret keeps signing alongside the new one for `webhook_secret_grace_hours`.
A URL is stored only if a webhook may go there (services/notification/egress.py: no SSRF).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

import asyncpg
from fastapi import APIRouter, Depends, Request, Response

from mutasi.auth.principal import Principal
from mutasi.errors import Conflict, NotFound
from mutasi.web.deps import IdempotencyKey, Paging, Pool, require
from services.notification import egress, queries, signing
from services.notification.schemas import (
    DeliveryOut,
    DeliveryPage,
    RedriveIn,
    RedriveOut,
    SubscriptionIn,
    SubscriptionOut,
    SubscriptionPage,
    SubscriptionPatch,
    SubscriptionWithSecret,
)

router = APIRouter(prefix="/webhook-subscriptions", tags=["webhooks"])
Reader = Annotated[Principal, Depends(require("webhook.read"))]
Manager = Annotated[Principal, Depends(require("webhook.manage"))]
_KEY_NS = uuid5(NAMESPACE_URL, "https://mutasi.go.id/webhook-subscriptions")


def _public(row: asyncpg.Record) -> SubscriptionOut:
    return SubscriptionOut(**{k: v for k, v in dict(row).items() if k != "secret"})


async def _load(pool: asyncpg.Pool, principal: Principal, subscription_id: UUID) -> asyncpg.Record:
    row = await queries.subscription(pool, principal.tenant, subscription_id)
    if row is None:
        raise NotFound("Langganan webhook tidak ditemukan", "Webhook subscription not found")
    return row


async def _check_url(request: Request, url: str) -> None:
    settings = request.app.state.settings
    await egress.check_url(url, egress.Policy.of(settings), settings.webhook_timeout_s)


@router.post(
    "",
    status_code=201,
    response_model=SubscriptionWithSecret,
    summary="Daftarkan webhook / subscribe a system to events",
)
async def create(
    body: SubscriptionIn,
    request: Request,
    pool: Pool,
    principal: Manager,
    response: Response,
    key: IdempotencyKey,
) -> SubscriptionWithSecret:
    await _check_url(request, body.url)
    ident = uuid5(_KEY_NS, f"{principal.tenant}/{principal.sub}/{key}") if key else uuid4()
    row = await queries.create_subscription(
        pool, ident, principal.tenant, body.model_dump(), signing.new_secret(), principal.sub
    )
    if row is None:  # the same request again: the same answer, or a clash of keys
        row = await _load(pool, principal, ident)
        if row["url"] != body.url or list(row["event_types"]) != body.event_types:
            raise Conflict(
                "Idempotency-Key sudah dipakai untuk permintaan lain",
                "Idempotency-Key already used for a different request",
            )
    response.headers["Location"] = f"/webhook-subscriptions/{row['id']}"
    return SubscriptionWithSecret(**dict(row))


@router.get("", response_model=SubscriptionPage, summary="Daftar webhook / subscriptions")
async def list_subscriptions(pool: Pool, page: Paging, principal: Reader) -> SubscriptionPage:
    rows = await queries.subscriptions_page(pool, principal.tenant, page.limit + 1, page.offset)
    more = len(rows) > page.limit
    return SubscriptionPage(
        items=[_public(r) for r in rows[: page.limit]],
        next_offset=page.offset + page.limit if more else None,
    )


@router.get(
    "/{subscription_id}",
    response_model=SubscriptionOut,
    summary="Rincian webhook / one subscription",
)
async def read(subscription_id: UUID, pool: Pool, principal: Reader) -> SubscriptionOut:
    return _public(await _load(pool, principal, subscription_id))


@router.patch(
    "/{subscription_id}",
    response_model=SubscriptionOut,
    summary="Ubah webhook / change URL, filters, attempts, or (de)activate",
)
async def update(
    subscription_id: UUID,
    body: SubscriptionPatch,
    request: Request,
    pool: Pool,
    principal: Manager,
    key: IdempotencyKey,
) -> SubscriptionOut:
    await _load(pool, principal, subscription_id)
    changes = body.model_dump(exclude_unset=True)
    if changes.get("url") is not None:
        await _check_url(request, changes["url"])
    row = await queries.update_subscription(pool, principal.tenant, subscription_id, changes)
    return _public(row)


@router.post(
    "/{subscription_id}/rotate-secret",
    response_model=SubscriptionWithSecret,
    summary="Ganti rahasia / rotate the signing secret",
)
async def rotate_secret(
    subscription_id: UUID, request: Request, pool: Pool, principal: Manager, key: IdempotencyKey
) -> SubscriptionWithSecret:
    current = await _load(pool, principal, subscription_id)
    if key:
        if await queries.rotated_with(pool, subscription_id, key):
            return SubscriptionWithSecret(**dict(current))
    grace = timedelta(hours=request.app.state.settings.webhook_secret_grace_hours)
    row = await queries.rotate_secret(
        pool, principal.tenant, subscription_id, grace, signing.new_secret(), key
    )
    return SubscriptionWithSecret(**dict(row))


async def _deliveries(
    pool: asyncpg.Pool, subscription_id: UUID, status: str | None, page: Paging
) -> DeliveryPage:
    rows = await queries.deliveries_page(pool, subscription_id, status, page.limit + 1, page.offset)
    more = len(rows) > page.limit
    return DeliveryPage(
        items=[DeliveryOut(**dict(r)) for r in rows[: page.limit]],
        next_offset=page.offset + page.limit if more else None,
    )


@router.get(
    "/{subscription_id}/deliveries",
    response_model=DeliveryPage,
    summary="Riwayat pengiriman / deliveries (status: pending, sent, dead)",
)
async def deliveries(
    subscription_id: UUID, pool: Pool, page: Paging, principal: Reader, status: str | None = None
) -> DeliveryPage:
    await _load(pool, principal, subscription_id)
    return await _deliveries(pool, subscription_id, status, page)


@router.get(
    "/{subscription_id}/dead-letters",
    response_model=DeliveryPage,
    summary="Pengiriman gagal / the dead-letter list",
)
async def dead_letters(
    subscription_id: UUID, pool: Pool, page: Paging, principal: Reader
) -> DeliveryPage:
    await _load(pool, principal, subscription_id)
    return await _deliveries(pool, subscription_id, "dead", page)


@router.post(
    "/{subscription_id}/redrive",
    response_model=RedriveOut,
    summary="Kirim ulang yang gagal / redrive dead deliveries",
)
async def redrive(
    subscription_id: UUID, body: RedriveIn, pool: Pool, principal: Manager, key: IdempotencyKey
) -> RedriveOut:
    subscription = await _load(pool, principal, subscription_id)
    if not subscription["active"]:
        raise Conflict(
            "Aktifkan langganan sebelum mengirim ulang",
            "Activate the subscription before redriving",
        )
    redriven = await queries.redrive(pool, subscription_id, body.delivery_ids)
    return RedriveOut(redriven=redriven)
