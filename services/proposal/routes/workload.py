"""Workload (ABK) per unit: needed vs filled, shortage and surplus, who is due for rotation.

Headcount comes from the `position_filled` view, so it follows every import and every
transfer that takes effect. Due for rotation is R3: more than 5 years in one position.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

import asyncpg
from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from mutasi import clock
from mutasi.auth.principal import Principal
from mutasi.domain.dates import add_years, full_years_between
from mutasi.domain.rules import MAX_YEARS_IN_POSITION
from mutasi.errors import NotFound
from mutasi.web.deps import Paging, Pool, require
from services.proposal.queries import workload as queries

router = APIRouter(prefix="/workload", tags=["workload"])
Viewer = Annotated[Principal, Depends(require("workload.read"))]
Status = Literal["under", "over", "balanced"]


class Staffing(BaseModel):
    needed: int = Field(description="Kebutuhan menurut ABK")
    filled: int = Field(description="Bezetting: pegawai yang menduduki")
    gap: int = Field(description="needed − filled: positif = kurang, negatif = lebih")
    shortage: int = Field(description="Jumlah kekurangan pada jabatan yang kurang")
    surplus: int = Field(description="Jumlah kelebihan pada jabatan yang lebih")
    status: Status


class UnitWorkload(Staffing):
    unit_code: str
    unit_name: str
    vacant_positions: int
    due_for_rotation: int = Field(description="Pegawai > 5 tahun pada jabatannya (R3)")


class WorkloadPage(BaseModel):
    tenant: str
    totals: UnitWorkload
    items: list[UnitWorkload]
    next_offset: int | None


class PositionWorkload(Staffing):
    code: str
    name: str
    kind: str


class RotationDue(BaseModel):
    nip: str
    name: str
    unit_code: str | None
    position_code: str | None
    position_since: date
    years_in_position: int


class UnitDetail(UnitWorkload):
    positions: list[PositionWorkload]
    rotation: list[RotationDue] = Field(description="Pegawai yang sudah waktunya dirotasi")
    next_offset: int | None = Field(default=None, description="Halaman berikut daftar rotasi")


def _status(gap: int) -> Status:
    return "under" if gap > 0 else "over" if gap < 0 else "balanced"


def _staffing(needed: int, filled: int, shortage: int, surplus: int) -> dict[str, object]:
    return {
        "needed": needed,
        "filled": filled,
        "gap": needed - filled,
        "shortage": shortage,
        "surplus": surplus,
        "status": _status(needed - filled),
    }


async def _due(pool: asyncpg.Pool, tenant: str, unit: str | None) -> list[RotationDue]:
    """R3 as the rules count it (a 29 February start reaches its anniversary on 1 March)."""
    today = clock.today()
    rows = await queries.in_post_since_before(pool, tenant, unit, MAX_YEARS_IN_POSITION, today)
    return [
        RotationDue(
            nip=r["nip"],
            name=r["name"],
            unit_code=r["unit_code"],
            position_code=r["position_code"],
            position_since=r["position_since"],
            years_in_position=full_years_between(r["position_since"], today),
        )
        for r in rows
        if today > add_years(r["position_since"], MAX_YEARS_IN_POSITION)
    ]


def _unit_out(row: asyncpg.Record, due: int) -> UnitWorkload:
    return UnitWorkload(
        unit_code=row["code"],
        unit_name=row["name"],
        vacant_positions=row["vacant"],
        due_for_rotation=due,
        **_staffing(row["needed"], row["filled"], row["shortage"], row["surplus"]),
    )  # type: ignore[arg-type]


@router.get(
    "", response_model=WorkloadPage, summary="Analisis beban kerja per unit / workload per unit"
)
async def workload(pool: Pool, page: Paging, principal: Viewer) -> WorkloadPage:
    units = await queries.units(pool, principal.tenant, None)
    due: dict[str, int] = {}
    for employee in await _due(pool, principal.tenant, None):
        due[employee.unit_code or ""] = due.get(employee.unit_code or "", 0) + 1
    items = [_unit_out(r, due.get(r["code"], 0)) for r in units]
    totals = UnitWorkload(
        unit_code="*",
        unit_name="Seluruh unit",
        due_for_rotation=sum(due.values()),
        vacant_positions=sum(i.vacant_positions for i in items),
        **_staffing(
            *(
                sum(getattr(i, f) for i in items)
                for f in ("needed", "filled", "shortage", "surplus")
            )
        ),
    )  # type: ignore[arg-type]
    more = len(items) > page.offset + page.limit
    return WorkloadPage(
        tenant=principal.tenant,
        totals=totals,
        items=items[page.offset : page.offset + page.limit],
        next_offset=page.offset + page.limit if more else None,
    )


@router.get(
    "/{unit_code}",
    response_model=UnitDetail,
    summary="Beban kerja satu unit / one unit's positions and rotation list",
)
async def unit_workload(unit_code: str, pool: Pool, page: Paging, principal: Viewer) -> UnitDetail:
    [row] = await queries.units(pool, principal.tenant, unit_code) or [None]
    if row is None:
        raise NotFound("Unit kerja tidak ditemukan", "Unit not found")
    positions = await queries.posts(pool, principal.tenant, unit_code)
    due = await _due(pool, principal.tenant, unit_code)
    more = len(due) > page.offset + page.limit
    return UnitDetail(
        **_unit_out(row, len(due)).model_dump(),
        positions=[
            PositionWorkload(
                code=p["code"],
                name=p["name"],
                kind=p["kind"],
                **_staffing(
                    p["needed"],
                    p["filled"],
                    max(p["needed"] - p["filled"], 0),
                    max(p["filled"] - p["needed"], 0),
                ),
            )
            for p in positions
        ],  # type: ignore[arg-type]
        rotation=due[page.offset : page.offset + page.limit],
        next_offset=page.offset + page.limit if more else None,
    )
