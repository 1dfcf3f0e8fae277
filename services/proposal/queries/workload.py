"""Workload (ABK) sums per unit and post, and who has been in one post for long."""

from __future__ import annotations

from datetime import date
from typing import TypeAlias

import asyncpg

Db: TypeAlias = asyncpg.Pool | asyncpg.Connection


async def units(db: Db, tenant: str, unit: str | None) -> list[asyncpg.Record]:
    """Per unit: needed, filled, shortage, surplus and vacant posts (all units, or one)."""
    return await db.fetch(
        "SELECT u.code, u.name, coalesce(sum(f.needed), 0)::int AS needed,"
        " coalesce(sum(f.filled), 0)::int AS filled,"
        " coalesce(sum(greatest(f.needed - f.filled, 0)), 0)::int AS shortage,"
        " coalesce(sum(greatest(f.filled - f.needed, 0)), 0)::int AS surplus,"
        " count(f.position_code) FILTER (WHERE f.filled < f.needed)::int AS vacant"
        " FROM units u LEFT JOIN position_filled f ON f.tenant = u.tenant AND f.unit_code = u.code"
        " WHERE u.tenant = $1 AND ($2::text IS NULL OR u.code = $2)"
        " GROUP BY u.code, u.name ORDER BY u.code",
        tenant,
        unit,
    )


async def posts(db: Db, tenant: str, unit: str) -> list[asyncpg.Record]:
    return await db.fetch(
        "SELECT p.code, p.name, p.kind, f.needed, f.filled FROM positions p"
        " JOIN position_filled f ON f.tenant = p.tenant AND f.position_code = p.code"
        " WHERE p.tenant = $1 AND p.unit_code = $2 ORDER BY p.code",
        tenant,
        unit,
    )


async def in_post_since_before(
    db: Db, tenant: str, unit: str | None, years: int, today: date
) -> list[asyncpg.Record]:
    """Employees in their post at least `years` years by `today` (R3 decides the rest)."""
    return await db.fetch(
        "SELECT nip, name, unit_code, position_code, position_since FROM employees"
        " WHERE tenant = $1 AND ($2::text IS NULL OR unit_code = $2)"
        " AND position_since <= ($3::date - make_interval(years => $4))"
        " ORDER BY position_since, nip",
        tenant,
        unit,
        today,
        years,
    )
