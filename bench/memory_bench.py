"""Worker memory with 1,000 transfers in flight (SPEC §9: ≤ 300 MB RSS).

Ours: proposals are submitted until 1,000 transfer workflows run, each waiting in the worker
for its next human step (MutasiStatus checked, or returned by a rule, as Temporal's visibility
shows); then the worker process's RSS (psutil) is read a few times and the largest kept.
Floor: the bare floor worker (bench/floor.py) holding 1,000 bare workflows waiting for an
Update, read the same way.
"""

from __future__ import annotations

import asyncio
import time
from uuid import uuid4

import psutil
from temporalio.client import Client

from bench import floor
from bench.api_bench import Clients, Request, proposal
from bench.cases import movable_cases
from bench.driver import Api
from bench.harness import Figure, report, shared_stack
from bench.lifecycle_bench import floor_worker
from mutasi.db import create_pool
from mutasi.lifecycle import WORKFLOW_NAME
from mutasi.settings import Settings

IN_FLIGHT = 1_000
TARGET_MB = 300.0
WAITING = ("checked", "returned")  # a human step is next: the workflow sits in the worker


def peak_rss_mb(pid: int, samples: int = 6) -> float:
    process = psutil.Process(pid)
    readings = []
    for _ in range(samples):
        readings.append(process.memory_info().rss / 2**20)
        time.sleep(0.5)
    return max(readings)


async def _count(client: Client, query: str) -> int:
    return (await client.count_workflows(query)).count


async def _until_all_wait(client: Client, workflow_type: str, waiting: str) -> int:
    """Until every running workflow of the type waits for a person (by its MutasiStatus)."""
    running = f"WorkflowType='{workflow_type}' AND ExecutionStatus='Running'"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        total = await _count(client, running)
        if (
            total == 0
            or await _count(client, f"{running} AND MutasiStatus IN ({waiting})") == total
        ):
            return total
        await asyncio.sleep(1)
    raise TimeoutError(f"{workflow_type}: not every workflow waits after 300 s")


async def _fill(settings: Settings) -> int:
    """Submit until IN_FLIGHT transfers run, each waiting for its next human step."""
    client = await Client.connect(settings.temporal_address)
    waiting = ", ".join(f"'{status}'" for status in WAITING)
    in_flight = await _until_all_wait(client, WORKFLOW_NAME, waiting)
    if in_flight < IN_FLIGHT:
        pool = await create_pool(settings, max_size=2)
        cases = await movable_cases(pool, IN_FLIGHT - in_flight, share_vacancies=True)
        await pool.close()
        api = Api(settings)

        def signed(request: Request) -> dict[str, str]:
            key = {"Idempotency-Key": str(uuid4())}
            return api.headers(request.case.tenant, "hr_officer") | key

        submits = [Request("POST", "/transfers", c, "hr_officer", proposal(c)) for c in cases]
        clients = Clients()
        try:
            await clients.hammer(api.url("proposal", ""), submits, signed)
        finally:
            await clients.close()
            await api.close()
        in_flight = await _until_all_wait(client, WORKFLOW_NAME, waiting)
    return in_flight


async def _bare_in_flight(settings: Settings) -> int:
    client = await Client.connect(settings.temporal_address)
    shape = floor.BareInput(updates=1, activities_before=1, local_before=2, announce_waiting=True)
    await asyncio.gather(
        *(
            client.start_workflow(
                floor.WORKFLOW, shape, id=f"idle-{uuid4()}", task_queue=floor.TASK_QUEUE
            )
            for _ in range(IN_FLIGHT)
        )
    )
    return await _until_all_wait(client, floor.WORKFLOW, "'waiting'")


def run() -> list[Figure]:
    bench = shared_stack()
    bench.ensure_relay()
    bench.ensure("worker", "proposal", "approval", "notification")
    waiting = asyncio.run(_fill(bench.settings))
    ours = peak_rss_mb(bench.pid("worker"))
    worker = floor_worker(bench.settings)
    try:
        bare_waiting = asyncio.run(_bare_in_flight(bench.settings))
        bare = peak_rss_mb(worker.pid)
    finally:
        worker.stop()
    return [
        report(
            Figure(
                f"worker RSS, {waiting:,} transfers in flight",
                ours,
                "MB",
                bare,
                f"bare worker holding {bare_waiting:,} waiting workflows",
                f"≤ {TARGET_MB:.0f} MB",
                ours <= TARGET_MB and waiting >= IN_FLIGHT,
                details={"in_flight": waiting},
            )
        ),
    ]
