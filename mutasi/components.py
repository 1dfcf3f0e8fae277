"""Run one long-lived component (a service, the worker, the relay) until SIGTERM/SIGINT."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Awaitable, Callable

import uvicorn

from mutasi import metrics
from mutasi.settings import Settings
from mutasi.telemetry.tracing import configure_tracing

SERVICES = {
    "proposal": "services.proposal.app",
    "approval": "services.approval.app",
    "notification": "services.notification.app",
}
# The web application is a client of the services' APIs, not an API itself (no policy
# table entries), so it is kept apart from SERVICES.
WEB = {"web": "services.web.app"}
HTTP_APPS = SERVICES | WEB
COMPONENTS = (*SERVICES, "web", "worker", "relay", "smtp")


def service_port(settings: Settings, name: str) -> int:
    return {
        "web": settings.web_port,
        "proposal": settings.proposal_port,
        "approval": settings.approval_port,
        "notification": settings.notification_port,
    }[name]


async def _until_signalled(body: Callable[[asyncio.Event], Awaitable[None]]) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await body(stop)


async def _run_headless(settings: Settings, name: str, stop: asyncio.Event) -> None:
    if name == "worker":
        from workflows.worker import run_worker

        await run_worker(settings, stop)
    else:
        from mutasi.log.relay_main import run_relay

        await run_relay(settings, stop)


async def _serve(settings: Settings, name: str) -> None:
    import importlib

    app = importlib.import_module(HTTP_APPS[name]).create_app(settings)
    config = uvicorn.Config(
        app,
        host=settings.bind_host,
        port=service_port(settings, name),
        log_config=None,
        access_log=False,
        lifespan="on",
    )
    await uvicorn.Server(config).serve()


def _metrics_port(settings: Settings, name: str) -> int:
    return {"worker": settings.worker_metrics_port, "relay": settings.relay_metrics_port}[name]


def run_component(settings: Settings, name: str) -> None:
    configure_tracing(settings, name)
    if name in HTTP_APPS:
        asyncio.run(_serve(settings, name))
    elif name in ("worker", "relay"):
        server = metrics.serve(_metrics_port(settings, name), settings.bind_host)
        try:
            asyncio.run(_until_signalled(lambda stop: _run_headless(settings, name, stop)))
        finally:
            if server is not None:
                server.shutdown()
    elif name == "smtp":
        from mutasi.embedded.smtp import run_smtp_sink

        asyncio.run(_until_signalled(lambda stop: run_smtp_sink(settings, stop)))
    else:
        raise ValueError(f"unknown component {name!r}; one of {', '.join(COMPONENTS)}")
