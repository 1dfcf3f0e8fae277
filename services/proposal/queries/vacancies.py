"""Vacant posts with their requirements and how many open proposals already name them."""

from __future__ import annotations

from typing import TypeAlias

import asyncpg

from mutasi.domain.lifecycle import FINISHED

Db: TypeAlias = asyncpg.Pool | asyncpg.Connection


async def vacant_posts(db: Db, tenant: str, unit: str | None) -> list[asyncpg.Record]:
    # Counted per post by scalar subqueries rather than joined to the position_filled view:
    # the same rows, but the view's grouped join took PostgreSQL up to 20 ms to plan for a
    # 1 ms query, on every call (a custom plan per parameter set).
    return await db.fetch(
        "SELECT * FROM (SELECT p.code, p.name, p.unit_code,"
        " (SELECT u.name FROM units u WHERE u.tenant = p.tenant AND u.code = p.unit_code)"
        "   AS unit_name, p.kind, p.class, p.required_education_level,"
        " p.required_education_fields, p.required_competencies, p.needed,"
        " (SELECT count(*)::int FROM employees e WHERE e.tenant = p.tenant"
        "   AND e.position_code = p.code) AS filled,"
        " (SELECT count(*) FROM transfers t WHERE t.target_tenant = p.tenant"
        "   AND t.target_position_code = p.code AND t.status <> ALL($3::text[]))"
        "   AS open_proposals"
        " FROM positions p WHERE p.tenant = $1 AND ($2::text IS NULL OR p.unit_code = $2)) v"
        " WHERE v.filled < v.needed AND v.unit_name IS NOT NULL ORDER BY v.code",
        tenant,
        unit,
        [s.value for s in FINISHED],
    )
