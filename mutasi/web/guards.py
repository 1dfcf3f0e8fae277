"""Path resources checked before a route runs, the same way for every route.

A route's path names a resource (`/transfers/{transfer_id}/…`); `require(action)` looks each
named resource up here with the caller's reach (tenant; unit for a supervisor; own records for
an employee). One that is another government's, another unit's or someone else's answers 404
before the body is read or anything runs — as if it did not exist — so no route can forget it
and a refused body (422) never hints that a foreign resource exists.

A path parameter without a guard is checked by its route alone; the access-matrix test
(tests/security/test_access_matrix.py) shows every route still answers 404 across tenants.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from uuid import UUID

import asyncpg

from mutasi import lookups
from mutasi.auth.principal import Principal
from mutasi.planning import plans
from mutasi.transfers import transfer_visible

_BIGINT = 2**63 - 1
Check = Callable[[asyncpg.Pool, Principal, str], Awaitable[bool]]


@dataclass(frozen=True)
class Guard:
    check: Check  # True when the caller may see the resource (or the value is malformed)
    message_id: str
    message_en: str


def _uuid(raw: str) -> UUID | None:
    try:
        return UUID(raw)
    except ValueError:
        return None  # malformed: the route's own validation answers 422


async def _transfer_visible(pool: asyncpg.Pool, principal: Principal, raw: str) -> bool:
    transfer_id = _uuid(raw)
    if transfer_id is None:
        return True
    return await transfer_visible(pool, principal, transfer_id)


async def _employee_visible(pool: asyncpg.Pool, principal: Principal, nip: str) -> bool:
    if principal.reach == "self":
        return principal.nip == nip
    if principal.reach == "unit" and not principal.unit:
        return False  # a unit-bound role without a unit claim sees nobody
    unit = principal.unit if principal.reach == "unit" else None
    return await lookups.employee_in_unit(pool, principal.tenant, nip, unit)


async def _unit_visible(pool: asyncpg.Pool, principal: Principal, unit_code: str) -> bool:
    # Tenant-wide roles: the route looks the unit up in the caller's government itself.
    if principal.reach == "tenant":
        return True
    return principal.reach == "unit" and principal.unit == unit_code


async def _meeting_visible(pool: asyncpg.Pool, principal: Principal, raw: str) -> bool:
    meeting_id = _uuid(raw)
    if meeting_id is None:
        return True
    return await lookups.meeting_held_by(pool, principal.tenant, meeting_id)


async def _government_visible(pool: asyncpg.Pool, principal: Principal, slug: str) -> bool:
    # National roles see every government; anyone else only their own.
    return principal.is_national or principal.tenant == slug


async def _dead_letter_visible(pool: asyncpg.Pool, principal: Principal, raw: str) -> bool:
    if not raw.isdigit() or int(raw) > _BIGINT:
        return True  # malformed: the route's own validation answers 422
    if principal.is_national:
        return True
    return bool(
        await pool.fetchval(
            "SELECT EXISTS (SELECT 1 FROM dead_letters WHERE id = $1 AND tenant = $2)",
            int(raw),
            principal.tenant,
        )
    )


async def _delivery_visible(pool: asyncpg.Pool, principal: Principal, raw: str) -> bool:
    if not raw.isdigit() or int(raw) > _BIGINT:
        return True  # malformed: the route's own validation answers 422
    if principal.is_national:
        return True
    return bool(
        await pool.fetchval(
            "SELECT EXISTS (SELECT 1 FROM notification_deliveries WHERE id = $1 AND tenant = $2)",
            int(raw),
            principal.tenant,
        )
    )


async def _plan_visible(pool: asyncpg.Pool, principal: Principal, raw: str) -> bool:
    plan_id = _uuid(raw)
    return plan_id is None or await plans.visible(pool, principal.tenant, plan_id)


PATH_GUARDS: dict[str, Guard] = {
    "transfer_id": Guard(_transfer_visible, "Usulan mutasi tidak ditemukan", "Transfer not found"),
    "nip": Guard(_employee_visible, "Pegawai tidak ditemukan", "Employee not found"),
    "unit_code": Guard(_unit_visible, "Unit kerja tidak ditemukan", "Unit not found"),
    "meeting_id": Guard(_meeting_visible, "Rapat tidak ditemukan", "Meeting not found"),
    "tenant_slug": Guard(
        _government_visible, "Pemerintah daerah tidak ditemukan", "Government not found"
    ),
    "dead_letter_id": Guard(
        _dead_letter_visible, "Pesan gagal tidak ditemukan", "Dead letter not found"
    ),
    "delivery_id": Guard(_delivery_visible, "Pengiriman tidak ditemukan", "Delivery not found"),
    "plan_id": Guard(_plan_visible, "Rencana mutasi tidak ditemukan", "Plan not found"),
}
