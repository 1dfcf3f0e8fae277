"""The approval service's SQL behind its routes: decree documents and the list of meetings.

Shared look-ups (whether a meeting is the caller's government's, a government's name) are in
mutasi.lookups; the audit read model in mutasi.audit.queries.
"""

from __future__ import annotations

from datetime import date
from typing import TypeAlias
from uuid import UUID

import asyncpg

Db: TypeAlias = asyncpg.Pool | asyncpg.Connection


async def decree_document(db: Db, transfer_id: UUID) -> asyncpg.Record | None:
    """number, document_sha256 and the PDF itself, as issued."""
    return await db.fetchrow(
        "SELECT number, document_sha256, document FROM decrees WHERE transfer_id = $1",
        transfer_id,
    )


async def meetings(db: Db, tenant: str, limit: int, offset: int) -> list[asyncpg.Record]:
    """Meetings newest first: each one's scheduling payload and whether it has closed."""
    return await db.fetch(
        "SELECT s.stream, s.payload, c.sequence IS NOT NULL AS closed"
        " FROM event_log s LEFT JOIN event_log c ON c.stream = s.stream"
        " AND c.event_type = 'meeting.closed'"
        " WHERE s.tenant = $1 AND s.event_type = 'meeting.scheduled'"
        " ORDER BY s.sequence DESC LIMIT $2 OFFSET $3",
        tenant,
        limit,
        offset,
    )


async def checkpoint_cover(db: asyncpg.Pool | asyncpg.Connection, tenant: str) -> int | None:
    """The last log sequence a signed checkpoint of this government covers."""
    covered = await db.fetchval("SELECT max(sequence) FROM checkpoints WHERE tenant = $1", tenant)
    return int(covered) if covered is not None else None


async def meeting_date(db: Db, meeting_id: UUID) -> date | None:
    """The date a meeting was scheduled on, as its first entry recorded it."""
    held_on = await db.fetchval(
        "SELECT payload->>'scheduled_on' FROM event_log WHERE stream = $1 AND version = 1",
        f"meeting/{meeting_id}",
    )
    return date.fromisoformat(held_on) if held_on else None
