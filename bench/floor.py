"""The floor of the lifecycle benchmarks: a bare Temporal workflow that runs a given number of
no-op activities (regular and local) and accepts a given number of Updates, nothing else;
and the no-op workflow the API benchmark's submit floor starts.

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
from temporalio.common import SearchAttributeKey
from temporalio.worker import Worker

TASK_QUEUE = "bench-floor"
WORKFLOW = "BareWorkflow"
NOOP_WORKFLOW = "NoopWorkflow"  # what the submit floor starts (bench/floor_app.py)
TIMEOUT = timedelta(seconds=30)
DEADLINE = timedelta(days=5)  # never reached: each Update comes first and cancels the timer
WAITING = SearchAttributeKey.for_keyword("MutasiStatus")


@dataclass
class BareInput:
    updates: int
    activities_before: int = 0  # regular activities before the first Update
    activities_after: int = 0  # and after the last one
    local_before: int = 0  # local activities, likewise (ours record events with them)
    local_after: int = 0
    local_per_update: int = 1  # run by each Update's handler, as ours record the step
    # Say "waiting" (search attribute MutasiStatus) once at the first Update, so a benchmark
    # can count the workflows sitting in the worker; the lifecycle floor leaves it off.
    announce_waiting: bool = False
    # Ours' bookkeeping beyond that shape, for the lifecycle bench's context figure: a
    # deadline timer started before each Update and cancelled by it (ours remind a person the
    # day before a step's deadline), and a MutasiStatus upsert by each Update's handler.
    deadlines: bool = False

    @property
    def activities(self) -> int:
        return self.activities_before + self.activities_after

    @property
    def local_activities(self) -> int:
        return self.local_before + self.local_after + self.updates * self.local_per_update


@activity.defn(name="noop")
async def noop(step: int) -> int:
    return step


@workflow.defn(name=WORKFLOW)
class BareWorkflow:
    def __init__(self) -> None:
        self.updates_done = 0
        self.step = 0
        self.per_update = 0
        self.deadlines = False

    async def _activities(self, regular: int, local: int) -> None:
        for _ in range(regular):
            self.step += 1
            await workflow.execute_activity(noop, self.step, start_to_close_timeout=TIMEOUT)
        for _ in range(local):
            self.step += 1
            await workflow.execute_local_activity(noop, self.step, start_to_close_timeout=TIMEOUT)

    @workflow.run
    async def run(self, data: BareInput) -> int:
        self.per_update = data.local_per_update
        await self._activities(data.activities_before, data.local_before)
        if data.announce_waiting:
            workflow.upsert_search_attributes([WAITING.value_set("waiting")])
        self.deadlines = data.deadlines
        for k in range(data.updates if data.deadlines else 0):
            try:
                await workflow.wait_condition(lambda k=k: self.updates_done > k, timeout=DEADLINE)
            except TimeoutError:
                pass
        await workflow.wait_condition(lambda: self.updates_done >= data.updates)
        await self._activities(data.activities_after, data.local_after)
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self.step

    @workflow.query
    def in_flight(self) -> int:
        return self.step

    @workflow.update
    async def step_taken(self, note: str) -> int:
        await self._activities(0, self.per_update)
        self.updates_done += 1
        if self.deadlines:
            workflow.upsert_search_attributes([WAITING.value_set(f"step {self.updates_done}")])
        return self.updates_done


@workflow.defn(name=NOOP_WORKFLOW)
class NoopWorkflow:
    @workflow.run
    async def run(self) -> None:
        return None


async def _serve() -> None:
    # Imported here, not at the top: the workflow sandbox re-imports this module for every
    # workflow, and ours import nothing but passed-through modules either.
    from mutasi.settings import get_settings

    settings = get_settings()
    client = await Client.connect(settings.temporal_address, namespace=settings.temporal_namespace)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    # As in workflows/worker.py: the same activity concurrency, SDK defaults otherwise.
    async with Worker(
        client,
        task_queue=TASK_QUEUE,
        workflows=[BareWorkflow, NoopWorkflow],
        activities=[noop],
        max_concurrent_activities=50,
        max_cached_workflows=settings.worker_cached_workflows,
    ):
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(_serve())
