"""Full lifecycles per second vs bare Temporal doing the same work (SPEC §9: ≥ 0.7 of it).

Ours: N transfers at once through the public HTTP APIs — proposal, rule check, verification,
a meeting of the Tim Penilai Kinerja (up to 25 transfers each), the PPK's approval, decree,
notification, effective date, completion — on the real services, worker and relay.
Floor: N bare workflows on the same Temporal server, each running as many no-op activities
and accepting as many Updates as one of ours did on average (counted from the histories of
this very run, meeting workflows included), driven straight through the Temporal client.
"""

from __future__ import annotations

import asyncio
import math
import sys
import time
from dataclasses import dataclass
from uuid import uuid4

from temporalio.api.enums.v1 import EventType
from temporalio.client import Client

from bench import floor
from bench.cases import movable_cases
from bench.driver import Api, StatusBoard
from bench.harness import Figure, report, shared_stack
from bench.lifecycles import Lifecycles
from mutasi.db import create_pool
from mutasi.embedded.process import ManagedProcess
from mutasi.embedded.stack import settings_env
from mutasi.lifecycle import meeting_workflow_id, transfer_workflow_id
from mutasi.settings import Settings

TRANSFERS = 150
WARM_UP = 10
MEETING_SIZE = 25
TARGET_RATIO = 0.7
_SCHEDULED = EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
_ACCEPTED = EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED


@dataclass
class Run:
    transfers: int
    seconds: float
    workflow_ids: list[str]

    @property
    def per_second(self) -> float:
        return self.transfers / self.seconds


async def _ours(settings: Settings, count: int) -> Run:
    pool = await create_pool(settings, max_size=2)
    cases = await movable_cases(pool, count)
    await pool.close()
    api = Api(settings)
    try:
        async with StatusBoard(settings) as board:
            lifecycles = Lifecycles(api, board, meeting_size=MEETING_SIZE)
            begun = time.perf_counter()
            ids = await asyncio.gather(*(lifecycles.complete(c) for c in cases))
            seconds = time.perf_counter() - begun
    finally:
        await api.close()
    workflow_ids = [transfer_workflow_id(t) for t in ids]
    workflow_ids += [meeting_workflow_id(m) for m in lifecycles.meetings.meeting_ids]
    return Run(count, seconds, workflow_ids)


async def _shape(settings: Settings, run: Run) -> floor.BareInput:
    """What one of our lifecycles cost Temporal on average: activities and Updates."""
    client = await Client.connect(settings.temporal_address)
    activities = updates = 0
    for workflow_id in run.workflow_ids:
        history = await client.get_workflow_handle(workflow_id).fetch_history()
        activities += sum(1 for e in history.events if e.event_type == _SCHEDULED)
        updates += sum(1 for e in history.events if e.event_type == _ACCEPTED)
    per_update = 1
    n_updates = math.ceil(updates / run.transfers)
    rest = max(0, math.ceil(activities / run.transfers) - n_updates * per_update)
    return floor.BareInput(rest // 2, per_update, rest - rest // 2, n_updates)


async def _bare(settings: Settings, count: int, shape: floor.BareInput) -> Run:
    client = await Client.connect(settings.temporal_address)

    async def one() -> None:
        handle = await client.start_workflow(floor.WORKFLOW, shape, id=f"bare-{uuid4()}",
                                             task_queue=floor.TASK_QUEUE)
        for k in range(shape.updates):
            await handle.execute_update("step_taken", f"step {k}", result_type=int)
        await handle.result()

    begun = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(count)))
    return Run(count, time.perf_counter() - begun, [])


def floor_worker(settings: Settings) -> ManagedProcess:
    return ManagedProcess("floor-worker", [sys.executable, "-m", "bench.floor"],
                          settings.var_dir / "logs" / "floor-worker.log", lambda: True,
                          env=settings_env(settings)).start()


def run() -> list[Figure]:
    bench = shared_stack()
    bench.ensure_relay()
    bench.ensure("worker", "proposal", "approval", "notification")
    settings = bench.settings
    asyncio.run(_ours(settings, WARM_UP))
    ours = asyncio.run(_ours(settings, TRANSFERS))
    shape = asyncio.run(_shape(settings, ours))
    worker = floor_worker(settings)
    try:
        asyncio.run(_bare(settings, WARM_UP, shape))
        bare = asyncio.run(_bare(settings, TRANSFERS, shape))
    finally:
        worker.stop()
    ratio = ours.per_second / bare.per_second
    return [report(Figure(
        f"full lifecycles, {TRANSFERS} at once", ours.per_second, "transfers/s",
        bare.per_second,
        f"bare workflow: {shape.updates} Updates,"
        f" {shape.activities_before + shape.activities_after + shape.updates} no-op activities",
        f"≥ {TARGET_RATIO} of the floor", ratio >= TARGET_RATIO, higher_is_better=True,
        details={"ours_s": ours.seconds, "floor_s": bare.seconds,
                 "shape": shape.__dict__, "meetings": len(ours.workflow_ids) - TRANSFERS},
    ))]
