"""The clustered deployment, proven here (`make test-cluster`): 100 transfers while one NATS
node of three and one replica of every component are SIGKILLed and stay dead. Every transfer
completes on what is left; every event is on the stream once; every notice exists once;
every government's chain verifies."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter
from dataclasses import dataclass

import asyncpg
import pytest

from bench.cases import Case, movable_cases
from bench.driver import Api, StatusBoard
from bench.lifecycles import Lifecycles
from mutasi.db import create_pool
from mutasi.log.verify import verify_chain
from tests.cluster.conftest import Cluster
from tests.faults.observe import inbox_event_types, settled, stream_message_ids

pytestmark = pytest.mark.cluster
TRANSFERS = 100
# Killed in this order as the load progresses; none comes back.
VICTIMS = ("nats-2", "worker-a", "relay-a", "notification-a", "proposal-a", "approval-a")


class ClusterApi(Api):
    """Each request to the next replica of the service, as a load balancer would send it; a
    dead replica's refusal is retried (same Idempotency-Key) and lands on the other."""

    def __init__(self, cluster: Cluster) -> None:
        super().__init__(cluster.settings, patience_s=240.0)
        self._turns = {
            s: itertools.cycle(cluster.ports(s)) for s in ("proposal", "approval", "notification")
        }

    def url(self, service: str, path: str) -> str:
        return f"http://{self.settings.bind_host}:{next(self._turns[service])}{path}"


@dataclass
class Run:
    cluster: Cluster
    cases: list[Case]
    outcomes: list[str | BaseException]
    killed: list[tuple[str, int]]  # (process, transfers still in flight)
    seconds: float


async def _load(cluster: Cluster) -> Run:
    pool = await create_pool(cluster.settings, max_size=2)
    cases = await movable_cases(pool, TRANSFERS)
    await pool.close()
    api, killed = ClusterApi(cluster), []
    started = time.monotonic()
    try:
        async with StatusBoard(cluster.settings) as board:
            lifecycles = Lifecycles(api, board, meeting_size=10)
            tasks = [asyncio.create_task(lifecycles.complete(c)) for c in cases]
            for k, name in enumerate(VICTIMS, start=1):
                while sum(t.done() for t in tasks) < TRANSFERS * k // (len(VICTIMS) + 3):
                    await asyncio.sleep(0.1)
                process = (cluster.nats | cluster.components)[name]
                process.kill()
                killed.append((name, sum(not t.done() for t in tasks)))
            outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        await api.close()
    return Run(cluster, cases, list(outcomes), killed, time.monotonic() - started)


@pytest.fixture(scope="module")
def run(cluster: Cluster) -> Run:
    result = asyncio.run(_load(cluster))
    print(f"\n{TRANSFERS} transfers in {result.seconds:.0f} s; killed {result.killed}")
    return result


@pytest.fixture(scope="module")
def recovered(run: Run) -> Run:
    async def wait() -> None:
        conn = await asyncpg.connect(run.cluster.settings.dsn(admin=True))
        try:
            await settled(conn)
        finally:
            await conn.close()

    asyncio.run(wait())
    return run


def _survivor_settings(run: Run):  # noqa: ANN202
    """Settings that reach a live NATS node and the live replica of each service."""
    live = run.cluster.replica_settings["b"]
    return live.model_copy(update={"nats_url": run.cluster.live_node().url})


def test_each_victim_died_with_transfers_in_flight(run: Run):
    assert [name for name, _ in run.killed] == list(VICTIMS)
    assert all(in_flight > 0 for _, in_flight in run.killed), run.killed


async def test_every_transfer_completes(run: Run):
    failed = [o for o in run.outcomes if isinstance(o, BaseException)]
    assert not failed, failed[:3]
    conn = await asyncpg.connect(run.cluster.settings.dsn(admin=True))
    try:
        statuses = await conn.fetch(
            "SELECT status, count(*) AS n FROM transfers WHERE id = ANY($1::uuid[]) GROUP BY 1",
            run.outcomes,
        )
    finally:
        await conn.close()
    assert {r["status"]: r["n"] for r in statuses} == {"completed": TRANSFERS}


async def test_the_stream_is_replicated_on_three_nodes_and_holds_every_event_once(
    recovered: Run,
):
    settings = _survivor_settings(recovered)
    conn = await asyncpg.connect(settings.dsn(admin=True))
    try:
        logged = {str(r["event_id"]) for r in await conn.fetch("SELECT event_id FROM event_log")}
    finally:
        await conn.close()
    on_stream = await stream_message_ids(settings)
    assert logged == set(on_stream), (len(logged - set(on_stream)), len(set(on_stream) - logged))
    assert max(on_stream.values()) == 1
    import nats

    nc = await nats.connect(settings.nats_url)
    try:
        info = await nc.jetstream().stream_info(settings.stream_name)
    finally:
        await nc.close()
    assert info.config.num_replicas == 3


async def test_every_notice_exists_once_and_each_employee_was_told_the_same(recovered: Run):
    settings = _survivor_settings(recovered)
    conn = await asyncpg.connect(settings.dsn(admin=True))
    try:
        rows, distinct = await conn.fetchrow(
            "SELECT count(*), count(DISTINCT (event_id, recipient, channel)) FROM notifications"
        )
        dead = await conn.fetchval("SELECT count(*) FROM dead_letters")
    finally:
        await conn.close()
    assert rows == distinct and dead == 0
    seen = Counter()
    for case, transfer_id in zip(recovered.cases, recovered.outcomes, strict=True):
        inbox = await inbox_event_types(settings, case.tenant, case.nip, str(transfer_id))
        seen[tuple(sorted(inbox.items()))] += 1
    assert len(seen) == 1, seen  # every employee saw the same notices, each once


async def test_every_governments_chain_verifies(recovered: Run):
    settings = recovered.cluster.settings
    conn = await asyncpg.connect(settings.dsn(admin=True))
    try:
        tenants = [r["tenant"] for r in await conn.fetch("SELECT tenant FROM chain_heads")]
    finally:
        await conn.close()
    for tenant in tenants:
        report = await verify_chain(settings.dsn(), tenant)
        assert report.ok, (tenant, report.broken)
