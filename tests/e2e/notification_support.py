"""What the notification tests talk to: a real SMTP server and real HTTP webhook receivers.

The SMTP server listens on the port the stack's notification service sends to
(settings.smtp_port); it is started once per test process, whichever module asks first.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from mutasi.embedded.process import free_port
from mutasi.settings import Settings


class SmtpSink:
    """aiosmtpd on a port, keeping every message it accepts."""

    def __init__(self, host: str, port: int) -> None:
        self.messages: list[EmailMessage] = []
        self._lock = threading.Lock()
        self.controller = Controller(self, hostname=host, port=port)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(message)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def about(self, transfer_id: str) -> list[EmailMessage]:
        with self._lock:
            return [m for m in self.messages if m["X-Mutasi-Transfer-Id"] == transfer_id]


_SINK: SmtpSink | None = None


@pytest.fixture(scope="session")
def smtp_sink(settings: Settings) -> SmtpSink:
    global _SINK
    if _SINK is None:
        _SINK = SmtpSink(settings.smtp_host, settings.smtp_port)
        _SINK.controller.start()  # a daemon thread: it ends with the test process
    return _SINK


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return " ".join(part.get_content().split())


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes

    @property
    def event(self) -> dict[str, Any]:
        return dict(json.loads(self.body))


@dataclass
class WebhookReceiver:
    """A subscribing system: an HTTP server that can be down (not listening) and come back."""

    port: int = field(default_factory=free_port)
    received: list[Received] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/mutasi"

    def up(self) -> WebhookReceiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                receiver.received.append(
                    Received({k.lower(): v for k, v in self.headers.items()}, body)
                )
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def down(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    hook = WebhookReceiver()
    yield hook
    hook.down()


async def eventually(check: Callable[[], Any], timeout: float = 60, every: float = 0.2) -> Any:
    """Poll an (async or plain) check until it returns something truthy."""
    deadline = asyncio.get_running_loop().time() + timeout
    last: Any = None
    while asyncio.get_running_loop().time() < deadline:
        last = check()
        if asyncio.iscoroutine(last):
            last = await last
        if last:
            return last
        await asyncio.sleep(every)
    raise AssertionError(f"condition not met within {timeout}s; last: {last!r}")
