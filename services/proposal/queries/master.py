"""Master data as BKPSDM reads it: units, posts with needs and headcount, employees."""

from __future__ import annotations

from typing import TypeAlias

import asyncpg

Db: TypeAlias = asyncpg.Pool | asyncpg.Connection


async def units(db: Db, tenant: str, limit: int, offset: int) -> list[asyncpg.Record]:
    return await db.fetch(
        "SELECT code, name, parent_code, head_position_code FROM units WHERE tenant = $1"
        " ORDER BY code LIMIT $2 OFFSET $3",
        tenant,
        limit,
        offset,
    )


async def posts(
    db: Db, tenant: str, unit: str | None, vacant: bool, limit: int, offset: int
) -> list[asyncpg.Record]:
    return await db.fetch(
        "SELECT p.code, p.name, p.unit_code, p.kind, f.needed, f.filled FROM positions p"
        " JOIN position_filled f ON f.tenant = p.tenant AND f.position_code = p.code"
        " WHERE p.tenant = $1 AND ($2::text IS NULL OR p.unit_code = $2)"
        " AND (NOT $3 OR f.filled < f.needed) ORDER BY p.code LIMIT $4 OFFSET $5",
        tenant,
        unit,
        vacant,
        limit,
        offset,
    )


async def employees(
    db: Db, tenant: str, unit: str | None, limit: int, offset: int, q: str | None = None
) -> list[asyncpg.Record]:
    """A name matches anywhere, case-insensitively; digits match the start of the NIP."""
    pattern = (
        None if q is None else "%" + q.replace("\\", "").replace("%", "").replace("_", "") + "%"
    )
    return await db.fetch(
        "SELECT nip, name, unit_code, position_code, position_since FROM employees"
        " WHERE tenant = $1 AND ($2::text IS NULL OR unit_code = $2)"
        " AND ($5::text IS NULL OR name ILIKE $5 OR nip LIKE ltrim($5, '%'))"
        " ORDER BY nip LIMIT $3 OFFSET $4",
        tenant,
        unit,
        limit,
        offset,
        pattern,
    )


async def employee(db: Db, tenant: str, nip: str) -> asyncpg.Record | None:
    """The employee's record, with the names of their post and unit."""
    return await db.fetchrow(
        "SELECT e.tenant, e.nip, e.name, e.position_code, e.unit_code, e.position_since,"
        " e.data, p.name AS position_name, u.name AS unit_name FROM employees e"
        " LEFT JOIN positions p ON p.tenant = e.tenant AND p.code = e.position_code"
        " LEFT JOIN units u ON u.tenant = e.tenant AND u.code = e.unit_code"
        " WHERE e.tenant = $1 AND e.nip = $2",
        tenant,
        nip,
    )
