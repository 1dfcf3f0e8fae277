"""The embedded NATS fsyncs before it acknowledges: an event the relay marked as sent is on
disk, so a killed server cannot forget it (tests/faults shows the loss without this)."""

from __future__ import annotations

import httpx


def test_jetstream_acknowledges_only_what_is_on_disk(servers, settings):
    varz = httpx.get(f"http://127.0.0.1:{settings.nats_monitor_port}/varz", timeout=10).json()
    assert varz["jetstream"]["config"]["sync_always"] is True
