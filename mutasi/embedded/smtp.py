"""A local SMTP sink (aiosmtpd) for development: each message lands as a file in var/mail/."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from mutasi.settings import Settings


class MaildirHandler:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        name = f"{time.time_ns()}.eml"
        (self.directory / name).write_bytes(envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"


async def run_smtp_sink(settings: Settings, stop: asyncio.Event) -> None:
    controller = Controller(
        MaildirHandler(settings.var_dir / "mail"),
        hostname=settings.smtp_host,
        port=settings.smtp_port,
    )
    controller.start()
    try:
        await stop.wait()
    finally:
        controller.stop()
