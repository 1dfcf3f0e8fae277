"""API latency at 50 concurrent clients, each request kind against its fair floor (SPEC §9).

Ours: the real services (token check, policy, reads, rules, workflow start):
- `POST /transfers`, each a valid proposal of a different employee with its own
  Idempotency-Key, as a BKPSDM officer;
- `GET /transfers` (first page, as a BKPSDM officer of each government in turn);
- `GET /vacancies` (an employee's own view: every vacant post scored for them);
- `GET /tasks` on the approval service (what waits for a BKPSDM officer: "Tugas saya").
Floors (bench/floor_app.py, served the same way): for the submit, a trivial endpoint that
starts a no-op workflow on the same Temporal server; for a read, a trivial endpoint doing one
indexed read of a page. The same 50 httpx clients (one kept-alive connection each, opened
before the clock starts) send one request after another; ours and the floor alternate in
rounds, so a neighbour's load falls on both alike.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import uuid4

import asyncpg
import httpx

from bench.cases import JUSTIFICATION, Case, movable_cases
from bench.driver import Api
from bench.harness import Figure, percentile, report, shared_stack
from bench.lifecycle_bench import floor_worker
from mutasi import clock
from mutasi.db import create_pool
from mutasi.embedded.process import ManagedProcess, free_port, tcp_ready
from mutasi.embedded.stack import settings_env
from mutasi.settings import Settings

CLIENTS = 50
PER_CLIENT = 4  # requests per client and round
ROUNDS = 4
WARM_UP = 2 * CLIENTS  # opens every client's connection to both
TARGET_RATIO = 1.3
START_LAG = "proposal accepted → its workflow started"


@dataclass(frozen=True)
class Request:
    """One request to send: method, URL path, body, and whose token."""

    method: str
    path: str
    case: Case
    role: str
    body: dict[str, Any] | None = None


def proposal(case: Case) -> dict[str, Any]:
    return {
        "employee_nip": case.nip,
        "target_position_code": case.target_position,
        "reasons": "Penyegaran dan pemerataan beban kerja",
        "expectations": "Memperkuat pelayanan di unit tujuan",
        "effective_date": clock.today().isoformat(),
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

    async def touch(self, base: str) -> None:
        """Make sure every client's connection to `base` is open, untimed: uvicorn closes a
        kept-alive connection idle for 5 s, as each one is while the other side is measured."""

        async def one(http: httpx.AsyncClient) -> None:
            for _ in range(3):
                try:
                    await http.get(base + "/healthz")
                    return
                except httpx.TransportError:
                    continue

        await asyncio.gather(*(one(http) for http in self.http))

    async def hammer(
        self, base: str, requests: list[Request], headers: Callable[[Request], dict[str, str]]
    ) -> list[float]:
        """Latency (ms) of each request, the clients sending one after another at once."""
        # Tokens are signed before the clock starts: signing one costs this process tens of
        # milliseconds of CPU, which would stall every client (and count as server time).
        queue: asyncio.Queue[tuple[Request, dict[str, str]]] = asyncio.Queue()
        for request in requests:
            queue.put_nowait((request, headers(request)))
        await self.touch(base)
        latencies: list[float] = []

        async def client(http: httpx.AsyncClient) -> None:
            while not queue.empty():
                r, signed = queue.get_nowait()
                begun = time.perf_counter()
                response = await http.request(r.method, base + r.path, json=r.body, headers=signed)
                latencies.append(1000 * (time.perf_counter() - begun))
                if response.status_code not in (200, 202):
                    raise RuntimeError(
                        f"{r.method} {r.path}: {response.status_code} {response.text}"
                    )

        await asyncio.gather(*(client(http) for http in self.http))
        return latencies


@dataclass(frozen=True)
class Kind:
    """A request kind: how to make ours and the floor's from a case."""

    name: str
    service: str
    ours: Callable[[Case], Request]
    floor: Callable[[Case], Request]
    floor_what: str


KINDS = (
    Kind(
        "proposal submit",
        "proposal",
        lambda c: Request("POST", "/transfers", c, "hr_officer", proposal(c)),
        lambda c: Request("POST", "/transfers", c, "hr_officer", proposal(c)),
        "trivial endpoint starting a no-op workflow on the same Temporal",
    ),
    Kind(
        "GET /transfers",
        "proposal",
        lambda c: Request("GET", "/transfers", c, "hr_officer"),
        lambda c: Request("GET", f"/transfers?tenant={c.tenant}", c, "hr_officer"),
        "trivial endpoint, one indexed read of a page",
    ),
    Kind(
        "GET /vacancies (an employee's own view)",
        "proposal",
        lambda c: Request("GET", "/vacancies", c, "employee"),
        lambda c: Request("GET", f"/vacancies?tenant={c.tenant}", c, "employee"),
        "trivial endpoint, one indexed read of a page",
    ),
    Kind(
        "GET /tasks (waiting for me)",
        "approval",
        lambda c: Request("GET", "/tasks", c, "hr_officer"),
        lambda c: Request("GET", f"/tasks?tenant={c.tenant}", c, "hr_officer"),
        "trivial endpoint, one indexed read of a page",
    ),
)


async def _measure(
    settings: Settings, floor_base: str
) -> dict[str, tuple[list[float], list[float]]]:
    """Rounds of ours and of the floor in turn, for each request kind."""
    pool = await create_pool(settings, max_size=2)
    total = WARM_UP + ROUNDS * CLIENTS * PER_CLIENT
    cases = await movable_cases(pool, total, share_vacancies=True)
    await pool.close()
    api, clients = Api(settings), Clients()

    def signed(r: Request) -> dict[str, str]:
        sub = f"nip:{r.case.nip}" if r.role == "employee" else None
        headers = api.headers(r.case.tenant, r.role, sub=sub, nip=r.case.nip)
        return headers | {"Idempotency-Key": str(uuid4())} if r.method == "POST" else headers

    found: dict[str, tuple[list[float], list[float]]] = {k.name: ([], []) for k in KINDS}
    found[START_LAG] = ([], [])
    began = await _now(settings)
    try:
        for kind in KINDS:
            ours_base = api.url(kind.service, "")
            # Submits need a fresh employee each; reads may repeat the warm-up's.
            warm = cases[:WARM_UP]
            await clients.hammer(ours_base, [kind.ours(c) for c in warm], signed)
            await clients.hammer(floor_base, [kind.floor(c) for c in warm], signed)
            for k in range(ROUNDS):
                batch = cases[WARM_UP + k * CLIENTS * PER_CLIENT :][: CLIENTS * PER_CLIENT]
                ours, floor = found[kind.name]
                ours += await clients.hammer(ours_base, [kind.ours(c) for c in batch], signed)
                floor += await clients.hammer(floor_base, [kind.floor(c) for c in batch], signed)
        found[START_LAG][0].extend(await _start_lags(settings, began))
    finally:
        await clients.close()
        await api.close()
    return found


async def _now(settings: Settings) -> datetime:
    conn = await asyncpg.connect(settings.dsn())
    try:
        return await conn.fetchval("SELECT clock_timestamp()")  # type: ignore[no-any-return]
    finally:
        await conn.close()


async def _start_lags(settings: Settings, since: datetime, timeout: float = 120.0) -> list[float]:
    """How long each proposal accepted since `since` waited for its workflow to start (ms):
    the other half of the intake's bargain, measured once the starter has caught up."""
    conn = await asyncpg.connect(settings.dsn())
    try:
        deadline = time.monotonic() + timeout
        while await conn.fetchval(
            "SELECT count(*) FROM transfer_intake WHERE accepted_at >= $1 AND started_at IS NULL",
            since,
        ):
            if time.monotonic() > deadline:
                raise TimeoutError("the intake did not start every accepted proposal")
            await asyncio.sleep(0.5)
        rows = await conn.fetch(
            "SELECT extract(epoch FROM started_at - accepted_at) * 1000 AS ms"
            " FROM transfer_intake WHERE accepted_at >= $1",
            since,
        )
        return [float(r["ms"]) for r in rows]
    finally:
        await conn.close()


def _report(kind: Kind, ours: list[float], floor: list[float]) -> list[Figure]:
    figures = []
    for q in (50, 95, 99):
        mine, base = percentile(ours, q), percentile(floor, q)
        target = q == 95
        figures.append(
            report(
                Figure(
                    f"{kind.name} p{q}, {CLIENTS} clients",
                    mine,
                    "ms",
                    base,
                    kind.floor_what,
                    f"≤ {TARGET_RATIO}× the floor at p95" if target else "context for p95",
                    not target or mine <= TARGET_RATIO * base,
                    details={"requests": len(ours), "clients": CLIENTS},
                )
            )
        )
    return figures


@contextmanager
def floor_api(settings: Settings) -> Iterator[tuple[str, int]]:
    """The floors' trivial endpoints (bench/floor_app.py) and their bare worker, running:
    (base URL, the app's pid)."""
    port = free_port()
    worker = floor_worker(settings)
    app = ManagedProcess(
        "floor-api",
        [sys.executable, "-m", "bench.floor_app", str(port)],
        settings.var_dir / "logs" / "floor-api.log",
        tcp_ready(port),
        env=settings_env(settings),
    ).start()
    try:
        yield f"http://127.0.0.1:{port}", app.pid
    finally:
        app.stop()
        worker.stop()


def run() -> list[Figure]:
    bench = shared_stack()
    bench.ensure_relay()
    bench.ensure("worker", "proposal", "approval", "notification")
    with floor_api(bench.settings) as (floor_url, _):
        found = asyncio.run(_measure(bench.settings, floor_url))
    figures = [f for kind in KINDS for f in _report(kind, *found[kind.name])]
    submit_floor = found[KINDS[0].name][1]
    lags = found[START_LAG][0]
    figures.append(
        report(
            Figure(
                f"{START_LAG} p95 (the intake's starter), {CLIENTS} clients",
                percentile(lags, 95),
                "ms",
                percentile(submit_floor, 95),
                "a synchronous workflow start: the submit floor's p95",
                "context: what the 202 leaves to do",
                True,
                details={"proposals": len(lags), "p50_ms": round(percentile(lags, 50), 1)},
            )
        )
    )
    return figures
