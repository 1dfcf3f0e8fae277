"""What each government publishes without sign-in: open vacancies and announced decisions.

The transparency the regions ask for (SPEC §1, §10): anyone can see which posts are open and
which transfers were decided (decree number and date, the post, the name as announced). A
government that turned its public page off (tenant configuration `public_page`) answers 404,
as does one that does not exist.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel

from mutasi import clock
from mutasi.errors import NotFound
from mutasi.web.deps import Pool, public
from services.proposal.queries import public as queries

router = APIRouter(
    prefix="/public",
    tags=["public"],
    dependencies=[Depends(public("a government's published vacancies and decisions"))],
)
Slug = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]


class Government(BaseModel):
    slug: str
    name: str
    province: str


class PublicVacancy(BaseModel):
    position_name: str
    unit_name: str
    kind: str
    needed: int
    filled: int


class Decision(BaseModel):
    decree_number: str
    issued_on: date
    effective_date: date
    employee_name: str
    position_name: str
    unit_name: str


class GovernmentPage(Government):
    vacancies: list[PublicVacancy]
    decisions: list[Decision]
    generated_at: datetime


@router.get("/governments", response_model=list[Government], summary="Pemerintah daerah")
async def governments(pool: Pool) -> list[Government]:
    return [Government(**dict(r)) for r in await queries.governments(pool)]


@router.get(
    "/governments/{slug}",
    response_model=GovernmentPage,
    summary="Lowongan dan keputusan mutasi yang diumumkan / a government's public page",
)
async def government(slug: Slug, pool: Pool) -> GovernmentPage:
    row = await queries.government(pool, slug)
    if row is None:
        raise NotFound("Halaman publik tidak ditemukan", "No such public page")
    return GovernmentPage(
        slug=row["slug"],
        name=row["name"],
        province=row["province"],
        generated_at=clock.now(),  # the system's clock, as the decrees' dates (mutasi.clock)
        vacancies=[PublicVacancy(**dict(v)) for v in await queries.vacancies(pool, slug)],
        decisions=[Decision(**dict(d)) for d in await queries.decisions(pool, slug)],
    )
