"""Transfers as a caller may list them (visibility from mutasi.transfers)."""

from __future__ import annotations

from typing import TypeAlias

import asyncpg

from mutasi.auth.principal import Principal
from mutasi.transfers import TRANSFER_COLUMNS, visibility_filter

Db: TypeAlias = asyncpg.Pool | asyncpg.Connection


async def page(
    db: Db, principal: Principal, status: str | None, limit: int, offset: int
) -> list[asyncpg.Record]:
    """Newest first; `limit` rows at most (ask one more to know whether a next page exists)."""
    cond, params = visibility_filter(principal, 1)
    if status:
        params.append(status)
        cond += f" AND status = ${len(params)}"
    params += [limit, offset]
    return await db.fetch(
        f"SELECT {TRANSFER_COLUMNS} FROM transfers WHERE {cond} ORDER BY created_at DESC, id"
        f" LIMIT ${len(params) - 1} OFFSET ${len(params)}",
        *params,
    )
