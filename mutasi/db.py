"""asyncpg pools and the migration runner (numbered .sql files under deploy/migrations)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import asyncpg
import orjson

from mutasi.logging import get_logger
from mutasi.settings import Settings

# A PostgreSQL restart, seen from a client: refused or dropped connections, "starting up",
# and a pooled connection left mid-operation. Long-running loops retry these, never die.
CONNECTION_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.InterfaceError,
    asyncpg.InternalClientError,
)
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "deploy" / "migrations"
log = get_logger(__name__)


# A run of 19 digits may be an integer beyond 64 bits, which orjson reads as a float.
_LONG_NUMBER = re.compile(r"\d{19}")


def _decoded(text: str) -> object:
    """orjson where it reads exactly what the standard library would (several times faster:
    a vacancy list decodes every post's requirements); the standard library for text with a
    very long number (an 18-digit NIP is not one) or that orjson refuses."""
    if _LONG_NUMBER.search(text) is None:
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            pass
    return json.loads(text)


async def _init_connection(conn: asyncpg.Connection) -> None:
    # jsonb comes back as text; decoding it once here keeps SQL adapters free of json calls.
    await conn.set_type_codec("jsonb", encoder=json.dumps, decoder=_decoded, schema="pg_catalog")
    await conn.set_type_codec("json", encoder=json.dumps, decoder=_decoded, schema="pg_catalog")


async def _returned(conn: asyncpg.Connection) -> None:
    """What a connection needs on its way back to the pool: nothing more than asyncpg does
    itself (roll back an open transaction, drop listener callbacks). Our code keeps no session
    state on pooled connections - SET LOCAL only, transaction-level advisory locks, LISTENs
    undone by their owners (mutasi.wakeup) - so the default reset (RESET ALL, UNLISTEN *,
    CLOSE ALL, unlock all: a round trip and a statement for PostgreSQL on every release, a
    third of a simple read's database time) is skipped."""


async def create_pool(
    settings: Settings, *, admin: bool = False, max_size: int | None = None
) -> asyncpg.Pool:
    pool = await asyncpg.create_pool(
        settings.dsn(admin=admin),
        min_size=settings.db_pool_min,
        max_size=max_size or settings.db_pool_max,
        init=_init_connection,
        reset=_returned,
    )
    assert pool is not None
    return pool


async def ensure_database(settings: Settings) -> None:
    conn = await asyncpg.connect(settings.dsn(admin=True, database="postgres"))
    try:
        exists = await conn.fetchval(
            "SELECT 1 FROM pg_database WHERE datname = $1", settings.db_name
        )
        if not exists:
            await conn.execute(f'CREATE DATABASE "{settings.db_name}"')
    finally:
        await conn.close()


async def _ensure_app_role(conn: asyncpg.Connection, settings: Settings) -> None:
    exists = await conn.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", settings.db_app_user)
    verb = "ALTER" if exists else "CREATE"
    statement = await conn.fetchval(
        f"SELECT format('{verb} ROLE %I LOGIN PASSWORD %L', $1::text, $2::text)",
        settings.db_app_user,
        settings.db_app_password,
    )
    await conn.execute(statement)
    await conn.execute(f'GRANT mutasi_writer TO "{settings.db_app_user}"')


async def migrate(settings: Settings) -> list[str]:
    """Apply pending migrations in order, each in its own transaction; return their names."""
    await ensure_database(settings)
    conn = await asyncpg.connect(settings.dsn(admin=True))
    applied: list[str] = []
    try:
        await conn.execute("SELECT pg_advisory_lock(727274)")  # one migrator at a time
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        done = {r["name"] for r in await conn.fetch("SELECT name FROM schema_migrations")}
        for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
            if path.name in done:
                continue
            async with conn.transaction():
                await conn.execute(path.read_text())
                await conn.execute("INSERT INTO schema_migrations (name) VALUES ($1)", path.name)
            applied.append(path.name)
            log.info("migration_applied", name=path.name)
        await _ensure_app_role(conn, settings)
    finally:
        await conn.close()
    return applied
