"""Seed the five demo governments: each registered as any government joins (tenant events),
units and positions directly, employees as events.

Idempotent and conservative: it adds what is missing and never overwrites what exists, so a
second `make run` keeps every transfer's effect (an employee moved stays moved).
"""

from __future__ import annotations

from typing import Any

import asyncpg

from mutasi import clock
from mutasi.db import create_pool
from mutasi.domain.events import EmployeeEvent
from mutasi.domain.model import Employee, PositionHolding, Tenant
from mutasi.domain.tenant_config import Official, TenantConfiguration, TimeZone
from mutasi.log.projections import ReadModels
from mutasi.log.store import Actor, NewEvent, append
from mutasi.oidc_local.directory import build_directory, write_directory
from mutasi.seed.cast import DemoCast
from mutasi.seed.data import SeedData, generate
from mutasi.settings import Settings
from mutasi.tenants.config import load_tenant_config
from mutasi.tenants.onboarding import is_registered, register_tenant

SEEDER = Actor("seed", "system")
_TIME_ZONES = {"kota-sorong": TimeZone.WIT}  # the others are in WIB
_HEAD_TITLES = {"kota": "Wali Kota", "kabupaten": "Bupati", "provinsi": "Gubernur"}

_CAST = DemoCast.for_kota_sorong()
DEMO_TARGET = _CAST.target_position_code
# The people `make run` prints tokens for, and `mutasi demo` acts as.
DEMO_PEOPLE: dict[str, dict[str, Any]] = {
    "bkpsdm": {
        "sub": f"nip:{_CAST.hr_officer_nip}",
        "tenant": _CAST.tenant_slug,
        "roles": ["hr_officer"],
        "unit": "bkpsdm",
        "nip": _CAST.hr_officer_nip,
    },
    "atasan": {
        "sub": f"nip:{_CAST.supervisor_nip}",
        "tenant": _CAST.tenant_slug,
        "roles": ["supervisor"],
        "unit": _CAST.target_unit_code,
        "nip": _CAST.supervisor_nip,
    },
    "tim_penilai": {
        "sub": f"nip:{_CAST.panel_member_nips[0]}",
        "tenant": _CAST.tenant_slug,
        "roles": ["panel_member"],
        "nip": _CAST.panel_member_nips[0],
    },
    "ppk": {"sub": "wali-kota-sorong", "tenant": _CAST.tenant_slug, "roles": ["approver"]},
    "pegawai": {
        "sub": f"nip:{_CAST.eligible_nip}",
        "tenant": _CAST.tenant_slug,
        "roles": ["employee"],
        "nip": _CAST.eligible_nip,
    },
    "auditor": {"sub": "inspektorat-sorong", "tenant": _CAST.tenant_slug, "roles": ["auditor"]},
}


def _head_title(tenant: Tenant) -> str:
    region = tenant.name.split(" ", 1)[1]
    return f"{_HEAD_TITLES[tenant.kind.value]} {region}"


# Fictional office holders of the demo governments (names on decrees and notices).
_OFFICIALS = {
    "kota-sorong": ("Yohanes Kambuaya", "Maria Fonataba"),
    "provinsi-jambi": ("Hasan Basri Harahap", "Rini Marlina"),
    "kota-palembang": ("Ahmad Fauzan Syarif", "Dewi Kartika Sari"),
    "kabupaten-bengkulu-selatan": ("Rusman Effendi", "Yuliana Pratiwi"),
    "kota-medan": ("Bonar Sitompul", "Fitri Handayani Nasution"),
}


def demo_configuration(tenant: Tenant, seat: str) -> TenantConfiguration:
    """A demo government's configuration, as a national administrator would enter it."""
    ppk, bkpsdm = _OFFICIALS.get(tenant.slug, ("Kepala Daerah", "Kepala BKPSDM"))
    return TenantConfiguration(
        slug=tenant.slug, name=tenant.name, kind=tenant.kind, province=tenant.province,
        capital=seat, time_zone=_TIME_ZONES.get(tenant.slug, TimeZone.WIB),
        ppk=Official(name=ppk, title=_head_title(tenant)),
        bkpsdm_head=Official(name=bkpsdm, title=f"Kepala BKPSDM {tenant.name}"),
        head_inaugurated_on=tenant.head_inaugurated_on,
        election_candidate_determination_on=tenant.election_candidate_determination_on,
    )  # fmt: skip


async def _tenant(conn: asyncpg.Connection, tenant: Tenant, seat: str) -> None:
    """Registered through the path every government joins by (mutasi.tenants.onboarding).

    A row from before governments were events keeps its values; only the officials it
    lacked are added."""
    if await is_registered(conn, tenant.slug):
        return
    config = demo_configuration(tenant, seat)
    existing = await load_tenant_config(conn, tenant.slug)
    if existing is not None:
        config = existing.with_changes(ppk=config.ppk, bkpsdm_head=config.bkpsdm_head)
    await register_tenant(conn, config, SEEDER, "Data demo")


async def _structure(conn: asyncpg.Connection, data: SeedData, slug: str) -> None:
    await conn.executemany(
        "INSERT INTO units (tenant, code, name, parent_code, head_position_code)"
        " VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        [(slug, u.code, u.name, u.parent_code, u.head_position_code) for u in data.units[slug]],
    )
    await conn.executemany(
        "INSERT INTO positions (tenant, code, name, unit_code, kind, class,"
        " required_education_level, required_education_fields, required_competencies, needed)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING",
        [
            (
                slug,
                p.code,
                p.name,
                p.unit_code,
                p.kind.value,
                p.class_,
                p.required_education_level.value if p.required_education_level else None,
                list(p.required_education_fields),
                {k: int(v) for k, v in p.required_competencies.items()},
                p.needed,
            )
            for p in data.positions[slug]
        ],
    )


def employee_registered(employee: Employee, history: list[PositionHolding]) -> NewEvent:
    return NewEvent(
        f"employee/{employee.nip}",
        EmployeeEvent.REGISTERED.value,
        {
            "nip": employee.nip,
            "name": employee.name,
            "position_code": employee.position_code,
            "unit_code": employee.unit_code,
            "position_since": employee.position_since.isoformat(),
            "data": employee.model_dump(mode="json", by_alias=True),
            "history": [h.model_dump(mode="json") for h in history],
        },
        SEEDER,
    )


async def _employees(conn: asyncpg.Connection, data: SeedData, slug: str) -> int:
    existing = {
        r["nip"] for r in await conn.fetch("SELECT nip FROM employees WHERE tenant = $1", slug)
    }
    history: dict[str, list[PositionHolding]] = {}
    for holding in data.holdings[slug]:
        if holding.end is not None:
            history.setdefault(holding.nip, []).append(holding)
    events = [
        employee_registered(e, history.get(e.nip, []))
        for e in data.employees[slug]
        if e.nip not in existing
    ]
    for start in range(0, len(events), 1000):
        await append(conn, slug, events[start : start + 1000], projector=ReadModels())
    return len(events)


async def _contacts(conn: asyncpg.Connection, slug: str) -> None:
    """Demo e-mail addresses (notification service, issue 6): every BKPSDM desk, and the
    Kota Sorong cast, so `mutasi demo` leaves its mail under var/mail/."""
    rows = [
        (slug, f"role:{slug}:{role}", f"{role.replace('_', '-')}@{slug}.mutasi.test")
        for role in ("hr_officer", "approver")
    ]
    if slug == _CAST.tenant_slug:
        cast = (
            _CAST.eligible_nip,
            _CAST.supervisor_nip,
            _CAST.hr_officer_nip,
            *_CAST.panel_member_nips,
        )
        rows += [(slug, f"nip:{nip}", f"{nip}@{slug}.mutasi.test") for nip in cast]
    await conn.executemany(
        "INSERT INTO notification_contacts (tenant, recipient, email, updated_by)"
        " VALUES ($1, $2, $3, 'seed') ON CONFLICT DO NOTHING",
        rows,
    )


async def seed_all(settings: Settings, employees_per_tenant: int = 600) -> str:
    data = generate(employees_per_tenant=employees_per_tenant, reference_date=clock.today())
    pool = await create_pool(settings)
    added = 0
    try:
        for tenant in data.tenants:
            async with pool.acquire() as conn, conn.transaction():
                await _tenant(conn, tenant, data.seats[tenant.slug])
                await _structure(conn, data, tenant.slug)
                added += await _employees(conn, data, tenant.slug)
                await _contacts(conn, tenant.slug)
    finally:
        await pool.close()
    # Who the local sign-in page offers (services/web): the cast of what was just seeded.
    zones = {slug: zone.iana for slug, zone in _TIME_ZONES.items()}
    write_directory(settings, build_directory(data, zones))
    return f"data awal: {len(data.tenants)} pemerintah daerah, {added} pegawai baru"
