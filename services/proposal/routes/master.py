"""Master data as BKPSDM sees it: units, positions with ABK needs and headcount, employees."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from mutasi.auth.principal import Principal
from mutasi.web.deps import Paging, Pool, require
from services.proposal.queries import master

router = APIRouter(tags=["master data"])


class UnitOut(BaseModel):
    code: str
    name: str
    parent_code: str | None
    head_position_code: str | None


class UnitPage(BaseModel):
    items: list[UnitOut]
    next_offset: int | None


class PositionOut(BaseModel):
    code: str
    name: str
    unit_code: str
    kind: str
    needed: int
    filled: int


class PositionPage(BaseModel):
    items: list[PositionOut]
    next_offset: int | None


class EmployeeSummary(BaseModel):
    nip: str
    name: str
    unit_code: str | None
    position_code: str | None
    position_since: date | None


class EmployeePage(BaseModel):
    items: list[EmployeeSummary]
    next_offset: int | None


def _next(page: Paging, count: int) -> int | None:
    return page.offset + page.limit if count > page.limit else None


@router.get("/units", response_model=UnitPage, summary="Unit kerja / units")
async def units(
    pool: Pool, page: Paging, principal: Annotated[Principal, Depends(require("master.read"))]
) -> UnitPage:
    rows = await master.units(pool, principal.tenant, page.limit + 1, page.offset)
    return UnitPage(
        items=[UnitOut(**dict(r)) for r in rows[: page.limit]], next_offset=_next(page, len(rows))
    )


@router.get(
    "/positions",
    response_model=PositionPage,
    summary="Jabatan dengan kebutuhan dan bezetting / positions",
)
async def positions(
    pool: Pool,
    page: Paging,
    principal: Annotated[Principal, Depends(require("master.read"))],
    unit: str | None = None,
    vacant: bool = False,
) -> PositionPage:
    rows = await master.posts(pool, principal.tenant, unit, vacant, page.limit + 1, page.offset)
    return PositionPage(
        items=[PositionOut(**dict(r)) for r in rows[: page.limit]],
        next_offset=_next(page, len(rows)),
    )


@router.get("/employees", response_model=EmployeePage, summary="Daftar pegawai / employees")
async def employees(
    pool: Pool,
    page: Paging,
    principal: Annotated[Principal, Depends(require("master.read"))],
    unit: str | None = None,
    q: Annotated[
        str | None, Query(min_length=2, max_length=100, description="Nama atau awal NIP")
    ] = None,
) -> EmployeePage:
    if principal.has("supervisor") and not principal.has(
        "hr_officer", "approver", "auditor", "panel_member", "bkn_officer"
    ):
        if principal.unit is None:  # a unit-bound role without its unit sees nobody
            return EmployeePage(items=[], next_offset=None)
        unit = principal.unit
    rows = await master.employees(pool, principal.tenant, unit, page.limit + 1, page.offset, q)
    return EmployeePage(
        items=[EmployeeSummary(**dict(r)) for r in rows[: page.limit]],
        next_offset=_next(page, len(rows)),
    )
