"""Prometheus metrics of this process: define one anywhere, expose them all at `/metrics`.

Every Mutasi process (the services, the worker, the relay) serves the same registry: the
services on their own HTTP port (mutasi.web.app), the worker and the relay on
`settings.worker_metrics_port` / `settings.relay_metrics_port` (`serve`).

To add a metric from any module, at import time:

    from mutasi import metrics
    STALLS = metrics.counter("mutasi_relay_stalls_total", "Relay rounds that found …", ["tenant"])
    STALLS.labels(tenant).inc()

Names start with `mutasi_`, counters end in `_total`, durations are in seconds. Label values
must come from small sets (tenant slugs, statuses, channels), never ids. Defining the same name
again returns the metric already defined (modules are imported once, tests may reload them).
The metrics every alert and dashboard in deploy/ uses are checked against the exposition by
tests/integration/test_metrics.py.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any, TypeVar

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    start_http_server,
)
from prometheus_client.registry import Collector

CONTENT_TYPE = CONTENT_TYPE_LATEST
_lock = threading.Lock()
_defined: dict[str, Any] = {}
M = TypeVar("M", Counter, Gauge, Histogram)

# Request and step durations: 5 ms … 30 s.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


def _define(kind: type[M], name: str, doc: str, labels: Sequence[str], **extra: Any) -> M:
    with _lock:
        found = _defined.get(name)
        if found is None:
            found = _defined[name] = kind(name, doc, list(labels), **extra)
        if not isinstance(found, kind):
            raise TypeError(f"metric {name} is already a {type(found).__name__}")
        return found


def counter(name: str, doc: str, labels: Sequence[str] = ()) -> Counter:
    return _define(Counter, name, doc, labels)


def gauge(name: str, doc: str, labels: Sequence[str] = ()) -> Gauge:
    return _define(Gauge, name, doc, labels)


def histogram(
    name: str, doc: str, labels: Sequence[str] = (), buckets: Sequence[float] = LATENCY_BUCKETS
) -> Histogram:
    return _define(Histogram, name, doc, labels, buckets=tuple(buckets))


def register(collector: Collector) -> None:
    """A collector computing its samples at scrape time (Temporal's SDK metrics, DB counts)."""
    REGISTRY.register(collector)


def exposition() -> bytes:
    """The whole registry in the Prometheus text format."""
    return generate_latest(REGISTRY)


def serve(port: int, host: str) -> Any:
    """Serve `/metrics` from a thread (worker, relay: processes without an HTTP app).

    Returns the server; `shutdown()` it on stop. Port 0 means: do not serve.
    """
    if not port:
        return None
    server, _thread = start_http_server(port, addr=host)
    return server
