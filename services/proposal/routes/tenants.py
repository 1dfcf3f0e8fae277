"""Governments on the deployment: the national administrator adds one and changes its
configuration (recorded as events in its own log, mutasi.tenants.onboarding); each
government's BKPSDM, PPK and auditors read their own."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, ConfigDict

from mutasi.auth.principal import Principal
from mutasi.domain.model import TenantKind
from mutasi.domain.tenant_config import (
    IncentivePolicy,
    Line,
    Note,
    Official,
    TenantConfiguration,
    TimeZone,
)
from mutasi.errors import Conflict, NotFound
from mutasi.log.store import Actor
from mutasi.tenants.config import list_tenant_configs, load_tenant_config
from mutasi.tenants.onboarding import configure_tenant, register_tenant
from mutasi.web.deps import Paging, Pool, require

router = APIRouter(prefix="/tenants", tags=["governments"])
Reason = Note | None


class TenantRegistration(TenantConfiguration):
    reason: Reason = None  # why it joins, recorded with the event


class TenantChanges(BaseModel):
    """The settings to change; those left out keep their value."""

    model_config = ConfigDict(extra="forbid")
    name: Line | None = None
    kind: TenantKind | None = None
    province: Line | None = None
    capital: Line | None = None
    time_zone: TimeZone | None = None
    decree_number_format: Line | None = None
    ppk: Official | None = None
    bkpsdm_head: Official | None = None
    extra_holidays: list[date] | None = None
    incentive_policy: IncentivePolicy | None = None
    public_page: bool | None = None
    sla_working_days: int | None = None
    document_checklist: list[Line] | None = None
    head_inaugurated_on: date | None = None
    election_candidate_determination_on: date | None = None
    ministerial_consent_document: Line | None = None
    reason: Reason = None


class ConfigurationChange(BaseModel):
    configuration: TenantConfiguration
    changed: list[str]  # empty: it already was so, nothing was recorded


class TenantPage(BaseModel):
    items: list[TenantConfiguration]
    next_offset: int | None


def _actor(principal: Principal) -> Actor:
    return Actor(principal.sub, principal.main_role)


@router.post(
    "",
    status_code=201,
    response_model=TenantConfiguration,
    summary="Daftarkan pemerintah daerah / a government joins",
)
async def add_tenant(
    body: TenantRegistration,
    pool: Pool,
    response: Response,
    principal: Annotated[Principal, Depends(require("tenant.manage"))],
) -> TenantConfiguration:
    config = TenantConfiguration(**body.model_dump(exclude={"reason"}))
    async with pool.acquire() as conn:
        try:
            return await register_tenant(conn, config, _actor(principal), body.reason)
        except Conflict:
            # A retried request finds exactly what it asked for: the same answer, no event.
            if await load_tenant_config(conn, config.slug) == config:
                response.status_code = 200
                return config
            raise


@router.get(
    "",
    response_model=TenantPage,
    summary="Daftar pemerintah daerah / the governments (national roles: all; others: own)",
)
async def list_tenants(
    pool: Pool, page: Paging, principal: Annotated[Principal, Depends(require("tenant.read"))]
) -> TenantPage:
    configs = [
        c
        for c in await list_tenant_configs(pool)
        if principal.is_national or c.slug == principal.tenant
    ]
    items = configs[page.offset : page.offset + page.limit]
    more = page.offset + page.limit < len(configs)
    return TenantPage(items=items, next_offset=page.offset + page.limit if more else None)


@router.get(
    "/{tenant_slug}",
    response_model=TenantConfiguration,
    summary="Konfigurasi pemerintah daerah / a government's configuration",
)
async def get_tenant(
    tenant_slug: str, pool: Pool, _: Annotated[Principal, Depends(require("tenant.read"))]
) -> TenantConfiguration:
    config = await load_tenant_config(pool, tenant_slug)
    if config is None:
        raise NotFound("Pemerintah daerah tidak ditemukan", "Government not found")
    return config


@router.patch(
    "/{tenant_slug}",
    response_model=ConfigurationChange,
    summary="Ubah konfigurasi / change a government's configuration (one event per change)",
)
async def change_tenant(
    tenant_slug: str,
    body: TenantChanges,
    pool: Pool,
    principal: Annotated[Principal, Depends(require("tenant.manage"))],
) -> ConfigurationChange:
    changes = body.model_dump(exclude_unset=True, exclude={"reason"})
    async with pool.acquire() as conn:
        config, changed = await configure_tenant(
            conn, tenant_slug, changes, _actor(principal), body.reason
        )
    return ConfigurationChange(configuration=config, changed=changed)
