"""The whole embedded system: servers plus our components, each a child process.

`mutasi run` uses it with the default ports and var/; the test session with free ports and a
temporary directory, so tests run against exactly what a developer runs.
"""

from __future__ import annotations

import json
import sys
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

from mutasi.components import HTTP_APPS, service_port
from mutasi.embedded.nats import nats_credentials, nats_process, nats_users, write_nats_config
from mutasi.embedded.postgres import postgres_process
from mutasi.embedded.process import ManagedProcess, require_free_port, tcp_ready
from mutasi.embedded.temporal import temporal_process
from mutasi.settings import Settings


def settings_env(settings: Settings) -> dict[str, str]:
    """The settings as MUTASI_* variables, so child processes read the same values."""
    env = {}
    for name, value in settings.model_dump().items():
        if value is not None:
            # A mapping must arrive as JSON, which is how the settings parse it back.
            text = json.dumps(value) if isinstance(value, dict) else str(value)
            env[f"MUTASI_{name.upper()}"] = text
    return env


def _http_ok(url: str) -> Callable[[], bool]:
    def probe() -> bool:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 - loopback
                return bool(response.status == 200)
        except OSError:
            return False

    return probe


def _port_of(address: str) -> int:
    return int(address.rsplit(":", 1)[1])


@dataclass
class Stack:
    settings: Settings
    temporal_ui: bool = True
    servers: dict[str, ManagedProcess] = field(default_factory=dict)
    components: dict[str, ManagedProcess] = field(default_factory=dict)

    @property
    def logs(self):  # noqa: ANN201 - a Path
        return self.settings.var_dir / "logs"

    def ports(self) -> list[tuple[int, str, str]]:
        """Every port the stack listens on: (port, what, the setting that moves it)."""
        s = self.settings
        wanted = [
            (s.db_port, "PostgreSQL", "MUTASI_DB_PORT"),
            (int(s.nats_url.rsplit(":", 1)[1]), "NATS", "MUTASI_NATS_URL"),
            (s.nats_monitor_port, "NATS monitoring", "MUTASI_NATS_MONITOR_PORT"),
            (_port_of(s.temporal_address), "Temporal", "MUTASI_TEMPORAL_ADDRESS"),
            (s.web_port, "web application", "MUTASI_WEB_PORT"),
            (s.proposal_port, "proposal service", "MUTASI_PROPOSAL_PORT"),
            (s.approval_port, "approval service", "MUTASI_APPROVAL_PORT"),
            (s.notification_port, "notification service", "MUTASI_NOTIFICATION_PORT"),
            (s.smtp_port, "SMTP sink", "MUTASI_SMTP_PORT"),
            (s.worker_metrics_port, "worker metrics", "MUTASI_WORKER_METRICS_PORT"),
            (s.relay_metrics_port, "relay metrics", "MUTASI_RELAY_METRICS_PORT"),
        ]
        if self.temporal_ui:
            wanted.append((s.temporal_ui_port, "Temporal UI", "MUTASI_TEMPORAL_UI_PORT"))
        return wanted

    def check_ports(self) -> None:
        for port, what, setting in self.ports():
            require_free_port(port, what, setting)

    def start_servers(self) -> None:
        s, var = self.settings, self.settings.var_dir
        self.servers["postgres"] = postgres_process(
            var / "postgres", s.db_port, self.logs / "postgres.log"
        ).start()
        nats_config = write_nats_config(
            var / "nats" / "nats.conf", s.keys_dir, s.stream_name, s.nats_no_auth_user
        )
        self.servers["nats"] = nats_process(
            var / "nats",
            int(s.nats_url.rsplit(":", 1)[1]),
            s.nats_monitor_port,
            self.logs / "nats.log",
            config=nats_config,
        ).start()
        self.servers["temporal"] = temporal_process(
            var / "temporal" / "temporal.db",
            _port_of(s.temporal_address),
            s.temporal_ui_port if self.temporal_ui else None,
            self.logs / "temporal.log",
        ).start()

    def component(self, name: str) -> ManagedProcess:
        ready: Callable[[], bool] = lambda: True  # noqa: E731 - worker/relay have no port
        if name in HTTP_APPS:
            ready = _http_ok(
                f"http://{self.settings.bind_host}:{service_port(self.settings, name)}/readyz"
            )
        elif name == "smtp":
            ready = tcp_ready(self.settings.smtp_port)
        return ManagedProcess(
            name,
            [sys.executable, "-m", "mutasi.cli", "component", name],
            self.logs / f"{name}.log",
            ready,
            env=self.component_env(name),
        )

    def component_env(self, name: str) -> dict[str, str]:
        """The settings, with this component's own NATS user (or none: it uses no NATS)."""
        # Empty, not absent, so a user exported in the parent's environment is not inherited.
        env = settings_env(self.settings) | {"MUTASI_NATS_USER": "", "MUTASI_NATS_PASSWORD": ""}
        users = nats_users(self.settings.stream_name)
        if name in users:
            password = nats_credentials(self.settings.keys_dir, list(users))[name]
            env |= {"MUTASI_NATS_USER": name, "MUTASI_NATS_PASSWORD": password}
        return env

    def start_component(self, name: str) -> ManagedProcess:
        process = self.component(name).start(timeout=90)
        self.components[name] = process
        return process

    def stop(self) -> None:
        for process in reversed(list(self.components.values())):
            process.stop()
        for process in reversed(list(self.servers.values())):
            process.stop()
