"""Vacant positions, and for an employee how well they fit each one (the R5 match score).

An employee sees the vacancies they qualify for, best fit first, and applies with
POST /transfers (a self-application). Staff may look on behalf of an employee (`nip`) — a
supervisor only for their own unit — or list the vacancies without scores.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

import asyncpg
from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from mutasi import clock, lookups
from mutasi.auth.principal import Principal
from mutasi.domain.model import Employee, Position, TransferKind
from mutasi.domain.profile_matching import profile_match
from mutasi.domain.rule_context import Proposer, RuleContext
from mutasi.domain.rules import (
    check_r4_no_sanction,
    check_r8_single_open_transfer,
    check_r9_political_freeze,
)
from mutasi.errors import NotFound
from mutasi.imports.employees import recorded_employee
from mutasi.planning import queries as planning
from mutasi.planning.places import km_between
from mutasi.web.deps import Paging, Pool, require
from services.proposal.queries import vacancies as queries

router = APIRouter(prefix="/vacancies", tags=["vacancies"])
STAFF_ROLES = ("supervisor", "hr_officer", "panel_member", "approver", "auditor", "bkn_officer")
# Hard rules that would return any application of this employee today, whatever the post.
_BLOCKING = (check_r4_no_sanction, check_r8_single_open_transfer, check_r9_political_freeze)


class VacancyOut(BaseModel):
    position_code: str
    position_name: str
    unit_code: str
    unit_name: str
    kind: str
    needed: int
    filled: int
    open_proposals: int = Field(description="Usulan lain yang sedang berjalan ke jabatan ini")
    match_score: float | None = Field(
        default=None, description="Skor profile matching 0–100 (sama dengan daftar kandidat)"
    )
    fit_score: float | None = Field(default=None, description="Skor kesesuaian 0–100 (R5)")
    qualifies: bool | None = Field(
        default=None, description="Memenuhi syarat pendidikan dan skor kesesuaian minimal (R5)"
    )
    distance_km: float | None = Field(default=None, description="Jarak dari domisili (km)")
    education_level_met: bool | None = None
    education_field_met: bool | None = None
    missing_competencies: list[str] = Field(default_factory=list)
    not_assessed: list[str] = Field(default_factory=list, description="Belum dinilai")


class Blocker(BaseModel):
    code: str
    message: str
    message_en: str


class VacancyPage(BaseModel):
    employee_nip: str | None
    blocked_by: list[Blocker] = Field(
        default_factory=list, description="Aturan keras yang saat ini menghalangi permohonan"
    )
    items: list[VacancyOut]
    next_offset: int | None


async def _employee(pool: asyncpg.Pool, principal: Principal, nip: str | None) -> Employee | None:
    if not principal.has(*STAFF_ROLES):
        if nip not in (None, principal.nip) or principal.nip is None:
            raise NotFound("Pegawai tidak ditemukan", "Employee not found")
        nip = principal.nip
    if nip is None:
        return None
    row = await lookups.employee(pool, principal.tenant, nip)
    unit_bound = principal.has("supervisor") and not principal.has(*STAFF_ROLES[1:])
    if row is None or (unit_bound and row["unit_code"] != principal.unit):
        raise NotFound("Pegawai tidak ditemukan", "Employee not found")
    return recorded_employee(row)


def _scored(
    row: asyncpg.Record, employee: Employee | None, scoring: planning.Scoring | None
) -> dict[str, Any]:
    """One vacancy as VacancyOut's fields: a plain dict, which FastAPI validates once
    (building the models here had it dump and validate them again)."""
    out: dict[str, Any] = {
        "position_code": row["code"],
        "position_name": row["name"],
        "unit_code": row["unit_code"],
        "unit_name": row["unit_name"],
        "kind": row["kind"],
        "needed": row["needed"],
        "filled": row["filled"],
        "open_proposals": row["open_proposals"],
    }
    if employee is None or scoring is None:
        return out
    position = Position(
        code=row["code"],
        name=row["name"],
        unit_code=row["unit_code"],
        kind=row["kind"],
        class_=row["class"] or 7,
        required_education_level=row["required_education_level"],
        required_education_fields=tuple(row["required_education_fields"] or ()),
        required_competencies=row["required_competencies"] or {},
    )
    place = scoring.places.get(row["unit_code"])
    home, there = scoring.home, place.coords if place else None
    km = km_between(home, there) if home and there else None
    fit = profile_match(employee, position, today=scoring.today, config=scoring.config,
                        city=place.city if place else None, distance_km=km,
                        explain=False)  # fmt: skip
    out.update(
        match_score=round(fit.score, 2),
        fit_score=round(fit.fit, 2),
        qualifies=fit.passed(scoring.config),
        distance_km=round(km, 1) if km is not None else None,
        education_level_met=fit.level_met,
        education_field_met=fit.field_met,
        missing_competencies=list(fit.missing_competencies),
        not_assessed=list(fit.not_assessed),
    )
    return out


async def _blockers(pool: asyncpg.Pool, tenant: str, employee: Employee) -> list[Blocker]:
    government = await lookups.tenant(pool, tenant)
    assert government is not None, "the caller's token names a known government"
    open_transfer = await lookups.open_transfers(pool, tenant, employee.nip)
    ctx = RuleContext(
        employee=employee,
        target_position=None,
        target_unit_code="",
        origin_position=None,
        proposer=Proposer(f"nip:{employee.nip}", "employee", employee.nip),
        kind=TransferKind.WITHIN_GOVERNMENT,
        today=clock.today(),
        self_application=True,
        open_transfer_exists=open_transfer > 0,
        tenants=(government,),
    )
    results = [rule(ctx) for rule in _BLOCKING]
    return [
        Blocker(code=r.code, message=r.message_id, message_en=r.message_en)
        for r in results
        if not r.passed
    ]


async def _none() -> None:
    return None


@router.get(
    "",
    response_model=VacancyPage,
    summary="Lowongan jabatan dan kesesuaian pegawai / vacancies and the match score",
)
async def vacancies(
    pool: Pool,
    page: Paging,
    principal: Annotated[Principal, Depends(require("vacancy.read"))],
    nip: str | None = None,
    unit: str | None = None,
    qualified_only: bool = True,
) -> dict[str, Any]:
    employee = await _employee(pool, principal, nip)
    posts, scoring, blocked = await asyncio.gather(  # on separate connections, at once
        queries.vacant_posts(pool, principal.tenant, unit),
        planning.scoring_for(pool, principal.tenant, employee) if employee else _none(),
        _blockers(pool, principal.tenant, employee) if employee else _none(),
    )
    items = [
        _scored(r, employee, scoring)
        for r in posts
        if employee is None or r["code"] != employee.position_code
    ]
    if employee is not None:
        if qualified_only:
            items = [v for v in items if v["qualifies"]]
        items.sort(key=lambda v: (not v["qualifies"], -v["match_score"], v["position_code"]))
    window = items[page.offset : page.offset + page.limit]
    more = len(items) > page.offset + page.limit
    return {
        "employee_nip": employee.nip if employee else None,
        "blocked_by": blocked or [],
        "items": window,
        "next_offset": page.offset + page.limit if more else None,
    }
