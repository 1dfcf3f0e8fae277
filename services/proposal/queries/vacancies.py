"""Vacant posts with their requirements and how many open proposals already name them."""

from __future__ import annotations

from typing import TypeAlias

import asyncpg

from mutasi.domain.lifecycle import FINISHED

Db: TypeAlias = asyncpg.Pool | asyncpg.Connection


async def vacant_posts(db: Db, tenant: str, unit: str | None) -> list[asyncpg.Record]:
    return await db.fetch(
        "SELECT p.code, p.name, p.unit_code, u.name AS unit_name, p.kind, p.class,"
        " p.required_education_level, p.required_education_fields, p.required_competencies,"
        " f.needed, f.filled, (SELECT count(*) FROM transfers t WHERE t.target_tenant = p.tenant"
        "   AND t.target_position_code = p.code AND t.status <> ALL($3::text[]))"
        "   AS open_proposals"
        " FROM positions p"
        " JOIN position_filled f ON f.tenant = p.tenant AND f.position_code = p.code"
        " JOIN units u ON u.tenant = p.tenant AND u.code = p.unit_code"
        " WHERE p.tenant = $1 AND f.filled < f.needed AND ($2::text IS NULL OR p.unit_code = $2)"
        " ORDER BY p.code",
        tenant,
        unit,
        [s.value for s in FINISHED],
    )
