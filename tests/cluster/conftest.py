"""A production-shaped system on this machine: one PostgreSQL, one Temporal, three NATS
servers as one JetStream cluster (the stream at R3), and every Mutasi component twice."""

from __future__ import annotations

import asyncio
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field

import asyncpg
import pytest

from bench.cases import widen_formation
from mutasi.db import migrate
from mutasi.embedded.postgres import postgres_process
from mutasi.embedded.process import ManagedProcess, free_port
from mutasi.embedded.stack import Stack
from mutasi.embedded.temporal import temporal_process
from mutasi.seed.load import seed_all
from mutasi.settings import Settings
from tests.cluster.nats_cluster import NatsNode, node_process, nodes
from tests.conftest import COMPONENTS, make_settings

REPLICAS = ("a", "b")


@dataclass
class Cluster:
    settings: Settings  # replica a's; replica b differs only in its ports
    nats: dict[str, ManagedProcess] = field(default_factory=dict)
    nodes: list[NatsNode] = field(default_factory=list)
    servers: dict[str, ManagedProcess] = field(default_factory=dict)
    components: dict[str, ManagedProcess] = field(default_factory=dict)  # "worker-a", …
    replica_settings: dict[str, Settings] = field(default_factory=dict)

    def live_node(self) -> NatsNode:
        return next(n for n in self.nodes if self.nats[n.name].alive())

    def ports(self, service: str) -> list[int]:
        return [getattr(s, f"{service}_port") for s in self.replica_settings.values()]

    def stop(self) -> None:
        for process in [*self.components.values(), *self.nats.values(), *self.servers.values()]:
            process.stop()


def _replica(settings: Settings, name: str) -> Settings:
    if name == "a":
        return settings
    ports = ("proposal_port", "approval_port", "notification_port", "web_port",
             "worker_metrics_port", "relay_metrics_port")  # fmt: skip
    return settings.model_copy(update={p: free_port() for p in ports})


def _jetstream_ready(node: NatsNode, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    url = f"http://127.0.0.1:{node.monitor_port}/healthz"
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310 - loopback
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{node.name}: JetStream not ready")


def _start_servers(cluster: Cluster) -> None:
    s, var = cluster.settings, cluster.settings.var_dir
    cluster.servers["postgres"] = postgres_process(
        var / "postgres", s.db_port, var / "logs" / "postgres.log"
    ).start()
    for node in cluster.nodes:
        process = node_process(node, cluster.nodes, var, s.stream_name)
        cluster.nats[node.name] = process.start()
    for node in cluster.nodes:
        _jetstream_ready(node)
    port = int(s.temporal_address.rsplit(":", 1)[1])
    cluster.servers["temporal"] = temporal_process(
        var / "temporal" / "temporal.db", port, None, var / "logs" / "temporal.log"
    ).start()


def start_component(cluster: Cluster, name: str, replica: str) -> ManagedProcess:
    process = Stack(cluster.replica_settings[replica], temporal_ui=False).component(name)
    process.log_path = cluster.settings.var_dir / "logs" / f"{name}-{replica}.log"
    process.name = f"{name}-{replica}"
    cluster.components[process.name] = process.start(timeout=120)
    return process


async def _prepare(settings: Settings) -> None:
    await migrate(settings)
    await seed_all(settings, employees_per_tenant=150)
    conn = await asyncpg.connect(settings.dsn(admin=True))
    try:
        await widen_formation(conn, 3)
    finally:
        await conn.close()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    the_nodes = nodes(3)
    settings = make_settings(tmp_path_factory.mktemp("cluster")).model_copy(
        update={
            "nats_url": ",".join(n.url for n in the_nodes),
            "stream_replicas": 3,
        }
    )
    cluster = Cluster(settings, nodes=the_nodes)
    cluster.replica_settings = {r: _replica(settings, r) for r in REPLICAS}
    try:
        _start_servers(cluster)
        asyncio.run(_prepare(settings))
        for name in COMPONENTS:
            for replica in REPLICAS:
                start_component(cluster, name, replica)
        yield cluster
    finally:
        cluster.stop()
