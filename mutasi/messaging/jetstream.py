"""Connecting to NATS and declaring the one stream every Mutasi subject lives on."""

from __future__ import annotations

import nats
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError

from mutasi.settings import Settings

SUBJECTS = ["mutasi.>"]


def stream_config(settings: Settings) -> StreamConfig:
    return StreamConfig(
        name=settings.stream_name,
        subjects=SUBJECTS,
        retention=RetentionPolicy.LIMITS,
        storage=StorageType(settings.stream_storage),
        num_replicas=settings.stream_replicas,
        # Nats-Msg-Id dedup window: a relay retry within it is dropped by the server.
        duplicate_window=settings.stream_duplicate_window_s,
        max_age=settings.stream_max_age_days * 86400.0,
        discard=DiscardPolicy.OLD,
    )


async def connect(settings: Settings, *, name: str, user: str | None = None,
                  password: str | None = None) -> Client:
    return await nats.connect(
        settings.nats_url,
        name=name,
        user=user or settings.nats_user,
        password=password or settings.nats_password,
        max_reconnect_attempts=-1,
        reconnect_time_wait=0.5,
        connect_timeout=5,
    )


async def ensure_stream(js: JetStreamContext, settings: Settings) -> None:
    config = stream_config(settings)
    try:
        await js.stream_info(settings.stream_name)
        await js.update_stream(config)
    except NotFoundError:
        await js.add_stream(config)
