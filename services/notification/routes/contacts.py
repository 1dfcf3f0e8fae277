"""Where notices reach people, and which channels they want.

Everyone sets their own e-mail address and channels (`/notifications/preferences`). BKPSDM
keeps the addresses of its government's employees and role desks (`/notification-contacts`),
e.g. the shared mailbox of `role:<tenant>:hr_officer`. Without a row, in-app is on and e-mail
goes to the address in the employee's record, if it has one.
"""

from __future__ import annotations

from typing import Annotated

import asyncpg
from fastapi import APIRouter, Depends

from mutasi.auth.principal import Principal
from mutasi.errors import InvalidInput, NotFound
from mutasi.web.deps import IdempotencyKey, Paging, Pool, require
from services.notification import addresses, queries
from services.notification.schemas import ContactOut, ContactPage, PreferencesIn

router = APIRouter(tags=["preferences"])
Self = Annotated[Principal, Depends(require("inbox.preferences"))]
Officer = Annotated[Principal, Depends(require("notification.contacts"))]


async def _upsert(
    pool: asyncpg.Pool, tenant: str, recipient: str, body: PreferencesIn, by: str
) -> ContactOut:
    row = await queries.upsert_contact(
        pool, tenant, recipient, body.email, body.in_app_enabled, body.email_enabled, by
    )
    return ContactOut(**dict(row))


async def _read(pool: asyncpg.Pool, tenant: str, recipient: str) -> ContactOut:
    row = await queries.contact(pool, tenant, recipient)
    if row:
        return ContactOut(**dict(row))
    email = None
    if recipient.startswith("nip:"):
        email = await queries.employee_email(pool, tenant, recipient.removeprefix("nip:"))
    return ContactOut(recipient=recipient, email=email, in_app_enabled=True, email_enabled=True)


@router.get(
    "/notifications/preferences",
    response_model=ContactOut,
    summary="Preferensi notifikasi saya / my notification preferences",
)
async def my_preferences(pool: Pool, principal: Self) -> ContactOut:
    return await _read(pool, principal.tenant, addresses.personal(principal))


@router.put(
    "/notifications/preferences",
    response_model=ContactOut,
    summary="Ubah preferensi saya / set my e-mail and channels",
)
async def set_my_preferences(
    body: PreferencesIn, pool: Pool, principal: Self, key: IdempotencyKey
) -> ContactOut:
    return await _upsert(pool, principal.tenant, addresses.personal(principal), body, principal.sub)


async def _check_recipient(pool: asyncpg.Pool, principal: Principal, recipient: str) -> None:
    if not addresses.is_valid(recipient):
        raise InvalidInput(
            "Alamat penerima tidak valid (nip:<NIP>, user:<id>, role:<instansi>:<peran>)",
            "Invalid recipient address (nip:<NIP>, user:<sub>, role:<tenant>:<role>)",
        )
    tenant = addresses.role_tenant(recipient)
    if tenant is not None and tenant != principal.tenant:
        raise NotFound("Penerima tidak ditemukan", "Recipient not found")
    if recipient.startswith("nip:"):
        if not await queries.employee_exists(
            pool, principal.tenant, recipient.removeprefix("nip:")
        ):
            raise NotFound("Pegawai tidak ditemukan", "Employee not found")


@router.get(
    "/notification-contacts",
    response_model=ContactPage,
    summary="Daftar kontak notifikasi / notification contacts of my government",
)
async def list_contacts(pool: Pool, page: Paging, principal: Officer) -> ContactPage:
    rows = await queries.contacts_page(pool, principal.tenant, page.limit + 1, page.offset)
    more = len(rows) > page.limit
    return ContactPage(
        items=[ContactOut(**dict(r)) for r in rows[: page.limit]],
        next_offset=page.offset + page.limit if more else None,
    )


@router.get(
    "/notification-contacts/{recipient}",
    response_model=ContactOut,
    summary="Kontak satu penerima / one recipient's contact",
)
async def read_contact(recipient: str, pool: Pool, principal: Officer) -> ContactOut:
    await _check_recipient(pool, principal, recipient)
    return await _read(pool, principal.tenant, recipient)


@router.put(
    "/notification-contacts/{recipient}",
    response_model=ContactOut,
    summary="Atur kontak penerima / set a recipient's e-mail and channels",
)
async def set_contact(
    recipient: str, body: PreferencesIn, pool: Pool, principal: Officer, key: IdempotencyKey
) -> ContactOut:
    await _check_recipient(pool, principal, recipient)
    return await _upsert(pool, principal.tenant, recipient, body, principal.sub)
