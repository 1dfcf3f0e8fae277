"""The Merkle tree head of a tenant's chain at a checkpoint, kept up incrementally.

The checkpointer calls `advance` under the chain head's lock: it reads only the entries
since the last tree head (the stored frontier), folds them in and returns the new root, so a
checkpoint's cost stays O(new entries) however long the log (mutasi.log.merkle).
"""

from __future__ import annotations

import asyncpg

from mutasi.log.merkle import Frontier


async def advance(conn: asyncpg.Connection, tenant: str, head_sequence: int) -> Frontier:
    """The tenant's tree over every entry up to `head_sequence`, stored for the next time."""
    row = await conn.fetchrow(
        "SELECT size, sequence, nodes FROM merkle_frontiers WHERE tenant = $1 FOR UPDATE", tenant
    )
    frontier, since = Frontier(), 0
    if row is not None and row["sequence"] <= head_sequence:
        frontier, since = Frontier.from_json(row["size"], row["nodes"]), row["sequence"]
    hashes = await conn.fetch(
        "SELECT hash FROM event_log WHERE tenant = $1 AND sequence > $2 AND sequence <= $3"
        " ORDER BY sequence",
        tenant,
        since,
        head_sequence,
    )
    frontier.extend(r["hash"] for r in hashes)
    await conn.execute(
        "INSERT INTO merkle_frontiers (tenant, size, sequence, nodes) VALUES ($1, $2, $3, $4)"
        " ON CONFLICT (tenant) DO UPDATE SET size = excluded.size, sequence = excluded.sequence,"
        " nodes = excluded.nodes",
        tenant,
        frontier.size,
        head_sequence,
        frontier.as_json(),  # the pool's jsonb codec encodes it (mutasi.db)
    )
    return frontier
