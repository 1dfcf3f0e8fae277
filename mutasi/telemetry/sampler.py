"""State that only the database or NATS knows, sampled into gauges every few seconds.

A probe is an async function that reads and sets its gauges. The relay process runs the log's
probes (outbox, checkpoints, verifications, transfers, deadlines); the notification service
runs its own (dead letters, deliveries, consumer lag). With several replicas each one reports
the same values: alerts and dashboards take max() over instances.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator, Sequence

from prometheus_client.core import CounterMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector

from mutasi import metrics
from mutasi.logging import get_logger

log = get_logger(__name__)
Probe = Callable[[], Awaitable[None]]

SAMPLE_FAILURES = metrics.counter(
    "mutasi_metrics_sample_failures_total", "Probes that could not read their state", ["probe"]
)


class SampledCounter(Collector):
    """A count kept by the database (it only grows), exposed as a Prometheus counter.

    Unlike a counter in memory it survives restarts and agrees across replicas.
    """

    def __init__(self, name: str, doc: str, labels: Sequence[str]) -> None:
        self.name, self.doc, self.labels = name, doc, list(labels)
        self.values: dict[tuple[str, ...], float] = {}
        metrics.register(self)

    def set(self, values: dict[tuple[str, ...], float]) -> None:
        self.values = values

    def collect(self) -> Iterator[Metric]:
        family = CounterMetricFamily(self.name.removesuffix("_total"), self.doc, labels=self.labels)
        for labels, value in self.values.items():
            family.add_metric(list(labels), value)
        yield family

    def describe(self) -> Iterator[Metric]:
        # Names only (no sampling) when the registry checks for duplicates.
        yield CounterMetricFamily(self.name.removesuffix("_total"), self.doc, labels=self.labels)


async def sample_forever(probes: dict[str, Probe], interval_s: float, stop: asyncio.Event) -> None:
    """Run every probe, then again after `interval_s`, until `stop`; a failing probe is
    counted and logged and the others carry on (a database restart must not end sampling)."""
    while not stop.is_set():
        for name, probe in probes.items():
            try:
                await probe()
            except Exception as exc:  # noqa: BLE001 - the next round tries again
                SAMPLE_FAILURES.labels(name).inc()
                log.warning("metrics_probe_failed", probe=name, error=str(exc))
        try:
            await asyncio.wait_for(stop.wait(), timeout=interval_s)
        except TimeoutError:
            pass
