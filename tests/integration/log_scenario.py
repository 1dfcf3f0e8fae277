"""Scenario helpers for the log's tests: fresh tenants, appends, and a superuser who tampers."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import asyncpg

from mutasi.log.store import Actor, NewEvent, StoredEvent, append

OFFICER = Actor("hr-1", "hr_officer")


def new_tenant(prefix: str = "audit") -> str:
    """A tenant slug no other test uses: event_log has no foreign key to tenants."""
    return f"{prefix}-{uuid4().hex[:10]}"


def transfer_stream() -> str:
    return f"transfer/{uuid4()}"


def event(stream: str, n: int, event_type: str = "transfer.checked", reason: str | None = None,
          payload: dict[str, Any] | None = None) -> NewEvent:
    body = payload if payload is not None else {
        "n": n, "unit": "Dinas Kesehatan", "catatan": "Berkas lengkap"}
    return NewEvent(stream, event_type, body, OFFICER, reason=reason)


async def append_events(pool: asyncpg.Pool, tenant: str, events: list[NewEvent]
                        ) -> list[StoredEvent]:
    async with pool.acquire() as conn, conn.transaction():
        return await append(conn, tenant, events)


async def chain_of(pool: asyncpg.Pool, tenant: str, streams: int = 3, per_stream: int = 4
                   ) -> list[StoredEvent]:
    """A small chain: several transfers' events interleaved, appended one batch per round."""
    names = [transfer_stream() for _ in range(streams)]
    stored: list[StoredEvent] = []
    for round_ in range(per_stream):
        reason = "Sesuai hasil rapat" if round_ % 2 else None
        stored += await append_events(
            pool, tenant, [event(s, round_, reason=reason) for s in names])
    return stored


async def as_superuser(admin_pool: asyncpg.Pool, *statements: tuple[str, list[Any]]) -> None:
    """Run statements with the log's triggers off, as a database administrator could."""
    async with admin_pool.acquire() as conn, conn.transaction():
        await conn.execute("SET LOCAL session_replication_role = replica")
        for sql, args in statements:
            await conn.execute(sql, *args)
