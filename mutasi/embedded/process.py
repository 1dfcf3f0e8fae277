"""A child process with a log file, a readiness probe and a clean stop."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class PortTaken(RuntimeError):
    pass


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def require_free_port(port: int, what: str, setting: str) -> None:
    if not port_is_free(port):
        raise PortTaken(
            f"Port {port} untuk {what} sudah dipakai proses lain / "
            f"port {port} for {what} is taken. "
            f"Hentikan proses itu atau pilih port lain: {setting}=<port>."
        )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def free_ports() -> dict[str, Any]:
    """Every address setting of the stack on a port free now: a stack of its own beside any
    other (the test session, a benchmark), never one another's servers."""
    ports = {
        name: free_port()
        for name in (
            "db_port", "nats_monitor_port", "temporal_ui_port", "web_port", "proposal_port",
            "approval_port", "notification_port", "smtp_port", "worker_metrics_port",
            "relay_metrics_port",
        )
    }  # fmt: skip
    return ports | {
        "nats_url": f"nats://127.0.0.1:{free_port()}",
        "temporal_address": f"127.0.0.1:{free_port()}",
    }


def tcp_ready(port: int, host: str = "127.0.0.1") -> Callable[[], bool]:
    def probe() -> bool:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return True
        except OSError:
            return False

    return probe


@dataclass
class ManagedProcess:
    name: str
    args: Sequence[str]
    log_path: Path
    ready: Callable[[], bool]
    user: str | None = None
    env: dict[str, str] | None = None
    proc: subprocess.Popen[bytes] | None = field(default=None, init=False)

    def start(self, timeout: float = 60.0) -> ManagedProcess:
        """Spawn and wait until ready (start-up; a supervisor polls `ready` itself instead)."""
        self.spawn()
        assert self.proc is not None
        deadline = time.monotonic() + timeout
        while not self.ready():
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited early; see {self.log_path}")
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError(f"{self.name} not ready after {timeout}s; see {self.log_path}")
            time.sleep(0.1)
        return self

    def spawn(self) -> ManagedProcess:
        """Start the process and return at once; its output is appended to the log."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab")  # noqa: SIM115 - owned by the child for its lifetime
        self.proc = subprocess.Popen(
            list(self.args),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            user=self.user,
            env={**os.environ, **(self.env or {})},
            start_new_session=True,  # Ctrl-C in the terminal reaches us, and we stop children
        )
        log.close()
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    @property
    def returncode(self) -> int | None:
        return None if self.proc is None else self.proc.poll()

    def signal_group(self, sig: int) -> None:
        """Send `sig` to the process group and return at once (`alive` tells the outcome)."""
        if self.alive():
            assert self.proc is not None
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, sig)

    def kill_leftovers(self) -> None:
        """After the process died: SIGKILL what remains of its group (PostgreSQL's backends
        outlive a killed postmaster for a moment and would hold its shared memory)."""
        if self.proc is not None and self.proc.poll() is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.proc.pid, signal.SIGKILL)

    def log_tail(self, lines: int = 20) -> list[str]:
        """The last lines the process wrote (for a person told why it stopped)."""
        try:
            with open(self.log_path, "rb") as log:
                log.seek(0, os.SEEK_END)
                log.seek(max(0, log.tell() - 64 * 1024))
                text = log.read().decode(errors="replace")
        except OSError:
            return []
        return text.splitlines()[-lines:]

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15.0) -> None:
        if not self.alive():
            return
        assert self.proc is not None
        try:
            os.killpg(self.proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)

    def kill(self) -> None:
        """SIGKILL, as a crash would: no clean-up runs."""
        self.stop(signal.SIGKILL)
