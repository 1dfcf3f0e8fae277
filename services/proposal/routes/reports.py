"""Reports for BKPSDM as Excel or PDF: the recap of transfers in a period (by status, unit,
kind; processing time per step against its deadline) and a transfer plan as a document
(its objective beside greedy, each unit's staffing before and after, every line)."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Response

from mutasi.auth.principal import Principal
from mutasi.errors import InvalidInput
from mutasi.planning import plans
from mutasi.planning.queries import tenant_today
from mutasi.reports.files import Format, as_file
from mutasi.reports.plan_document import plan_report
from mutasi.reports.recaps import tenant_recap
from mutasi.web.deps import Pool, require

router = APIRouter(tags=["reports"])


@router.get(
    "/reports/transfers.{kind}",
    summary="Rekap mutasi (Excel/PDF): status, unit, jenis, waktu proses per langkah",
    response_class=Response,
)
async def transfers(
    kind: Format,
    pool: Pool,
    principal: Annotated[Principal, Depends(require("report.read"))],
    start: Annotated[date | None, Query(alias="from", description="Awal periode")] = None,
    end: Annotated[date | None, Query(alias="to", description="Akhir periode")] = None,
) -> Response:
    today = await tenant_today(pool, principal.tenant)
    start, end = start or date(today.year, 1, 1), end or today
    if end < start or (end - start).days > 3660:
        raise InvalidInput("Periode tidak sah", "Invalid period (at most ten years)")
    report = await tenant_recap(pool, principal.tenant, start, end)
    return as_file(report, kind, f"rekap-mutasi-{start:%Y%m%d}-{end:%Y%m%d}")


@router.get(
    "/plans/{plan_id}/document.{kind}",
    summary="Dokumen rencana mutasi (Excel/PDF)",
    response_class=Response,
)
async def plan_document(
    plan_id: UUID,
    kind: Format,
    pool: Pool,
    principal: Annotated[Principal, Depends(require("plan.read"))],
) -> Response:
    found = await plans.read_or_404(pool, principal.tenant, plan_id)
    lines = await plans.lines(pool, plan_id, 100_000, 0)
    return as_file(plan_report(found, lines), kind, f"rencana-mutasi-{plan_id}")
