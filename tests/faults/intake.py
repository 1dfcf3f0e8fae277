"""A burst of proposals while the proposal service — and with it the intake's starter — is
SIGKILLed with accepted proposals still waiting for their workflows, then restarted."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta

import asyncpg

from bench.cases import Case, movable_cases
from bench.driver import Api, StatusBoard
from bench.lifecycles import Lifecycles
from mutasi.db import create_pool
from mutasi.embedded.stack import Stack
from tests.faults.chaos import Chaos

PROPOSALS = 150


@dataclass
class IntakeRun:
    stack: Stack
    cases: list[Case]
    accepted: list[str | BaseException]  # the id each 202 named, or why there was none
    pending_at_kill: int  # accepted proposals whose workflow was not started yet
    began: datetime  # when the burst began (PostgreSQL's clock), to find its transfers


async def _pending(conn: asyncpg.Connection) -> int:
    return int(await conn.fetchval("SELECT count(*) FROM transfer_intake WHERE started_at IS NULL"))


async def _kill_with_work_pending(stack: Stack, conn: asyncpg.Connection) -> int:
    """SIGKILL the proposal service the moment accepted proposals wait for their start."""
    for _ in range(3000):
        pending = await _pending(conn)
        if pending:
            await Chaos(stack).kill_and_restart("proposal", pending)
            return pending
        await asyncio.sleep(0.005)
    return 0


async def intake_burst(stack: Stack) -> IntakeRun:
    settings = stack.settings
    pool = await create_pool(settings, max_size=2)
    cases = await movable_cases(pool, PROPOSALS, share_vacancies=True)
    await pool.close()
    conn = await asyncpg.connect(settings.dsn(admin=True))
    api = Api(settings, patience_s=120.0)
    try:
        # Transfers are stamped on the session's moved clock, not PostgreSQL's.
        began = await conn.fetchval("SELECT clock_timestamp()") + timedelta(
            seconds=settings.clock_offset_s
        )
        async with StatusBoard(settings) as board:
            lifecycles = Lifecycles(api, board)
            # Each request keeps its Idempotency-Key through the retries the outage causes.
            proposals = [asyncio.create_task(lifecycles.propose(c)) for c in cases]
            pending = await _kill_with_work_pending(stack, conn)
            accepted = await asyncio.gather(*proposals, return_exceptions=True)
            for transfer_id in accepted:
                if isinstance(transfer_id, str):
                    await board.wait(transfer_id, "checked", "returned", timeout=180)
    finally:
        await api.close()
        await conn.close()
    return IntakeRun(stack, cases, list(accepted), pending, began)
