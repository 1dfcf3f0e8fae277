"""Transfer plans (rencana mutasi): BKPSDM drafts one for a scope, edits and re-optimises it,
approves it; its lines become proposals (docs/planning.md §3). Reading a plan shows its
objective broken down beside the greedy baseline, and each line with its transfer's status.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from mutasi import lookups
from mutasi.auth.principal import Principal
from mutasi.errors import Conflict, InvalidInput
from mutasi.planning import plans
from mutasi.planning.contract import PlanApproveInput, PlanEditInput, PlanStepInput
from mutasi.planning.spec import PlanSpec
from mutasi.web.deps import IdempotencyKey, Paging, Pool, Temporal, caller_of, require
from mutasi.web.text import Text
from services.proposal.schemas import Strict

router = APIRouter(prefix="/plans", tags=["plans"])
Reader = Annotated[Principal, Depends(require("plan.read"))]


class Totals(BaseModel):
    value: float
    parts: dict[str, float]
    moves: int
    feasible: bool


class UnitStaffing(BaseModel):
    code: str
    name: str
    needed: int
    before: int
    after: int


class Objective(BaseModel):
    method: str = Field(description="linear_sum_assignment, lp atau milp (HiGHS)")
    gap: float = Field(description="Jarak terbukti ke optimum (0: optimal)")
    bound: float
    status_quo: float = Field(description="Nilai bila tidak ada yang dipindah")
    optimum: Totals
    greedy: Totals = Field(description="Cara greedy (terbaik lebih dulu) sebagai pembanding")
    gain: float = Field(description="Kenaikan nilai rencana optimal dari keadaan sekarang")
    greedy_gain: float
    candidates: int
    posts: int
    seconds: float
    units: list[UnitStaffing] = Field(description="Pegawai per unit sebelum dan sesudah")
    problem: str | None = None


class PlanOut(BaseModel):
    id: UUID
    title: str
    status: str
    revision: int
    spec: dict[str, Any]
    objective: Objective | None
    meeting_id: UUID | None
    created_by: str
    created_at: datetime
    updated_at: datetime


class PlanPage(BaseModel):
    items: list[PlanOut]
    next_offset: int | None


class LineOut(BaseModel):
    line: int
    employee_nip: str
    employee_name: str
    origin_position_code: str | None
    origin_position_name: str | None
    origin_unit_code: str | None
    origin_unit_name: str | None
    target_position_code: str
    target_position_name: str | None = Field(description="Nama jabatan tujuan (kini)")
    target_unit_code: str
    target_unit_name: str | None
    value: float
    gain: float
    parts: dict[str, float]
    fit: float
    distance_km: int | None
    vacated_by: str | None = Field(description="NIP yang jabatannya diisi baris ini (rantai)")
    locked: bool
    transfer_id: UUID | None
    transfer_status: str | None


class LinePage(BaseModel):
    items: list[LineOut]
    next_offset: int | None


class PlanIn(PlanSpec):
    reason: Text | None = None


class ApproveIn(Strict):
    effective_date: date | None = Field(None, description="TMT usulan; bawaan: awal periode")
    meeting_id: UUID | None = Field(
        None, description="Rapat Tim Penilai Kinerja yang menelaah baris-baris rencana"
    )
    reason: Text | None = None


class StepIn(Strict):
    reason: Text | None = None


def _totals(t: dict[str, Any]) -> Totals:
    parts = {k: float(v) for k, v in t["parts"].items()}
    return Totals(value=float(t["value"]), parts=parts, moves=t["moves"], feasible=t["feasible"])


def _objective(row: dict[str, Any]) -> Objective | None:
    o, g = row["objective"], row["baseline"]
    if not o:
        return None
    quo = float(o["status_quo"])
    return Objective(
        method=o["method"], gap=float(o["gap"]), bound=float(o["bound"]), status_quo=quo,
        optimum=_totals(o["optimum"]), greedy=_totals(g),
        gain=round(float(o["optimum"]["value"]) - quo, 2),
        greedy_gain=round(float(g["value"]) - quo, 2), candidates=o["candidates"],
        posts=o["posts"], seconds=float(o["seconds"]),
        units=[UnitStaffing(**u) for u in o["units"]], problem=o.get("problem"),
    )  # fmt: skip


def plan_out(row: dict[str, Any]) -> PlanOut:
    return PlanOut(
        id=row["id"], title=row["title"], status=row["status"], revision=row["revision"],
        spec=row["scope"], objective=_objective(row), meeting_id=row["meeting_id"],
        created_by=row["created_by"], created_at=row["created_at"], updated_at=row["updated_at"],
    )  # fmt: skip


def line_out(row: dict[str, Any]) -> LineOut:
    c = row["components"]
    return LineOut(
        **{k: row[k] for k in ("line", "employee_nip", "employee_name", "origin_position_code",
                               "origin_position_name", "origin_unit_code", "origin_unit_name",
                               "target_position_code", "target_position_name", "target_unit_code",
                               "target_unit_name", "locked", "transfer_id", "transfer_status")},
        value=round(row["value"], 2), gain=round(row["gain"], 2),
        parts={k: float(c[k]) for k in ("fit", "workload", "aspiration", "distance",
                                        "performance")},
        fit=float(c["fit_score"]), distance_km=c["km"], vacated_by=c["vacated_by"],
    )  # fmt: skip


@router.post("", response_model=PlanOut, status_code=201, summary="Susun rencana mutasi")
async def draft(
    body: PlanIn,
    request: Request,
    pool: Pool,
    temporal: Temporal,
    key: IdempotencyKey,
    principal: Annotated[Principal, Depends(require("plan.draft"))],
) -> PlanOut:
    spec = PlanSpec.model_validate(body.model_dump(exclude={"reason"}))
    queue = request.app.state.settings.task_queue
    row = await plans.draft(pool, temporal, queue, caller_of(principal), spec, key, body.reason)
    return plan_out(row)


@router.get("", response_model=PlanPage, summary="Daftar rencana mutasi")
async def listing(pool: Pool, page: Paging, principal: Reader) -> PlanPage:
    rows = await plans.listing(pool, principal.tenant, page.limit + 1, page.offset)
    more = len(rows) > page.limit
    return PlanPage(
        items=[plan_out(r) for r in rows[: page.limit]],
        next_offset=page.offset + page.limit if more else None,
    )


@router.get("/{plan_id}", response_model=PlanOut, summary="Rencana mutasi dan nilainya")
async def read(plan_id: UUID, pool: Pool, principal: Reader) -> PlanOut:
    return plan_out(await plans.read_or_404(pool, principal.tenant, plan_id))


@router.get("/{plan_id}/lines", response_model=LinePage, summary="Baris-baris rencana")
async def lines(plan_id: UUID, pool: Pool, page: Paging, principal: Reader) -> LinePage:
    await plans.read_or_404(pool, principal.tenant, plan_id)
    rows = await plans.lines(pool, plan_id, page.limit + 1, page.offset)
    more = len(rows) > page.limit
    return LinePage(
        items=[line_out(r) for r in rows[: page.limit]],
        next_offset=page.offset + page.limit if more else None,
    )


@router.put("/{plan_id}", response_model=PlanOut, summary="Ubah rencana dan optimalkan lagi")
async def edit(
    plan_id: UUID,
    body: PlanIn,
    pool: Pool,
    temporal: Temporal,
    key: IdempotencyKey,
    principal: Annotated[Principal, Depends(require("plan.edit"))],
) -> PlanOut:
    spec = PlanSpec.model_validate(body.model_dump(exclude={"reason"})).model_dump(mode="json")
    edit = PlanEditInput(caller_of(principal), spec, body.reason)
    await plans.step(temporal, plan_id, "plan_edit", edit, key)
    return plan_out(await plans.read_or_404(pool, principal.tenant, plan_id))


@router.post("/{plan_id}/optimise", response_model=PlanOut, summary="Optimalkan ulang")
async def optimise(
    plan_id: UUID,
    body: StepIn,
    pool: Pool,
    temporal: Temporal,
    key: IdempotencyKey,
    principal: Annotated[Principal, Depends(require("plan.optimise"))],
) -> PlanOut:
    arg = PlanStepInput(caller_of(principal), body.reason)
    await plans.step(temporal, plan_id, "plan_optimise", arg, key)
    return plan_out(await plans.read_or_404(pool, principal.tenant, plan_id))


@router.post("/{plan_id}/approve", response_model=PlanOut, summary="Setujui rencana mutasi")
async def approve(
    plan_id: UUID,
    body: ApproveIn,
    pool: Pool,
    temporal: Temporal,
    key: IdempotencyKey,
    principal: Annotated[Principal, Depends(require("plan.approve"))],
) -> PlanOut:
    effective = body.effective_date.isoformat() if body.effective_date else None
    meeting = str(body.meeting_id) if body.meeting_id else None
    if body.meeting_id and not await lookups.meeting_held_by(
        pool, principal.tenant, body.meeting_id
    ):
        raise InvalidInput("Rapat tidak ditemukan", "Meeting not found", field="meeting_id")
    plan = await plans.read_or_404(pool, principal.tenant, plan_id)
    await plans.check_tmt(pool, principal.tenant, plan, body.effective_date)
    if principal.nip and await plans.moves(pool, plan_id, principal.nip):
        raise Conflict(
            "Rencana ini memindahkan Anda sendiri; persetujuannya harus oleh pejabat lain (R7)",
            "This plan moves you yourself; another official must approve it (R7)",
        )
    arg = PlanApproveInput(caller_of(principal), effective, meeting, body.reason)
    await plans.step(temporal, plan_id, "plan_approve", arg, key)
    return plan_out(await plans.read_or_404(pool, principal.tenant, plan_id))


@router.post("/{plan_id}/cancel", response_model=PlanOut, summary="Batalkan rencana")
async def cancel(
    plan_id: UUID,
    body: StepIn,
    pool: Pool,
    temporal: Temporal,
    key: IdempotencyKey,
    principal: Annotated[Principal, Depends(require("plan.cancel"))],
) -> PlanOut:
    await plans.step(temporal, plan_id, "plan_cancel", PlanStepInput(caller_of(principal),
                                                                     body.reason), key)  # fmt: skip
    return plan_out(await plans.read_or_404(pool, principal.tenant, plan_id))
