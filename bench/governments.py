"""More governments for the scale benchmark: copies of a seeded one, made in SQL in seconds.

A copy has the source's configuration, units, posts, employees and position history under a
new slug (the employees keep their NIPs: every look-up the lifecycle makes is per government).
It is master data only, as a database administrator would load it; nothing is logged for it.
"""

from __future__ import annotations

import asyncpg

# Tables copied, parents first; each has a `tenant` column (`slug` for tenants).
_TABLES = ("tenants", "units", "positions", "employees", "position_holdings")


async def _columns(conn: asyncpg.Connection, table: str) -> list[str]:
    rows = await conn.fetch(
        "SELECT column_name FROM information_schema.columns WHERE table_name = $1"
        " AND table_schema = 'public' AND is_generated = 'NEVER' ORDER BY ordinal_position",
        table,
    )
    return [r["column_name"] for r in rows]


def _copied(table: str, column: str, key: str) -> str:
    if column == key:
        return "s.slug"
    if (table, column) == ("tenants", "name"):  # names are unique too
        return "t.name || ' ' || s.slug"
    return f"t.{column}"


async def copy_governments(
    conn: asyncpg.Connection, source: str, count: int, prefix: str = "skala"
) -> list[str]:
    """`count` copies of government `source` as `<prefix>-01`…; return their slugs."""
    slugs = [f"{prefix}-{k:02d}" for k in range(1, count + 1)]
    async with conn.transaction():
        for table in _TABLES:
            key = "slug" if table == "tenants" else "tenant"
            columns = await _columns(conn, table)
            chosen = [_copied(table, column, key) for column in columns]
            await conn.execute(
                f"INSERT INTO {table} ({', '.join(columns)})"
                f" SELECT {', '.join(chosen)} FROM {table} t"
                " CROSS JOIN unnest($2::text[]) AS s(slug)"
                f" WHERE t.{key} = $1 ON CONFLICT DO NOTHING",
                source,
                slugs,
            )
    return slugs
