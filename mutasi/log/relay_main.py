"""The relay process: the outbox relay with stream set-up; beside it the checkpointer and the
log's /metrics probes."""

from __future__ import annotations

import asyncio

from mutasi.db import create_pool
from mutasi.log.checkpoints import Checkpointer
from mutasi.log.relay import OutboxRelay
from mutasi.logging import get_logger
from mutasi.messaging.jetstream import connect, ensure_stream
from mutasi.settings import Settings
from mutasi.telemetry.log_probes import log_probes
from mutasi.telemetry.sampler import sample_forever

log = get_logger(__name__)


async def run_relay(settings: Settings, stop: asyncio.Event) -> None:
    pool = await create_pool(settings, max_size=4)
    nc = await connect(settings, name="relay")
    js = nc.jetstream()
    await ensure_stream(js, settings)
    checkpointer = Checkpointer(pool, settings)
    log.info("relay_started")
    try:
        # The checkpoints it appends leave through this same outbox, to JetStream. If either
        # fails, the group cancels the other, so the process exits instead of half-running.
        async with asyncio.TaskGroup() as group:
            group.create_task(OutboxRelay(pool, js).run(stop))
            group.create_task(checkpointer.run(stop))
            group.create_task(
                sample_forever(log_probes(pool), settings.metrics_sample_interval_s, stop)
            )
    finally:
        await nc.drain()
        await pool.close()
