"""Scale profile: what one transfer costs each process, and how throughput holds up as the
same load is spread over 1, 10 and 50 governments.

The same number of full lifecycles (bench/lifecycles.py: proposal to completed, meetings
included) runs at once, its proposals from 1, 10 or 50 governments (copies of one seeded
government, bench/governments.py). Each government has its own hash chain and head lock,
its own meetings of the Tim Penilai Kinerja and its own decree counter, so spreading the
load shows what is serialised per government and what per deployment. Reported: transfers
per second at each spread, and CPU-seconds per transfer of every process (Temporal,
PostgreSQL, NATS, the worker, relay, services, this driver) — the figures behind the
capacity table in docs/performance.md.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import asyncpg
import psutil

from bench.cases import movable_cases
from bench.driver import Api, StatusBoard
from bench.governments import copy_governments
from bench.harness import BenchStack, Figure, cpu_seconds, report, shared_stack
from bench.lifecycles import Lifecycles
from mutasi.db import create_pool

SPREADS = (1, 10, 50)
TRANSFERS = 50  # at once, at every spread
SOURCE = "kota-medan"  # not in a political freeze (R9)
MEETING_SIZE = 25


def _processes(bench: BenchStack) -> dict[str, list[int]]:
    stack = bench.stack
    found = {name: [p.pid] for name, p in {**stack.servers, **stack.components}.items()}
    return {name: pids for name, pids in found.items() if name not in ("smtp",)}


def _driver_cpu() -> float:
    t = psutil.Process().cpu_times()
    return t.user + t.system


def _cpu(processes: dict[str, list[int]]) -> dict[str, float]:
    return {name: cpu_seconds(pids) for name, pids in processes.items()} | {"driver": _driver_cpu()}


async def _lifecycles(bench: BenchStack, tenants: list[str]) -> tuple[float, int]:
    pool = await create_pool(bench.settings, max_size=2)
    cases = await movable_cases(pool, TRANSFERS, tenants=tenants)
    await pool.close()
    api = Api(bench.settings)
    try:
        async with StatusBoard(bench.settings) as board:
            lifecycles = Lifecycles(api, board, meeting_size=MEETING_SIZE, full_meetings=True)
            begun = time.perf_counter()
            await asyncio.gather(*(lifecycles.complete(c) for c in cases))
            return time.perf_counter() - begun, len(lifecycles.meetings.meeting_ids)
    finally:
        await api.close()


async def _governments(bench: BenchStack) -> list[str]:
    conn = await asyncpg.connect(bench.settings.dsn(admin=True))
    try:
        return await copy_governments(conn, SOURCE, max(SPREADS))
    finally:
        await conn.close()


def run() -> list[Figure]:
    bench = shared_stack()
    bench.ensure_relay()
    bench.ensure("worker", "proposal", "approval", "notification")
    slugs = asyncio.run(_governments(bench))
    processes = _processes(bench)
    figures = []
    for spread in SPREADS:
        before = _cpu(processes)
        seconds, meetings = asyncio.run(_lifecycles(bench, slugs[:spread]))
        after = _cpu(processes)
        per_transfer = {name: round((after[name] - before[name]) / TRANSFERS, 4) for name in after}
        details: dict[str, Any] = {
            "transfers": TRANSFERS,
            "governments": spread,
            "meetings": meetings,
            "seconds": round(seconds, 2),
            "cpu_s_per_transfer": per_transfer,
            "cpu_s_per_transfer_total": round(sum(per_transfer.values()), 4),
        }
        figures.append(
            report(
                Figure(
                    f"full lifecycles, {TRANSFERS} at once over {spread} government(s)",
                    TRANSFERS / seconds,
                    "transfers/s",
                    psutil.cpu_count() / sum(per_transfer.values()),
                    "all cores busy with this work alone (CPU-seconds spent / cores)",
                    "context: capacity table (docs/performance.md)",
                    True,
                    higher_is_better=True,
                    details=details,
                )
            )
        )
        print(
            "       CPU-s per transfer: "
            + ", ".join(
                f"{name} {cpu:.3f}"
                for name, cpu in sorted(per_transfer.items(), key=lambda x: -x[1])
            ),
            flush=True,
        )
    return figures
