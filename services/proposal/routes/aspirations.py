"""Aspirations: an employee says where they wish to go and why; BKPSDM sees them.

The employee records their own (BKPSDM may record what it heard in a forum, saying where);
each change is `aspiration.recorded` in the log, so the history is kept. Ranking and plans
read the current wishes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, Field

from mutasi.auth.principal import Principal
from mutasi.errors import InvalidInput
from mutasi.log.store import Actor
from mutasi.planning import aspirations
from mutasi.web.deps import Paging, Pool, require
from mutasi.web.text import Code, ShortText, Text
from services.proposal.schemas import Strict

router = APIRouter(tags=["aspirations"])


class AspirationIn(Strict):
    units: list[Code] = Field(default_factory=list, max_length=10, description="Kode unit kerja")
    positions: list[Code] = Field(default_factory=list, max_length=10, description="Kode jabatan")
    cities: list[ShortText] = Field(
        default_factory=list, max_length=10, description="Kabupaten/kota, mis. Kabupaten Bungo"
    )
    reason: Text = Field(description="Alasan")
    heard_at: ShortText | None = Field(
        None, description="Forum tempat BKPSDM mendengar aspirasi ini (bila BKPSDM mencatat)"
    )


class AspirationOut(BaseModel):
    nip: str
    units: list[str]
    positions: list[str]
    cities: list[str]
    reason: str
    heard_at: str | None = None
    recorded_at: datetime
    recorded_by: str


class AspirationHistory(BaseModel):
    nip: str
    recorded: bool | None = Field(None, description="false: sama dengan yang tercatat")
    items: list[AspirationOut] = Field(description="Terbaru lebih dulu")
    next_offset: int | None = None


class WishesOut(BaseModel):
    units: list[str] = []
    positions: list[str] = []
    cities: list[str] = []


class EmployeeWishes(BaseModel):
    nip: str
    name: str
    unit_code: str | None
    position_code: str | None
    wishes: WishesOut


class AspirationPage(BaseModel):
    items: list[EmployeeWishes]
    next_offset: int | None


@router.post(
    "/employees/{nip}/aspirations",
    response_model=AspirationHistory,
    status_code=201,
    summary="Catat aspirasi / record where the employee wishes to go",
)
async def record(
    nip: str,
    body: AspirationIn,
    pool: Pool,
    response: Response,
    principal: Annotated[Principal, Depends(require("aspiration.record"))],
) -> AspirationHistory:
    if not (body.units or body.positions or body.cities):
        raise InvalidInput(
            "Sebutkan setidaknya satu unit, jabatan atau kota",
            "Name at least one unit, position or city",
        )
    if body.heard_at and not principal.has("hr_officer"):
        raise InvalidInput("Hanya BKPSDM yang mencatat forum", "Only BKPSDM records a forum")
    wishes = aspirations.Wishes(
        list(dict.fromkeys(body.units)), list(dict.fromkeys(body.positions)),
        list(dict.fromkeys(body.cities)), body.reason, body.heard_at,
    )  # fmt: skip
    actor = Actor(principal.sub, principal.main_role)
    recorded = await aspirations.record(pool, principal.tenant, actor, nip, wishes)
    if not recorded:
        response.status_code = 200
    items = await aspirations.history(pool, principal.tenant, nip)
    return AspirationHistory(nip=nip, recorded=recorded, items=[AspirationOut(**i) for i in items])


@router.get(
    "/employees/{nip}/aspirations",
    response_model=AspirationHistory,
    summary="Riwayat aspirasi / the employee's wishes, latest first",
)
async def history(
    nip: str,
    pool: Pool,
    page: Paging,
    principal: Annotated[Principal, Depends(require("aspiration.read"))],
) -> AspirationHistory:
    items = await aspirations.history(pool, principal.tenant, nip)
    window = items[page.offset : page.offset + page.limit]
    more = len(items) > page.offset + page.limit
    return AspirationHistory(
        nip=nip,
        items=[AspirationOut(**i) for i in window],
        next_offset=page.offset + page.limit if more else None,
    )


@router.get(
    "/aspirations",
    response_model=AspirationPage,
    summary="Aspirasi pegawai untuk BKPSDM / employees' wishes, optionally for one unit",
)
async def listing(
    pool: Pool,
    page: Paging,
    principal: Annotated[Principal, Depends(require("aspiration.list"))],
    unit: Annotated[Code | None, Query(description="Hanya yang menginginkan unit ini")] = None,
) -> AspirationPage:
    rows = await aspirations.listing(pool, principal.tenant, unit, page.limit + 1, page.offset)
    items = [
        EmployeeWishes(
            nip=r["nip"],
            name=r["name"],
            unit_code=r["unit_code"],
            position_code=r["position_code"],
            wishes=WishesOut(**(r["wishes"] or {})),
        )  # fmt: skip
        for r in rows[: page.limit]
    ]
    more = len(rows) > page.limit
    return AspirationPage(items=items, next_offset=page.offset + page.limit if more else None)
