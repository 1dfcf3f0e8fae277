"""CPU per read request in the serving process, ours and the floor's, one client at a time.

`python -m bench.read_cpu [N]`: on the bench's own stack, N sequential requests of each read
kind of the API benchmark (GET /transfers, /vacancies, /tasks) to our service and to the
floor app; the CPU-seconds the serving process spent (psutil), per request. Unlike p95
latencies at 50 clients, this hardly moves with the neighbours' load, so it tells what a
change to a read path saved. PostgreSQL's share is not counted (nor in the floor's).
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time

import httpx
import psutil

from bench.api_bench import CLIENTS, KINDS, Clients, Request, floor_api, proposal
from bench.cases import movable_cases
from bench.driver import Api
from bench.harness import shared_stack
from mutasi.db import create_pool

WARM_UP, ROUNDS = 50, 3


def _cpu(pid: int) -> float:
    times = psutil.Process(pid).cpu_times()
    return times.user + times.system


async def _per_request(pid: int, base: str, requests: list[Request], api: Api) -> float:
    async with httpx.AsyncClient(timeout=60) as http:
        signed = [_signed(api, r) for r in requests]
        for r, headers in list(zip(requests, signed, strict=True))[:WARM_UP]:
            await http.request(r.method, base + r.path, headers=headers)
        begun = _cpu(pid)
        for r, headers in zip(requests, signed, strict=True):
            response = await http.request(r.method, base + r.path, headers=headers)
            assert response.status_code == 200, response.text
        return 1000 * (_cpu(pid) - begun) / len(requests)


def _signed(api: Api, r: Request) -> dict[str, str]:
    sub = f"nip:{r.case.nip}" if r.role == "employee" else None
    return api.headers(r.case.tenant, r.role, sub=sub, nip=r.case.nip)


async def _measure(settings, floor_base: str, floor_pid: int, pids: dict, n: int) -> None:  # noqa: ANN001
    pool = await create_pool(settings, max_size=2)
    cases = await movable_cases(pool, n + CLIENTS, share_vacancies=True)
    await pool.close()
    api, clients = Api(settings), Clients()
    try:  # some transfers waiting, as after the API bench's submits
        await clients.hammer(
            api.url("proposal", ""),
            [Request("POST", "/transfers", c, "hr_officer", proposal(c)) for c in cases[:CLIENTS]],
            lambda r: _signed(api, r) | {"Idempotency-Key": f"cpu-{r.case.nip}"},
        )
        await asyncio.sleep(5)
        for kind in KINDS[1:]:
            ours, floor = [], []
            for _ in range(ROUNDS):  # in turn, so a neighbour's load falls on both alike
                base = api.url(kind.service, "")
                requests = [kind.ours(c) for c in cases[:n]]
                ours.append(await _per_request(pids[kind.service], base, requests, api))
                requests = [kind.floor(c) for c in cases[:n]]
                floor.append(await _per_request(floor_pid, floor_base, requests, api))
            o, f = statistics.median(ours), statistics.median(floor)
            print(f"{kind.name}: {o:.2f} ms CPU | floor {f:.2f} ms | {o / f:.2f}×", flush=True)
    finally:
        await clients.close()
        await api.close()


def main(n: int) -> None:
    bench = shared_stack()
    bench.ensure_relay()
    bench.ensure("worker", "proposal", "approval")
    with floor_api(bench.settings) as (floor_url, floor_pid):
        pids = {name: bench.pid(name) for name in ("proposal", "approval")}
        time.sleep(1)
        asyncio.run(_measure(bench.settings, floor_url, floor_pid, pids, n))
        bench.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
