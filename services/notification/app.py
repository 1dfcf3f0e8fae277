"""Notification service: consumes transfer events from JetStream and keeps each inbox."""

from __future__ import annotations

import asyncio

from fastapi import FastAPI

from mutasi.messaging.consumer import DurableConsumer
from mutasi.messaging.jetstream import connect, ensure_stream
from mutasi.settings import Settings, get_settings
from mutasi.web.app import create_service_app
from services.notification import routes
from services.notification.fanout import notify

CONSUMER = "notification"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    async def start(app: FastAPI) -> None:
        app.state.nats = await connect(settings, name="notification")
        js = app.state.nats.jetstream()
        await ensure_stream(js, settings)
        consumer = DurableConsumer(app.state.pool, js, name=CONSUMER,
                                   stream=settings.stream_name, subject="mutasi.>",
                                   handler=notify)
        app.state.stop = asyncio.Event()
        app.state.consumer = asyncio.create_task(consumer.run(app.state.stop))

    async def stop(app: FastAPI) -> None:
        app.state.stop.set()
        await asyncio.wait_for(app.state.consumer, timeout=5)
        await app.state.nats.drain()

    return create_service_app(
        "Mutasi — layanan notifikasi (notification service)",
        "Kotak masuk notifikasi; konsumen peristiwa mutasi dari NATS JetStream.",
        settings, [routes.router], temporal=False, on_start=start, on_stop=stop)
