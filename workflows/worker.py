"""The Temporal worker: runs transfer, meeting and plan workflows and their activities."""

from __future__ import annotations

import asyncio

import asyncpg
from temporalio.client import Client
from temporalio.worker import Worker

from mutasi.auth import caller_proof
from mutasi.auth.transport import temporal_options
from mutasi.db import create_pool
from mutasi.logging import get_logger
from mutasi.settings import Settings
from mutasi.telemetry.temporal import temporal_client_options
from workflows.common.records import LogActivities
from workflows.meeting.activities import MeetingActivities
from workflows.meeting.workflow import MeetingWorkflow
from workflows.plan.activities import PlanActivities
from workflows.plan.workflow import PlanWorkflow
from workflows.transfer.activities import TransferActivities
from workflows.transfer.workflow import TransferWorkflow

log = get_logger(__name__)
WORKFLOWS = [TransferWorkflow, MeetingWorkflow, PlanWorkflow]


async def connect_client(settings: Settings) -> Client:
    for attempt in range(60):
        try:
            return await Client.connect(
                settings.temporal_address,
                namespace=settings.temporal_namespace,
                **temporal_client_options(),
                **temporal_options(settings),
            )
        except RuntimeError:
            if attempt == 59:
                raise
            await asyncio.sleep(0.5)
    raise AssertionError("unreachable")


def build_worker(
    client: Client, task_queue: str, pool: asyncpg.Pool, cached_workflows: int
) -> Worker:
    """Every workflow (transfer, meeting, plan) and activity on one task queue."""
    transfers = TransferActivities(pool)
    meetings = MeetingActivities(pool, client)
    plans = PlanActivities(pool, client)
    return Worker(
        client,
        task_queue=task_queue,
        workflows=WORKFLOWS,
        activities=[
            LogActivities(pool).record_event,
            *transfers.all(),
            *meetings.all(),
            *plans.all(),
        ],
        max_concurrent_activities=50,
        max_cached_workflows=cached_workflows,
    )


async def run_worker(settings: Settings, stop: asyncio.Event) -> None:
    caller_proof.install(caller_proof.secret(settings))  # validators check callers' seals
    pool = await create_pool(settings, max_size=20)
    client = await connect_client(settings)
    worker = build_worker(client, settings.task_queue, pool, settings.worker_cached_workflows)
    log.info("worker_started", task_queue=settings.task_queue)
    async with worker:
        await stop.wait()
    await pool.close()
