"""Connecting to NATS and declaring the one stream every Mutasi subject lives on."""

from __future__ import annotations

import nats
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError

from mutasi.auth.transport import nats_tls
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


def inbox_prefix(user: str) -> str:
    """Each NATS user's replies arrive under its own inbox, which no other user may read."""
    return f"_INBOX.{user}"


async def connect(
    settings: Settings,
    *,
    name: str,
    user: str | None = None,
    password: str | None = None,
    reconnect: bool = True,
    connect_timeout: float = 5,
) -> Client:
    """Connect as this component's NATS user (settings.nats_user, set per component).

    Replies arrive under the user's own inbox prefix, the only one its permissions let it
    read (mutasi/embedded/nats.py). `nats_url` may list several servers, comma-separated.
    Services reconnect forever; a one-off command passes `reconnect=False` to fail fast.
    """
    user = user or settings.nats_user
    return await nats.connect(
        [url.strip() for url in settings.nats_url.split(",") if url.strip()],
        name=name,
        user=user,
        password=password or settings.nats_password,
        inbox_prefix=inbox_prefix(user) if user else "_INBOX",
        allow_reconnect=reconnect,
        max_reconnect_attempts=-1,
        reconnect_time_wait=0.5,
        connect_timeout=connect_timeout,
        tls=nats_tls(settings),
    )


async def ensure_stream(js: JetStreamContext, settings: Settings) -> None:
    """Create the stream, or bring its configuration up to date when it differs.

    Unchanged, the stream is only read: consumers (whose NATS users may not manage streams)
    call this too, to wait for nothing and fail fast if the stream is absent.
    """
    config = stream_config(settings)
    try:
        current = (await js.stream_info(settings.stream_name)).config
    except NotFoundError:
        await js.add_stream(config)
        return
    if _differs(current, config):
        await js.update_stream(config)


def _differs(current: StreamConfig, wanted: StreamConfig) -> bool:
    fields = (
        "subjects",
        "retention",
        "storage",
        "num_replicas",
        "duplicate_window",
        "max_age",
        "discard",
    )
    return any(getattr(current, f) != getattr(wanted, f) for f in fields)
