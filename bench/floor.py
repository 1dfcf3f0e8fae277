"""The floor of the lifecycle benchmarks: a bare Temporal workflow that runs a given number of
no-op activities and accepts a given number of Updates, and nothing else.

Its worker runs in its own process (`python -m bench.floor`), configured like ours
(workflows/worker.py), on its own task queue of the same Temporal server.
"""

from __future__ import annotations

import asyncio
import signal
from dataclasses import dataclass
from datetime import timedelta

from temporalio import activity, workflow
from temporalio.client import Client
from temporalio.worker import Worker

from mutasi.settings import get_settings

TASK_QUEUE = "bench-floor"
WORKFLOW = "BareWorkflow"
TIMEOUT = timedelta(seconds=30)


@dataclass
class BareInput:
    activities_before: int  # before the first Update
    activities_per_update: int  # run by each Update's handler, as ours record an event
    activities_after: int  # after the last Update
    updates: int


@activity.defn(name="noop")
async def noop(step: int) -> int:
    return step


@workflow.defn(name=WORKFLOW)
class BareWorkflow:
    def __init__(self) -> None:
        self.updates_done = 0
        self.step = 0
        self.per_update = 0

    async def _activities(self, count: int) -> None:
        for _ in range(count):
            self.step += 1
            await workflow.execute_activity(noop, self.step, start_to_close_timeout=TIMEOUT)

    @workflow.run
    async def run(self, data: BareInput) -> int:
        self.per_update = data.activities_per_update
        await self._activities(data.activities_before)
        await workflow.wait_condition(lambda: self.updates_done >= data.updates)
        await self._activities(data.activities_after)
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self.step

    @workflow.query
    def in_flight(self) -> int:
        return self.step

    @workflow.update
    async def step_taken(self, note: str) -> int:
        await self._activities(self.per_update)
        self.updates_done += 1
        return self.updates_done


async def _serve() -> None:
    settings = get_settings()
    client = await Client.connect(settings.temporal_address,
                                  namespace=settings.temporal_namespace)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    # As in workflows/worker.py: the same activity concurrency, SDK defaults otherwise.
    async with Worker(client, task_queue=TASK_QUEUE, workflows=[BareWorkflow],
                      activities=[noop], max_concurrent_activities=50):
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(_serve())
