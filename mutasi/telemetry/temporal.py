"""Temporal's SDK metrics in this process's `/metrics`.

The SDK's core (Rust) counts everything itself — requests, workflow and activity tasks, their
latencies, sticky cache, pollers — and can serve it in the Prometheus format. Re-recording
each update in Python would cost the worker CPU on every task; instead the core serves on a
private loopback port and our `/metrics` reads that page at scrape time and re-exposes it.
Names keep Temporal's own (`temporal_…`, counters with `_total`, durations in `_seconds`).
"""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from prometheus_client.metrics_core import Metric
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.registry import Collector
from temporalio.contrib.opentelemetry import TracingInterceptor
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig

from mutasi import metrics
from mutasi.embedded.process import free_port
from mutasi.logging import get_logger
from mutasi.telemetry.tracing import tracing_enabled

log = get_logger(__name__)


class TemporalSdkMetrics(Collector):
    def __init__(self, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}/metrics"

    def collect(self) -> Iterator[Metric]:
        try:
            with urllib.request.urlopen(self.url, timeout=2) as response:  # noqa: S310 - loopback
                text = response.read().decode()
        except OSError as exc:  # the core not serving yet: the rest of /metrics still answers
            log.warning("temporal_metrics_unavailable", error=str(exc))
            return
        yield from text_string_to_metric_families(text)


@lru_cache(maxsize=1)
def temporal_runtime() -> Runtime:
    """The process's one Temporal runtime, its metrics joined to `/metrics`.

    Every Client of the process must be connected with `runtime=temporal_runtime()`.
    """
    port = free_port()
    runtime = Runtime(
        telemetry=TelemetryConfig(
            metrics=PrometheusConfig(
                bind_address=f"127.0.0.1:{port}",
                counters_total_suffix=True,
                unit_suffix=True,
                durations_as_seconds=True,
            )
        )
    )
    metrics.register(TemporalSdkMetrics(port))
    return runtime


def temporal_client_options() -> dict[str, Any]:
    """`Client.connect` keywords for every client of the process: the runtime whose metrics
    `/metrics` shows, and when tracing is on, the SDK's tracing interceptor (it also applies
    to workers built on the client)."""
    interceptors = [TracingInterceptor()] if tracing_enabled() else []
    return {"runtime": temporal_runtime(), "interceptors": interceptors}
