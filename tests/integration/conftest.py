"""Fixtures of the integration tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from uuid import uuid4

import asyncpg
import pytest_asyncio

from mutasi.db import migrate
from mutasi.oidc_local.directory import directory_path
from mutasi.settings import Settings


@pytest_asyncio.fixture
async def own_database(settings: Settings, tmp_path: Path) -> AsyncIterator[Settings]:
    """A database of its own on the session's server: a rebuild empties the read models and
    replays the whole log, and the shared one holds other tests' deliberately odd entries
    (the audit tests tamper with it) and other tests' read models.

    And a data directory of its own: seeding writes the local sign-in page's people there,
    and a seed of another size named people the session's database does not hold (the
    browser tests, later, could not find Kota Palembang's panel member by NIP)."""
    own = settings.model_copy(
        update={"db_name": f"rebuild_{uuid4().hex[:8]}", "var_dir": tmp_path / "var"}
    )
    people = _people(settings)
    await migrate(own)
    yield own
    assert _people(settings) == people, "the session's sign-in people changed"
    conn = await asyncpg.connect(settings.dsn(admin=True, database="postgres"))
    try:
        await conn.execute(f'DROP DATABASE "{own.db_name}" WITH (FORCE)')
    finally:
        await conn.close()


def _people(settings: Settings) -> bytes | None:
    path = directory_path(settings)
    return path.read_bytes() if path.exists() else None
