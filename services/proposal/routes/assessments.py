"""An employee's assessment data (SPEC §11): assessment-centre results and SKP predicates.

BKPSDM records them (or imports a file: POST /imports/assessments); staff and the employee
read the history. Each change is an event of the log (`employee.assessed`,
`employee.performance_rated`); the latest assessment is what ranking and R5 read.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Response
from pydantic import BaseModel, Field

from mutasi.auth.principal import Principal
from mutasi.domain.competency import MAX_LEVEL, MIN_LEVEL
from mutasi.domain.errors import DomainError
from mutasi.domain.performance import parse_performance
from mutasi.errors import InvalidInput
from mutasi.log.store import Actor
from mutasi.planning import assessments as records
from mutasi.planning.queries import tenant_today
from mutasi.web.deps import IdempotencyKey, Paging, Pool, require
from mutasi.web.text import Code, ShortText
from services.proposal.schemas import Strict

router = APIRouter(prefix="/employees/{nip}", tags=["assessments"])
Recorder = Annotated[Principal, Depends(require("assessment.record"))]
Reader = Annotated[Principal, Depends(require("assessment.read"))]
Level = Annotated[int, Field(ge=MIN_LEVEL, le=MAX_LEVEL)]


class LevelIn(Strict):
    competency: Code = Field(description="Nama kompetensi, mis. Integritas, Perekat Bangsa")
    level: Level


class AssessmentIn(Strict):
    assessed_on: date = Field(description="Tanggal penilaian")
    institution: ShortText = Field(description="Lembaga penilai, mis. UPT Penilaian Kompetensi")
    method: ShortText = Field("Assessment Center", description="Metode penilaian")
    assessor: ShortText | None = Field(None, description="Asesor")
    levels: list[LevelIn] = Field(
        min_length=1,
        max_length=60,
        description="Tingkat (1–5) per kompetensi: manajerial, sosial kultural, teknis",
    )


class AssessmentOut(BaseModel):
    id: UUID
    nip: str
    assessed_on: date
    institution: str
    method: str
    assessor: str | None
    levels: dict[str, int]
    current: bool = Field(description="Penilaian terkini (yang dipakai pemeringkatan)")


class AssessmentPage(BaseModel):
    items: list[AssessmentOut]
    next_offset: int | None


class PerformanceIn(Strict):
    performance: ShortText = Field(
        description="Predikat SKP: Sangat Baik, Baik, Butuh Perbaikan, Kurang, Sangat Kurang"
    )


class PerformanceOut(BaseModel):
    nip: str
    year: int
    performance: str
    label: str
    recorded: bool = Field(description="false: predikat ini sudah tercatat, tidak ada perubahan")


def _out(row: dict, current: bool) -> AssessmentOut:
    return AssessmentOut(**{k: v for k, v in row.items() if k != "sequence"}, current=current)


@router.post(
    "/assessments",
    response_model=AssessmentOut,
    status_code=201,
    summary="Catat hasil penilaian kompetensi / record an assessment",
)
async def record(
    nip: str,
    body: AssessmentIn,
    pool: Pool,
    principal: Recorder,
    response: Response,
    _key: IdempotencyKey,
) -> AssessmentOut:
    stored, recorded = await records.record_assessment(
        pool,
        principal.tenant,
        Actor(principal.sub, principal.main_role),
        records.Assessment(
            nip,
            body.assessed_on,
            body.institution,
            body.method,
            body.assessor,
            {item.competency: item.level for item in body.levels},
        ),  # fmt: skip
        await tenant_today(pool, principal.tenant),
    )
    if not recorded:
        response.status_code = 200  # recorded before: the same assessment, nothing new
    latest = await records.history(pool, principal.tenant, nip, 1, 0)
    return _out(stored, bool(latest) and latest[0]["id"] == stored["id"])


@router.get(
    "/assessments",
    response_model=AssessmentPage,
    summary="Riwayat penilaian kompetensi / assessment history",
)
async def list_assessments(nip: str, pool: Pool, page: Paging, principal: Reader) -> AssessmentPage:
    rows = await records.history(pool, principal.tenant, nip, page.limit + 1, page.offset)
    items = [_out(r, page.offset == 0 and k == 0) for k, r in enumerate(rows[: page.limit])]
    more = len(rows) > page.limit
    return AssessmentPage(items=items, next_offset=page.offset + page.limit if more else None)


@router.put(
    "/performance/{year}",
    response_model=PerformanceOut,
    summary="Catat predikat SKP satu tahun / record a year's SKP predicate",
)
async def rate(
    nip: str,
    year: Annotated[int, Path(ge=2000, le=2100)],
    body: PerformanceIn,
    pool: Pool,
    principal: Recorder,
) -> PerformanceOut:
    if year > (await tenant_today(pool, principal.tenant)).year:
        raise InvalidInput("Tahun SKP belum berjalan", "That year has not begun", field="year")
    try:
        rating = parse_performance(body.performance)
    except DomainError as exc:
        raise InvalidInput(exc.message_id, exc.message_en, field="performance") from exc
    recorded = await records.rate_performance(
        pool, principal.tenant, Actor(principal.sub, principal.main_role), nip, year, rating
    )
    return PerformanceOut(
        nip=nip, year=year, performance=rating.value, label=rating.label, recorded=recorded
    )
