"""Employees' aspirations: where they wish to go and why, each change an event of the log.

An employee records their own (or BKPSDM records what it heard in a forum); the units and
posts must exist in the employee's government. The current wishes live in the employee's
record, where ranking and plans read them; the history is the log (`aspiration.recorded`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

import asyncpg

from mutasi.domain.events import AspirationEvent
from mutasi.errors import InvalidInput, NotFound
from mutasi.log.projections import ReadModels
from mutasi.log.store import Actor, NewEvent, append, read_stream


@dataclass(frozen=True)
class Wishes:
    units: list[str] = field(default_factory=list)
    positions: list[str] = field(default_factory=list)
    cities: list[str] = field(default_factory=list)
    reason: str = ""
    heard_at: str | None = None


async def _check_places(conn: asyncpg.Connection, tenant: str, wishes: Wishes) -> None:
    units = {r["code"] for r in await conn.fetch(
        "SELECT code FROM units WHERE tenant = $1 AND code = ANY($2::text[])", tenant,
        wishes.units)}  # fmt: skip
    posts = {r["code"] for r in await conn.fetch(
        "SELECT code FROM positions WHERE tenant = $1 AND code = ANY($2::text[])", tenant,
        wishes.positions)}  # fmt: skip
    unknown = [u for u in wishes.units if u not in units]
    unknown += [p for p in wishes.positions if p not in posts]
    if unknown:
        raise InvalidInput(
            f"Unit kerja atau jabatan tidak dikenal: {', '.join(unknown)}",
            f"Unknown units or positions: {', '.join(unknown)}",
            field="units" if unknown[0] in wishes.units else "positions",
        )


async def record(pool: asyncpg.Pool, tenant: str, actor: Actor, nip: str, wishes: Wishes) -> bool:
    """Record the wishes; False when they equal the current ones (nothing recorded)."""
    async with pool.acquire() as conn, conn.transaction():
        if not await conn.fetchval(
            "SELECT EXISTS (SELECT 1 FROM employees WHERE tenant = $1 AND nip = $2)", tenant, nip
        ):
            raise NotFound("Pegawai tidak ditemukan", "Employee not found")
        await _check_places(conn, tenant, wishes)
        now = {"units": wishes.units, "positions": wishes.positions, "cities": wishes.cities}
        last = await _latest(conn, tenant, nip)
        if last and all(last.get(k) == v for k, v in (now | {"reason": wishes.reason}).items()):
            return False  # the same wishes again (a retried request): nothing new
        payload = {"nip": nip, **now, "reason": wishes.reason, "heard_at": wishes.heard_at}
        event = NewEvent(f"employee/{nip}", AspirationEvent.RECORDED.value, payload, actor,
                         event_id=uuid4())  # fmt: skip
        await append(conn, tenant, [event], projector=ReadModels())
        return True


async def _latest(conn: asyncpg.Connection, tenant: str, nip: str) -> dict[str, Any] | None:
    row = await conn.fetchrow(
        "SELECT payload FROM event_log WHERE tenant = $1 AND stream = $2 AND event_type = $3"
        " ORDER BY version DESC LIMIT 1",
        tenant,
        f"employee/{nip}",
        AspirationEvent.RECORDED.value,
    )
    return dict(row["payload"]) if row else None


async def history(pool: asyncpg.Pool, tenant: str, nip: str) -> list[dict[str, Any]]:
    """Every recorded version of the employee's wishes, the latest first."""
    events = await read_stream(pool, tenant, f"employee/{nip}")
    found = [
        {**e.payload, "recorded_at": e.occurred_at, "recorded_by": e.actor_id}
        for e in events
        if e.event_type == AspirationEvent.RECORDED
    ]
    return found[::-1]


async def listing(
    pool: asyncpg.Pool, tenant: str, unit: str | None, limit: int, offset: int
) -> list[dict[str, Any]]:
    """Employees with wishes recorded, optionally only those wishing for `unit`."""
    rows = await pool.fetch(
        "SELECT nip, name, unit_code, position_code, data->'aspirations' AS wishes"
        " FROM employees WHERE tenant = $1 AND (data->'aspirations'->'units' <> '[]'"
        " OR data->'aspirations'->'positions' <> '[]' OR data->'aspirations'->'cities' <> '[]')"
        " AND ($2::text IS NULL OR data->'aspirations'->'units' ? $2)"
        " ORDER BY nip LIMIT $3 OFFSET $4",
        tenant,
        unit,
        limit,
        offset,
    )
    return [dict(r) for r in rows]
