"""Full lifecycles per second vs bare Temporal doing the same work (SPEC §9: ≥ 0.7 of it).

Ours: transfers at once through the public HTTP APIs — proposal, rule check, verification,
a meeting of the Tim Penilai Kinerja (up to 25 transfers each), the PPK's approval, decree,
notification, effective date, completion — on the real services, worker and relay.
Floor: as many bare workflows on the same Temporal server, each running as many no-op
activities (regular and local) and accepting as many Updates as one of ours did on average
(counted from this run's own histories, meeting workflows included), driven straight
through the Temporal client by a worker configured like ours.

A third, context figure runs the floor again with ours' bookkeeping added: a MutasiStatus
upsert by each Update and a deadline timer before it, which the Update cancels (ours remind a
person the day before a step's deadline): what Temporal's share of the workflow plan in
docs/performance.md would save.

Ours and the floor alternate in rounds, so a neighbour's load falls on both alike; the CPU
seconds each spent (servers, workers, services, this driver) are reported beside the wall
clock, since on a shared machine the wall clock also measures the neighbours.
"""

from __future__ import annotations

import asyncio
import dataclasses
import math
import sys
import time
from dataclasses import dataclass, field
from uuid import uuid4

from temporalio.api.enums.v1 import EventType
from temporalio.client import Client

from bench import floor
from bench.cases import movable_cases
from bench.driver import Api, StatusBoard
from bench.harness import BenchStack, Figure, cpu_seconds, report, shared_stack
from bench.lifecycles import Lifecycles
from mutasi.db import create_pool
from mutasi.embedded.process import ManagedProcess
from mutasi.embedded.stack import settings_env
from mutasi.lifecycle import meeting_workflow_id, transfer_workflow_id
from mutasi.settings import Settings

ROUNDS, PER_ROUND, WARM_UP = 2, 60, 6
MEETING_SIZE = 25
TARGET_RATIO = 0.7
_SCHEDULED = EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
_MARKER = EventType.EVENT_TYPE_MARKER_RECORDED  # a local activity's result
_ACCEPTED = EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED


@dataclass
class Tally:
    transfers: int = 0
    seconds: float = 0.0
    cpu_s: float = 0.0
    workflow_ids: list[str] = field(default_factory=list)

    def add(self, transfers: int, seconds: float, cpu_s: float) -> None:
        self.transfers += transfers
        self.seconds += seconds
        self.cpu_s += cpu_s

    @property
    def per_second(self) -> float:
        return self.transfers / self.seconds


async def _ours(settings: Settings, count: int) -> tuple[float, list[str]]:
    pool = await create_pool(settings, max_size=2)
    cases = await movable_cases(pool, count)
    await pool.close()
    api = Api(settings)
    try:
        async with StatusBoard(settings) as board:
            lifecycles = Lifecycles(api, board, meeting_size=MEETING_SIZE, full_meetings=True)
            begun = time.perf_counter()
            ids = await asyncio.gather(*(lifecycles.complete(c) for c in cases))
            seconds = time.perf_counter() - begun
    finally:
        await api.close()
    return seconds, [transfer_workflow_id(t) for t in ids] + [
        meeting_workflow_id(m) for m in lifecycles.meetings.meeting_ids
    ]


async def _shape(settings: Settings, transfers: int, workflow_ids: list[str]) -> floor.BareInput:
    """What one of our lifecycles cost Temporal on average: activities and Updates."""
    client = await Client.connect(settings.temporal_address)
    regular = local = updates = 0
    for workflow_id in workflow_ids:
        history = await client.get_workflow_handle(workflow_id).fetch_history()
        kinds = [e.event_type for e in history.events]
        regular, local = regular + kinds.count(_SCHEDULED), local + kinds.count(_MARKER)
        updates += kinds.count(_ACCEPTED)
    n_updates = math.ceil(updates / transfers)
    n_local = max(0, math.ceil(local / transfers) - n_updates)  # one per Update's handler
    n_regular = math.ceil(regular / transfers)
    return floor.BareInput(
        n_updates, n_regular // 2, n_regular - n_regular // 2, n_local // 2, n_local - n_local // 2
    )


async def _bare(settings: Settings, count: int, shape: floor.BareInput) -> float:
    client = await Client.connect(settings.temporal_address)

    async def one() -> None:
        handle = await client.start_workflow(
            floor.WORKFLOW, shape, id=f"bare-{uuid4()}", task_queue=floor.TASK_QUEUE
        )
        for k in range(shape.updates):
            await handle.execute_update("step_taken", f"step {k}", result_type=int)
        await handle.result()

    begun = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(count)))
    return time.perf_counter() - begun


def floor_worker(settings: Settings) -> ManagedProcess:
    return ManagedProcess(
        "floor-worker",
        [sys.executable, "-m", "bench.floor"],
        settings.var_dir / "logs" / "floor-worker.log",
        lambda: True,
        env=settings_env(settings),
    ).start()


def _rounds(
    bench: BenchStack, worker: ManagedProcess
) -> tuple[Tally, Tally, Tally, floor.BareInput]:
    settings, stack = bench.settings, bench.stack
    ours_pids = [p.pid for p in [*stack.servers.values(), *stack.components.values()]]
    floor_pids = [stack.servers["temporal"].pid, worker.pid]
    ours, bare, marked, shape = Tally(), Tally(), Tally(), None
    for _ in range(ROUNDS):
        cpu = cpu_seconds(ours_pids)
        seconds, ids = asyncio.run(_ours(settings, PER_ROUND))
        ours.add(PER_ROUND, seconds, cpu_seconds(ours_pids) - cpu)
        ours.workflow_ids += ids
        if shape is None:
            shape = asyncio.run(_shape(settings, PER_ROUND, ids))
            asyncio.run(_bare(settings, WARM_UP, shape))
        cpu = cpu_seconds(floor_pids)
        seconds = asyncio.run(_bare(settings, PER_ROUND, shape))
        bare.add(PER_ROUND, seconds, cpu_seconds(floor_pids) - cpu)
        cpu = cpu_seconds(floor_pids)
        seconds = asyncio.run(
            _bare(settings, PER_ROUND, dataclasses.replace(shape, deadlines=True))
        )
        marked.add(PER_ROUND, seconds, cpu_seconds(floor_pids) - cpu)
    assert shape is not None
    return ours, bare, marked, shape


def run() -> list[Figure]:
    bench = shared_stack()
    bench.ensure_relay()
    bench.ensure("worker", "proposal", "approval", "notification")
    asyncio.run(_ours(bench.settings, WARM_UP))
    worker = floor_worker(bench.settings)
    try:
        ours, bare, marked, shape = _rounds(bench, worker)
    finally:
        worker.stop()
    what = (
        f"bare workflow: {shape.updates} Updates, {shape.activities} activities,"
        f" {shape.local_activities} local activities"
    )
    details = {
        "ours_s": ours.seconds,
        "floor_s": bare.seconds,
        "shape": shape.__dict__,
        "ours_cpu_s_per_transfer": ours.cpu_s / ours.transfers,
        "floor_cpu_s_per_transfer": bare.cpu_s / bare.transfers,
    }
    return [
        report(
            Figure(
                f"full lifecycles, {PER_ROUND} at once × {ROUNDS} rounds",
                ours.per_second,
                "transfers/s",
                bare.per_second,
                what,
                f"≥ {TARGET_RATIO} of the floor",
                ours.per_second / bare.per_second >= TARGET_RATIO,
                higher_is_better=True,
                details=details,
            )
        ),
        report(
            Figure(
                "full lifecycle, CPU cost (all our processes)",
                ours.cpu_s / ours.transfers,
                "CPU-s/transfer",
                bare.cpu_s / bare.transfers,
                "Temporal + bare worker, same work",
                "context: wall-clock figure above",
                True,
                details=details,
            )
        ),
        report(
            Figure(
                "bare floor with a status upsert and a cancelled deadline timer per Update",
                marked.per_second,
                "transfers/s",
                bare.per_second,
                "the bare floor above",
                "context: what Temporal's share of the workflow plan in docs/performance.md saves",
                True,
                higher_is_better=True,
                details={
                    "cpu_s_per_transfer": marked.cpu_s / marked.transfers,
                    "floor_cpu_s_per_transfer": bare.cpu_s / bare.transfers,
                },
            )
        ),
    ]
