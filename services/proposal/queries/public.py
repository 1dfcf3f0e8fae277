"""What a government publishes without sign-in (only where its public page is on)."""

from __future__ import annotations

import asyncpg

Db = asyncpg.Pool | asyncpg.Connection


async def governments(db: Db) -> list[asyncpg.Record]:
    return await db.fetch(
        "SELECT slug, name, province FROM tenants WHERE public_page ORDER BY name"
    )


async def government(db: Db, slug: str) -> asyncpg.Record | None:
    return await db.fetchrow(
        "SELECT slug, name, province FROM tenants WHERE slug = $1 AND public_page",
        slug,
    )


async def vacancies(db: Db, slug: str) -> list[asyncpg.Record]:
    return await db.fetch(
        "SELECT p.name AS position_name, u.name AS unit_name, p.kind, f.needed, f.filled"
        " FROM positions p JOIN position_filled f ON f.tenant = p.tenant"
        " AND f.position_code = p.code JOIN units u ON u.tenant = p.tenant"
        " AND u.code = p.unit_code WHERE p.tenant = $1 AND f.filled < f.needed"
        " ORDER BY u.name, p.name LIMIT 500",
        slug,
    )


async def decisions(db: Db, slug: str) -> list[asyncpg.Record]:
    """Decrees of transfers into or out of this government, newest first."""
    return await db.fetch(
        "SELECT d.number AS decree_number, d.issued_at::date AS issued_on, d.effective_date,"
        " t.employee_name, coalesce(p.name, t.target_position_code) AS position_name,"
        " coalesce(u.name, t.target_unit_code) AS unit_name"
        " FROM decrees d JOIN transfers t ON t.id = d.transfer_id"
        " LEFT JOIN positions p ON p.tenant = t.target_tenant AND p.code = t.target_position_code"
        " LEFT JOIN units u ON u.tenant = t.target_tenant AND u.code = t.target_unit_code"
        " WHERE $1 IN (t.tenant, t.target_tenant) ORDER BY d.issued_at DESC LIMIT 100",
        slug,
    )
