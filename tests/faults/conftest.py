"""The fault tests' own stack (killing its PostgreSQL or NATS must not touch the session's),
and one run of 200 concurrent transfers during which each process is SIGKILLed in turn."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import asyncpg
import pytest

from bench.cases import Case, movable_cases, widen_formation
from bench.driver import Api, StatusBoard
from bench.lifecycles import Lifecycles
from mutasi.db import create_pool, migrate
from mutasi.embedded.stack import Stack
from mutasi.seed.load import seed_all
from mutasi.settings import Settings
from tests.conftest import COMPONENTS, make_settings
from tests.faults.chaos import Chaos, Crash, Kill
from tests.faults.intake import IntakeRun, intake_burst
from tests.faults.observe import inbox_event_types, settled

TRANSFERS = 200
VICTIMS = ("worker", "relay", "notification", "nats", "postgres")


@dataclass
class LoadRun:
    stack: Stack
    cases: list[Case]
    outcomes: list[str | BaseException]  # the transfer id, or why it failed
    kills: list[Kill]
    crashes: list[Crash]  # components that died without being killed
    control_inbox: Counter[str]  # what an employee sees of a transfer no fault touched

    def when(self) -> str:
        """The kills by wall clock, to read beside a finding's timestamps."""
        return "; kills: " + ", ".join(
            f"{k.name} at {k.wall:%H:%M:%S.%f} for {k.down_s:.1f} s" for k in self.kills
        )


@pytest.fixture(scope="module")
def fault_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    stack = Stack(make_settings(tmp_path_factory.mktemp("faults")), temporal_ui=False)
    stack.start_servers()
    try:
        asyncio.run(_prepare(stack))
        for name in COMPONENTS:
            stack.start_component(name)
        yield stack
    finally:
        stack.stop()


async def _prepare(stack: Stack) -> None:
    await migrate(stack.settings)
    await seed_all(stack.settings, employees_per_tenant=150)
    conn = await asyncpg.connect(stack.settings.dsn(admin=True))
    try:
        await widen_formation(conn, 3)
    finally:
        await conn.close()


async def _settle(settings: Settings) -> None:
    conn = await asyncpg.connect(settings.dsn(admin=True))
    try:
        await settled(conn)
    finally:
        await conn.close()


async def _load(stack: Stack) -> LoadRun:
    settings = stack.settings
    pool = await create_pool(settings, max_size=2)
    cases = await movable_cases(pool, TRANSFERS + 1)
    await pool.close()
    api = Api(settings, patience_s=240.0)
    try:
        async with StatusBoard(settings) as board:
            lifecycles = Lifecycles(api, board, meeting_size=25)
            control = await lifecycles.complete(cases[0])
            await _settle(settings)  # its last notices reach the inbox, however busy the box
            control_inbox = await inbox_event_types(
                settings, cases[0].tenant, cases[0].nip, control
            )
            chaos = Chaos(stack)
            supervisor = asyncio.create_task(chaos.supervise())
            tasks = [asyncio.create_task(lifecycles.complete(c)) for c in cases[1:]]
            done = lambda: sum(t.done() for t in tasks)  # noqa: E731
            await chaos.in_turn(VICTIMS, done, TRANSFERS)
            outcomes = await asyncio.gather(*tasks, return_exceptions=True)
            supervisor.cancel()
    finally:
        await api.close()
    return LoadRun(stack, cases[1:], list(outcomes), chaos.kills, chaos.crashes, control_inbox)


@pytest.fixture(scope="module")
def load_run(fault_stack: Stack) -> LoadRun:
    return asyncio.run(_load(fault_stack))


@pytest.fixture(scope="module")
def recovered(load_run: LoadRun) -> LoadRun:
    """After the load: the relay and the notification service have caught up."""

    asyncio.run(_settle(load_run.stack.settings))
    return load_run


@pytest.fixture(scope="module")
def intake_run(recovered: LoadRun) -> IntakeRun:
    """After the load (its employees are free again): the intake's own fault."""
    return asyncio.run(intake_burst(recovered.stack))
