"""Proposal submit API latency at 50 concurrent clients (SPEC §9: p95 < 50 ms).

Ours: POST /transfers on the real proposal service (token check, policy, employee and position
reads, Temporal start), each a valid proposal of a different employee with its own
Idempotency-Key, 50 clients (httpx, one kept-alive connection each, opened before the
clock starts) sending one request after another.
Floor: the same clients and bodies against a trivial FastAPI endpoint served the same way
(bench/trivial_app.py), on the same machine, in rounds alternating with ours.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import uuid4

import httpx

from bench.cases import JUSTIFICATION, Case, movable_cases
from bench.driver import Api
from bench.harness import Figure, percentile, report, shared_stack
from mutasi.db import create_pool
from mutasi.embedded.process import ManagedProcess, free_port, tcp_ready
from mutasi.settings import Settings

CLIENTS = 50
PER_CLIENT = 4  # requests per client and round
ROUNDS = 4
WARM_UP = 2 * CLIENTS  # opens every client's connection to both
TARGET_P95_MS = 50.0


def proposal(case: Case) -> dict[str, Any]:
    return {
        "employee_nip": case.nip,
        "target_position_code": case.target_position,
        "reasons": "Penyegaran dan pemerataan beban kerja",
        "expectations": "Memperkuat pelayanan di unit tujuan",
        "effective_date": date.today().isoformat(),
        "justification": JUSTIFICATION,
        "documents": list(case.documents),
    }


class Clients:
    """CLIENTS httpx clients, each with its connection, made before anything is timed:
    building a client costs milliseconds of CPU (its TLS context), which a steady stream of
    users never pays per request."""

    def __init__(self) -> None:
        self.http = [httpx.AsyncClient(timeout=60) for _ in range(CLIENTS)]

    async def close(self) -> None:
        await asyncio.gather(*(http.aclose() for http in self.http))

    async def hammer(
        self, url: str, cases: list[Case], headers: Callable[[Case], dict[str, str]]
    ) -> list[float]:
        """Latency (ms) of each request, the clients sending one after another at once."""
        queue: asyncio.Queue[Case] = asyncio.Queue()
        for case in cases:
            queue.put_nowait(case)
        latencies: list[float] = []

        async def client(http: httpx.AsyncClient) -> None:
            while not queue.empty():
                case = queue.get_nowait()
                begun = time.perf_counter()
                response = await http.post(url, json=proposal(case), headers=headers(case))
                latencies.append(1000 * (time.perf_counter() - begun))
                if response.status_code != 202:
                    raise RuntimeError(f"{response.status_code} {response.text}")

        await asyncio.gather(*(client(http) for http in self.http))
        return latencies


async def _measure(settings: Settings, floor_url: str) -> tuple[list[float], list[float]]:
    """Rounds of ours and of the floor in turn, so a neighbour's load falls on both alike."""
    pool = await create_pool(settings, max_size=2)
    cases = await movable_cases(pool, WARM_UP + ROUNDS * CLIENTS * PER_CLIENT, share_vacancies=True)
    await pool.close()
    api, clients = Api(settings), Clients()
    ours_url = api.url("proposal", "/transfers")

    def signed(case: Case) -> dict[str, str]:
        return api.headers(case.tenant, "hr_officer") | {"Idempotency-Key": str(uuid4())}

    ours: list[float] = []
    floor: list[float] = []
    try:
        await clients.hammer(ours_url, cases[:WARM_UP], signed)
        await clients.hammer(floor_url, cases[:WARM_UP], signed)
        for k in range(ROUNDS):
            batch = cases[WARM_UP + k * CLIENTS * PER_CLIENT :][: CLIENTS * PER_CLIENT]
            ours += await clients.hammer(ours_url, batch, signed)
            floor += await clients.hammer(floor_url, batch, signed)
    finally:
        await clients.close()
        await api.close()
    return ours, floor


def run() -> list[Figure]:
    bench = shared_stack()
    bench.ensure_relay()
    bench.ensure("worker", "proposal", "approval", "notification")
    port = free_port()
    trivial = ManagedProcess(
        "trivial-api",
        [sys.executable, "-m", "bench.trivial_app", str(port)],
        bench.settings.var_dir / "logs" / "trivial-api.log",
        tcp_ready(port),
    ).start()
    try:
        ours, floor = asyncio.run(_measure(bench.settings, f"http://127.0.0.1:{port}/transfers"))
    finally:
        trivial.stop()
    figures = []
    for q in (50, 95, 99):
        mine = percentile(ours, q)
        figures.append(
            report(
                Figure(
                    f"proposal submit p{q}, {CLIENTS} clients",
                    mine,
                    "ms",
                    percentile(floor, q),
                    "trivial FastAPI endpoint, same clients",
                    f"p95 < {TARGET_P95_MS:.0f} ms" if q == 95 else "context for p95",
                    q != 95 or mine < TARGET_P95_MS,
                    details={"requests": len(ours), "clients": CLIENTS},
                )
            )
        )
    return figures
