"""Notification service: the composition root.

A durable JetStream consumer turns each event into in-app notices and queued e-mails and
webhook calls (one transaction per event, acked after commit); a delivery loop in the same
process sends what is queued. The HTTP API serves inboxes, preferences and subscriptions.
"""

from __future__ import annotations

import asyncio
import contextlib

from fastapi import FastAPI

from mutasi.messaging.consumer import DurableConsumer
from mutasi.messaging.jetstream import connect, ensure_stream
from mutasi.settings import Settings, get_settings
from mutasi.telemetry.sampler import sample_forever
from mutasi.web.app import create_service_app
from services.notification.delivery import DeliveryLoop
from services.notification.fanout import Fanout
from services.notification.probes import notification_probes
from services.notification.routes import contacts, dead_letters, inbox, subscriptions

CONSUMER = "notification"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    async def start(app: FastAPI) -> None:
        app.state.nats = await connect(settings, name="notification")
        js = app.state.nats.jetstream()
        await ensure_stream(js, settings)
        consumer = DurableConsumer(
            app.state.pool,
            js,
            name=CONSUMER,
            stream=settings.stream_name,
            subject="mutasi.>",
            handler=Fanout(settings),
        )
        app.state.consumer = consumer  # dead letters are redriven through its handler
        app.state.stop = asyncio.Event()
        app.state.tasks = [
            asyncio.create_task(consumer.run(app.state.stop), name="notification-consumer"),
            asyncio.create_task(
                DeliveryLoop(app.state.pool, settings).run(app.state.stop),
                name="notification-delivery",
            ),
            asyncio.create_task(
                sample_forever(
                    notification_probes(app.state.pool, js, settings.stream_name, CONSUMER),
                    settings.metrics_sample_interval_s,
                    app.state.stop,
                ),
                name="notification-metrics",
            ),
        ]

    async def stop(app: FastAPI) -> None:
        app.state.stop.set()
        for task in app.state.tasks:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(task, timeout=8)
        # Not drain(): it waits for the pull subscription's buffered messages to be handled,
        # which no one does any more, so a stop hung until systemd's SIGKILL. Whatever was
        # fetched and not acked is redelivered to the next run (processed_events dedupes).
        with contextlib.suppress(Exception):
            await app.state.nats.flush(timeout=2)
        await app.state.nats.close()

    return create_service_app(
        "Mutasi — layanan notifikasi (notification service)",
        "Kotak masuk, surel dan webhook bertanda tangan atas peristiwa mutasi dari NATS "
        "JetStream; tepat satu pemberitahuan per penerima, per peristiwa, per saluran.",
        settings,
        [inbox.router, contacts.router, subscriptions.router, dead_letters.router],
        temporal=False,
        on_start=start,
        on_stop=stop,
    )
