"""The access tests share one small world of real resources, made once per session."""

from __future__ import annotations

import pytest_asyncio

from tests.security.world import World, build_world


@pytest_asyncio.fixture(scope="session")
async def world(stack, settings, pool) -> World:  # noqa: ANN001 - session fixtures
    return await build_world(settings, pool)
