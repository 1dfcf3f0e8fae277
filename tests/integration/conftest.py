"""Fixtures of the integration tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from uuid import uuid4

import asyncpg
import pytest_asyncio

from mutasi.db import migrate
from mutasi.settings import Settings


@pytest_asyncio.fixture
async def own_database(settings: Settings) -> AsyncIterator[Settings]:
    """A database of its own on the session's server: a rebuild empties the read models and
    replays the whole log, and the shared one holds other tests' deliberately odd entries
    (the audit tests tamper with it) and other tests' read models."""
    own = settings.model_copy(update={"db_name": f"rebuild_{uuid4().hex[:8]}"})
    await migrate(own)
    yield own
    conn = await asyncpg.connect(settings.dsn(admin=True, database="postgres"))
    try:
        await conn.execute(f'DROP DATABASE "{own.db_name}" WITH (FORCE)')
    finally:
        await conn.close()
