"""Every request counted, timed and traced: one ASGI middleware in front of each service.

Metrics are labelled by the route's template (`/transfers/{transfer_id}`), never the raw
path, so ids do not multiply series. A request carrying W3C `traceparent` continues the
caller's trace (the web application's, a load balancer's); otherwise it starts one.
Probes and `/metrics` are counted but not traced: they would drown every trace view.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI
from fastapi.params import Depends
from fastapi.responses import Response
from opentelemetry.trace import SpanKind, Status, StatusCode
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mutasi import metrics
from mutasi.telemetry.tracing import context_from, tracer

REQUESTS = metrics.counter(
    "mutasi_http_requests_total",
    "HTTP requests answered, by method, route template and status code",
    ["method", "route", "status"],
)
DURATION = metrics.histogram(
    "mutasi_http_request_duration_seconds",
    "Time to answer an HTTP request, by method and route template",
    ["method", "route"],
)
UNTRACED = frozenset({"/metrics", "/healthz", "/readyz"})


def _trace_headers(scope: Scope) -> dict[str, str]:
    found = {}
    for key, value in scope.get("headers", ()):
        if key in (b"traceparent", b"tracestate"):
            found[key.decode()] = value.decode("latin-1")
    return found


class ObserveRequests:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500  # what a crash before the response started amounts to
        method = scope["method"]

        async def send_observed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        started = time.perf_counter()
        if scope["path"] in UNTRACED:
            try:
                await self.app(scope, receive, send_observed)
            finally:
                self._count(scope, method, status, started)
            return
        with tracer.start_as_current_span(
            f"{method} {scope['path']}", context=context_from(_trace_headers(scope)),
            kind=SpanKind.SERVER,
        ) as span:  # fmt: skip
            try:
                await self.app(scope, receive, send_observed)
            finally:
                route = self._count(scope, method, status, started)
                if span.is_recording():
                    self._describe(span, method, route, status)

    @staticmethod
    def _count(scope: Scope, method: str, status: int, started: float) -> str:
        # The router wrote the matched route into the scope; nothing matched: one bucket.
        route = getattr(scope.get("route"), "path", None) or "unmatched"
        REQUESTS.labels(method, route, str(status)).inc()
        DURATION.labels(method, route).observe(time.perf_counter() - started)
        return route

    @staticmethod
    def _describe(span: Any, method: str, route: str, status: int) -> None:
        span.update_name(f"{method} {route}")
        span.set_attribute("http.request.method", method)
        span.set_attribute("http.route", route)
        span.set_attribute("http.response.status_code", status)
        if status >= 500:
            span.set_status(Status(StatusCode.ERROR))


def install_observability(app: FastAPI, dependencies: Sequence[Depends] = ()) -> None:
    """Count and trace every request; serve `/metrics` (before the app's own routes)."""
    app.add_middleware(ObserveRequests)

    @app.get(
        "/metrics",
        tags=["health"],
        summary="Metrik Prometheus / Prometheus metrics",
        dependencies=list(dependencies),
        response_class=Response,
        include_in_schema=False,  # for Prometheus, not an API clients call
    )
    async def prometheus_metrics() -> Response:
        # In a thread: Temporal's SDK metrics are read from the core over loopback.
        body = await asyncio.to_thread(metrics.exposition)
        return Response(body, media_type=metrics.CONTENT_TYPE)
