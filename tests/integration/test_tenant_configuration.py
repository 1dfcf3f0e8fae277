"""A government's configuration lives in its own log; the `tenants` row is its projection."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from mutasi.db import create_pool
from mutasi.domain.tenant_config import TenantConfiguration
from mutasi.errors import Conflict, InvalidInput
from mutasi.log.projections import rebuild
from mutasi.log.store import Actor, read_stream
from mutasi.tenants.config import load_tenant_config
from mutasi.tenants.onboarding import configure_tenant, register_tenant

ADMIN = Actor("admin@kemendagri", "national_admin")


def new_government(**changes: object) -> TenantConfiguration:
    slug = f"kota-uji-{uuid4().hex[:8]}"
    return TenantConfiguration.model_validate(
        {
            "slug": slug,
            "name": "Kota Uji",
            "kind": "kota",
            "province": "Sulawesi Tengah",
            "capital": "Kota Uji",
            "time_zone": "WITA",
            "decree_number_format": "821.2/{seq:03d}/BKPSDM/{month_roman}/{year}",
            "ppk": {"name": "Hadi Pranoto", "title": "Wali Kota Uji"},
            "bkpsdm_head": {
                "name": "Nur Aisyah",
                "title": "Kepala BKPSDM Kota Uji",
                "nip": "197806122003122004",
            },
            "extra_holidays": ["2026-10-02"],
            "incentive_policy": {"transport_min_km": 40, "transport_allowance_idr": 500000},
        }
        | changes
    )


async def test_a_registered_government_reads_back_exactly_as_configured(pool):
    config = new_government()
    async with pool.acquire() as conn:
        await register_tenant(conn, config, ADMIN, "Bergabung dengan Mutasi")
        assert await load_tenant_config(conn, config.slug) == config
        row = await conn.fetchrow(
            "SELECT timezone, head_title FROM tenants WHERE slug = $1", config.slug
        )
        [entry] = await read_stream(conn, config.slug, f"tenant/{config.slug}")
    assert (row["timezone"], row["head_title"]) == ("Asia/Makassar", "Wali Kota Uji")
    assert (entry.event_type, entry.actor_role) == ("tenant.registered", "national_admin")
    assert entry.reason == "Bergabung dengan Mutasi"


async def test_registering_the_same_government_twice_is_refused(pool):
    config = new_government()
    async with pool.acquire() as conn:
        await register_tenant(conn, config, ADMIN, None)
        with pytest.raises(Conflict):
            await register_tenant(conn, config.with_changes(name="Kota Lain"), ADMIN, None)
        assert (await load_tenant_config(conn, config.slug)).name == "Kota Uji"


async def test_a_change_is_one_event_naming_what_changed(pool):
    config = new_government()
    async with pool.acquire() as conn:
        await register_tenant(conn, config, ADMIN, None)
        updated, changed = await configure_tenant(
            conn,
            config.slug,
            {"public_page": False, "extra_holidays": ["2026-10-02", "2026-12-24"]},
            ADMIN,
            "Libur daerah tambahan",
        )
        again, unchanged = await configure_tenant(
            conn, config.slug, {"public_page": False}, ADMIN, None
        )
        entries = await read_stream(conn, config.slug, f"tenant/{config.slug}")
        stored = await load_tenant_config(conn, config.slug)
    assert changed == ["extra_holidays", "public_page"]
    assert unchanged == [] and again == updated == stored
    assert stored.extra_holidays == (date(2026, 10, 2), date(2026, 12, 24))
    assert [e.event_type for e in entries] == ["tenant.registered", "tenant.configured"]
    assert entries[1].payload["changed"] == ["extra_holidays", "public_page"]


async def test_a_bad_decree_format_records_nothing(pool):
    config = new_government()
    async with pool.acquire() as conn:
        with pytest.raises(InvalidInput):
            await register_tenant(
                conn, config.with_changes(decree_number_format="SK/{seq}"), ADMIN, None
            )
        assert await load_tenant_config(conn, config.slug) is None
        await register_tenant(conn, config, ADMIN, None)
        with pytest.raises(InvalidInput):
            await configure_tenant(
                conn, config.slug, {"decree_number_format": "{seq.__class__}/{year}"}, ADMIN, None
            )
        assert len(await read_stream(conn, config.slug, f"tenant/{config.slug}")) == 1


async def test_rebuilding_the_read_models_keeps_every_governments_configuration(own_database):
    config = new_government()
    pool = await create_pool(own_database, max_size=2)
    try:
        async with pool.acquire() as conn:
            await register_tenant(conn, config, ADMIN, None)
            await configure_tenant(conn, config.slug, {"time_zone": "WIT"}, ADMIN, None)
        await rebuild(pool)
        async with pool.acquire() as conn:
            config_after = await load_tenant_config(conn, config.slug)
    finally:
        await pool.close()
    assert config_after == config.with_changes(time_zone="WIT")
