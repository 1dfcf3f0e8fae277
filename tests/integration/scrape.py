"""Reading /metrics as Prometheus does: every process's endpoint, parsed into samples."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import httpx
from prometheus_client.parser import text_string_to_metric_families

from mutasi.settings import Settings

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def endpoints(settings: Settings) -> dict[str, str]:
    """Where each process of the stack serves /metrics."""
    host = settings.bind_host
    return {
        "proposal": f"http://{host}:{settings.proposal_port}/metrics",
        "approval": f"http://{host}:{settings.approval_port}/metrics",
        "notification": f"http://{host}:{settings.notification_port}/metrics",
        "worker": f"http://{host}:{settings.worker_metrics_port}/metrics",
        "relay": f"http://{host}:{settings.relay_metrics_port}/metrics",
    }


def parse(text: str) -> Samples:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def scrape(url: str) -> Samples:
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.get(url)
    response.raise_for_status()
    assert response.headers["content-type"].startswith("text/plain; version=")
    return parse(response.text)


def value(samples: Samples, name: str, **labels: str) -> float | None:
    return samples.get((name, frozenset(labels.items())))


async def eventually(url: str, check: Callable[[Samples], bool], timeout: float = 30.0) -> Samples:
    """Scrape until `check` holds (probes sample every second in the test session)."""
    deadline = time.monotonic() + timeout
    while True:
        samples = await scrape(url)
        if check(samples) or time.monotonic() > deadline:
            return samples
        await asyncio.sleep(0.5)
