"""`mutasi run`: the embedded stack, migrated and seeded, until Ctrl-C."""

from __future__ import annotations

import asyncio
import signal
import time

from mutasi.auth.tokens import ensure_dev_keys, issue_token
from mutasi.db import migrate
from mutasi.embedded.process import PortTaken
from mutasi.embedded.stack import Stack
from mutasi.embedded.supervisor import GaveUp, Supervisor
from mutasi.seed.load import DEMO_PEOPLE, seed_all
from mutasi.settings import Settings

COMPONENTS = ("smtp", "worker", "relay", "proposal", "approval", "notification", "web")


def _banner(settings: Settings) -> str:
    host = settings.bind_host
    lines = [
        "",
        "Mutasi berjalan / Mutasi is running:",
        f"  Aplikasi web        {settings.web_url}/  (masuk sebagai orang demo mana pun)",
        f"  Layanan usulan      http://{host}:{settings.proposal_port}/docs",
        f"  Layanan persetujuan http://{host}:{settings.approval_port}/docs",
        f"  Layanan notifikasi  http://{host}:{settings.notification_port}/docs",
        f"  Temporal UI         http://{host}:{settings.temporal_ui_port}",
        f"  NATS monitoring     http://{host}:{settings.nats_monitor_port}",
        f"  PostgreSQL          {settings.db_host}:{settings.db_port} (db {settings.db_name})",
        f"  Surel (SMTP sink)   {settings.smtp_host}:{settings.smtp_port} -> "
        f"{settings.var_dir / 'mail'}",
        f"  Log                 {settings.var_dir / 'logs'}",
        "",
        "Token demo (Authorization: Bearer …), berlaku 8 jam:",
    ]
    for label, claims in DEMO_PEOPLE.items():
        lines.append(f"  {label}: {issue_token(settings, **claims)}")
    lines += ["", "Coba / try:  .venv/bin/mutasi demo", "Hentikan / stop: Ctrl-C", ""]
    return "\n".join(lines)


def _say(line: str) -> None:
    print(line, flush=True)


def launch(settings: Settings) -> int:
    if not settings.webhook_allowed_networks:
        # The local demo's webhook receivers run on this machine, which a deployment refuses
        # as an SSRF target (docs/webhooks.md); MUTASI_WEBHOOK_ALLOWED_NETWORKS overrides.
        settings = settings.model_copy(
            update={"webhook_allowed_networks": ["127.0.0.0/8", "::1/128"]}
        )
    stack = Stack(settings)
    try:
        stack.check_ports()
    except PortTaken as exc:
        print(f"mutasi run: {exc}")
        return 1
    stopping, code = False, 0

    def _stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    try:
        print("Menyalakan PostgreSQL, NATS dan Temporal …", flush=True)
        stack.start_servers()
        ensure_dev_keys(settings)
        print("Migrasi dan data awal …", flush=True)
        asyncio.run(migrate(settings))
        print(asyncio.run(seed_all(settings)), flush=True)
        for name in COMPONENTS:
            stack.start_component(name)
        print(_banner(settings), flush=True)
        supervisor = Supervisor.of(stack.servers, stack.components, echo=_say)
        while not stopping:
            time.sleep(0.25)
            supervisor.tick()
    except GaveUp as exc:
        print(exc, flush=True)
        code = 1
    finally:
        print("Menghentikan semua proses …", flush=True)
        stack.stop()
    print("Selesai.")
    return code
