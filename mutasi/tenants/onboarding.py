"""A government joins, or changes its configuration: one event in its own log each time.

The same path serves `mutasi tenant add`, the national administrator's API and the demo seed,
so a sixth government is added exactly as the five demo ones were: no code change, no SQL.
The event and the `tenants` row commit together (the projection runs in the append's
transaction); a retried call with the same event id records nothing twice.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid5

import asyncpg

from mutasi.documents.decree_number import (
    InvalidDecreeNumberFormat,
    validate_decree_number_format,
)
from mutasi.domain.events import TenantEvent
from mutasi.domain.tenant_config import TenantConfiguration, TenantConfigured, TenantRegistered
from mutasi.errors import Conflict, InvalidInput, NotFound
from mutasi.log.projections import ReadModels
from mutasi.log.store import Actor, NewEvent, append, read_stream
from mutasi.tenants.config import load_tenant_config

_REGISTRATION_IDS = UUID("6f1d3c2e-1b1a-4c39-9c5e-0a4f7f1e2d16")


def stream_of(slug: str) -> str:
    return f"tenant/{slug}"


def _check_decree_format(config: TenantConfiguration) -> None:
    try:
        validate_decree_number_format(config.decree_number_format)
    except InvalidDecreeNumberFormat as exc:
        raise InvalidInput(
            str(exc), "Invalid decree number format", field="decree_number_format"
        ) from exc


async def is_registered(conn: asyncpg.Connection, slug: str) -> bool:
    return bool(
        await conn.fetchval(
            "SELECT EXISTS (SELECT 1 FROM event_log WHERE stream = $1 AND version = 1)",
            stream_of(slug),
        )
    )


async def register_tenant(
    conn: asyncpg.Connection, config: TenantConfiguration, actor: Actor, reason: str | None
) -> TenantConfiguration:
    """Record `tenant.registered`; 409 if the government is already registered.

    A government whose row predates issue 16 (no event yet) is registered over it, which is
    how `make run`'s older databases and the seed converge on one path.
    """
    _check_decree_format(config)
    async with conn.transaction():
        # Registration of one slug is serialised: two concurrent adds cannot both pass.
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext('tenant:' || $1))", config.slug)
        if await is_registered(conn, config.slug):
            raise Conflict(
                f"Pemerintah daerah '{config.slug}' sudah terdaftar",
                f"Government '{config.slug}' is already registered",
            )
        event = NewEvent(
            stream_of(config.slug),
            TenantEvent.REGISTERED,
            TenantRegistered(**config.model_dump()).model_dump(mode="json"),
            actor,
            reason,
            # One registration per government: a retry of the same request is the same fact.
            event_id=uuid5(_REGISTRATION_IDS, config.slug),
            expected_version=0,
        )
        await append(conn, config.slug, [event], projector=ReadModels())
    return config


async def configure_tenant(
    conn: asyncpg.Connection,
    slug: str,
    changes: dict[str, Any],
    actor: Actor,
    reason: str | None,
    *,
    event_id: UUID | None = None,
) -> tuple[TenantConfiguration, list[str]]:
    """Record `tenant.configured` with the whole configuration after `changes`.

    Returns the new configuration and the names of the settings that changed; nothing is
    recorded when nothing changes. `slug` itself cannot change (it names the log).
    """
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext('tenant:' || $1))", slug)
        current = await load_tenant_config(conn, slug)
        if current is None:
            raise NotFound("Pemerintah daerah tidak ditemukan", "Government not found")
        if "slug" in changes and changes["slug"] != slug:
            raise InvalidInput("Slug tidak dapat diubah", "The slug cannot change", field="slug")
        try:
            updated = current.with_changes(**changes)
        except ValueError as exc:  # pydantic's ValidationError is a ValueError
            raise InvalidInput("Konfigurasi tidak valid", f"Invalid configuration: {exc}") from exc
        _check_decree_format(updated)
        changed = updated.differences(current)
        if not changed:
            return current, []
        version = len(await read_stream(conn, slug, stream_of(slug)))
        extra = {"event_id": event_id} if event_id else {}
        event = NewEvent(
            stream_of(slug),
            TenantEvent.CONFIGURED,
            TenantConfigured(**updated.model_dump(), changed=tuple(changed)).model_dump(
                mode="json"
            ),
            actor,
            reason,
            expected_version=version,
            **extra,
        )
        await append(conn, slug, [event], projector=ReadModels())
    return updated, changed
