"""What every benchmark shares: its own embedded stack, and one way to report a figure.

A benchmark never uses `make run`'s var/ or the test session: it starts the servers and the
components it needs on free ports in a temporary directory, once per `make bench` run, so the
figure and its floor are measured on the same machine, the same servers, minutes apart.
Each figure is printed with its floor, the ratio and the SPEC §9 target, and the whole run is
written as JSON under bench/results/ so a later run can be compared with this one.
"""

from __future__ import annotations

import asyncio
import atexit
import json
import os
import platform
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import psutil

from bench.cases import widen_formation
from bench.compare import Earlier, beside, earlier_figures
from mutasi.db import migrate
from mutasi.embedded.process import free_ports
from mutasi.embedded.stack import Stack
from mutasi.logging import configure_logging
from mutasi.settings import Settings

RESULTS_DIR = Path(__file__).resolve().parent / "results"
# Enough employees for 1,000 transfers in flight, each of a different person (rule R8).
EMPLOYEES_PER_TENANT = 300


@dataclass
class Figure:
    """One measured figure beside its floor: `ratio` is figure / floor."""

    name: str
    value: float
    unit: str
    floor: float
    floor_what: str
    target: str
    met: bool
    higher_is_better: bool = False
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.value / self.floor if self.floor else float("inf")

    def line(self) -> str:
        verdict = "OK  " if self.met else "MISS"
        reading = "of the floor" if self.higher_is_better else "× the floor"
        return (
            f"[{verdict}] {self.name}: {self.value:,.3f} {self.unit} | floor"
            f" {self.floor:,.3f} {self.unit} ({self.floor_what}) | ratio"
            f" {self.ratio:.2f} {reading} | target {self.target}"
        )


_figures: list[Figure] = []
_flagged: list[str] = []
_earlier: dict[str, Earlier] | None = None


def report(figure: Figure) -> Figure:
    """Print the figure at once (a long run shows progress) beside its previous value, and
    keep it for the JSON file."""
    global _earlier
    if _earlier is None:  # read before this run writes anything
        _earlier = earlier_figures(RESULTS_DIR)
    _figures.append(figure)
    text, flagged = beside(figure.value, figure.ratio, figure.unit, _earlier.get(figure.name))
    if flagged:
        _flagged.append(figure.name)
    print(f"{figure.line()}\n       {text}", flush=True)
    return figure


def flagged() -> list[str]:
    """Names of this run's figures that moved more than 20 % from their previous value."""
    return list(_flagged)


def percentile(samples: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty sample."""
    ordered = sorted(samples)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def write_results(started: float) -> Path:
    """bench/results/<UTC time>.json, and latest.json beside it."""
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    document = {
        "finished_at": stamp,
        "seconds": round(time.perf_counter() - started, 1),
        "machine": {
            "cpus": psutil.cpu_count(),
            "python": platform.python_version(),
            "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
            # Neighbours' load moves every wall-clock figure: say how busy the machine was.
            "load_average_1m_at_end": round(os.getloadavg()[0], 2),
        },
        "figures": [asdict(f) | {"ratio": f.ratio} for f in _figures],
    }
    path = RESULTS_DIR / f"{stamp}.json"
    text = json.dumps(document, indent=2, ensure_ascii=False)
    path.write_text(text)
    (RESULTS_DIR / "latest.json").write_text(text)
    return path


def bench_settings(var_dir: Path) -> Settings:
    return Settings(
        var_dir=var_dir,
        **free_ports(),
        # Components connect as their own NATS users; the bench's probes act as `admin`.
        nats_no_auth_user="admin",
        # Throughput is measured, not abuse: rate limits off (mutasi.web.ratelimit).
        rate_limit_writes_per_minute=0,
        rate_limit_address_writes_per_minute=0,
        rate_limit_expensive_per_minute=0,
        rate_limit_address_expensive_per_minute=0,
    )


class BenchStack:
    """The embedded servers, migrated and seeded, plus whichever components a bench asks for."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="mutasi-bench-"))
        self.stack = Stack(bench_settings(self.dir), temporal_ui=False)
        self.started = False

    @property
    def settings(self) -> Settings:
        return self.stack.settings

    def start(self) -> BenchStack:
        configure_logging("WARNING", json=False)  # the bench prints figures, not our logs
        begun = time.perf_counter()
        self.stack.start_servers()
        self.started = True
        asyncio.run(self._prepare())
        print(
            f"  (stack started and seeded in {time.perf_counter() - begun:.1f} s,"
            f" under {self.dir})",
            flush=True,
        )
        return self

    async def _prepare(self) -> None:
        from mutasi.seed.load import seed_all

        await migrate(self.settings)
        await seed_all(self.settings, employees_per_tenant=EMPLOYEES_PER_TENANT)
        conn = await asyncpg.connect(self.settings.dsn(admin=True))
        try:
            await widen_formation(conn, 3)
        finally:
            await conn.close()

    def ensure(self, *names: str) -> None:
        """Start the named components (worker, relay, proposal, ...) unless running."""
        for name in names:
            process = self.stack.components.get(name)
            if process is None or not process.alive():
                self.stack.start_component(name)

    def ensure_relay(self) -> None:
        """The relay, and the JetStream stream it declares (subscribers need it first)."""
        self.ensure("relay")
        asyncio.run(_wait_for_stream(self.settings))
        asyncio.run(_wait_for_outbox(self.settings))

    def pid(self, name: str) -> int:
        return self.stack.components[name].pid

    def stop(self) -> None:
        if self.started:
            self.stack.stop()
            self.started = False
        shutil.rmtree(self.dir, ignore_errors=True)


async def _wait_for_stream(settings: Settings, timeout: float = 30.0) -> None:
    import nats
    from nats.js.errors import NotFoundError

    nc = await nats.connect(settings.nats_url)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                await nc.jetstream().stream_info(settings.stream_name)
                return
            except NotFoundError:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.1)
    finally:
        await nc.close()


async def _wait_for_outbox(settings: Settings, timeout: float = 120.0) -> None:
    """Until the relay has carried every committed entry (the seed's, at first)."""
    conn = await asyncpg.connect(settings.dsn(admin=True))
    try:
        deadline = time.monotonic() + timeout
        while await conn.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL"):
            if time.monotonic() > deadline:
                raise TimeoutError("the relay did not empty the outbox")
            await asyncio.sleep(0.2)
    finally:
        await conn.close()


def cpu_seconds(pids: list[int]) -> float:
    """CPU time of these processes, their live descendants, and the children they reaped
    (PostgreSQL's finished backends): the work done, whatever else runs on the machine."""
    total = 0.0
    for pid in pids:
        try:
            process = psutil.Process(pid)
            for p in [process, *process.children(recursive=True)]:
                t = p.cpu_times()
                total += (
                    t.user
                    + t.system
                    + (t.children_user + t.children_system if p is process else 0.0)
                )
        except psutil.NoSuchProcess:
            continue
    return total


_shared: BenchStack | None = None


def shared_stack() -> BenchStack:
    """One stack for the whole run: started on first use, stopped when the run ends."""
    global _shared
    if _shared is None:
        _shared = BenchStack().start()
        atexit.register(stop_shared_stack)
    return _shared


def stop_shared_stack() -> None:
    global _shared
    if _shared is not None:
        _shared.stop()
        _shared = None
