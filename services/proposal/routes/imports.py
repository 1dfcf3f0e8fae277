"""CSV imports of master data by BKPSDM: upload a file, read the report of any past run."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from mutasi.auth.principal import Principal
from mutasi.errors import NotFound
from mutasi.imports.report import ImportReport
from mutasi.imports.runs import ImportRequest, run_import, run_report, runs_page
from mutasi.log.store import Actor
from mutasi.web.deps import IdempotencyKey, Paging, Pool, require
from services.proposal.uploads import multipart_body, read_upload

router = APIRouter(prefix="/imports", tags=["imports"])
Importer = Annotated[Principal, Depends(require("master.import"))]


class ImportRunOut(BaseModel):
    id: UUID
    kind: str
    filename: str | None
    file_sha256: str
    actor_id: str
    created_at: datetime
    summary: str


class ImportRunPage(BaseModel):
    items: list[ImportRunOut]
    next_offset: int | None


@router.post(
    "/{kind}",
    response_model=ImportReport,
    openapi_extra=multipart_body(),
    summary="Impor CSV data induk / import employees, positions, units or assessments",
    description="Baris yang sah diterapkan (idempoten menurut NIP / kode); baris yang tidak "
    "sah dilaporkan dengan nomor baris, kolom dan alasannya. Berkas di atas batas "
    "ukuran ditolak (413).",
)
async def upload(
    kind: Literal["employees", "positions", "units", "assessments"],
    request: Request,
    pool: Pool,
    key: IdempotencyKey,
    principal: Importer,
) -> ImportReport:
    upload = await read_upload(request, request.app.state.settings.import_max_bytes)
    actor = Actor(principal.sub, principal.main_role)
    return await run_import(
        pool, ImportRequest(principal.tenant, kind, upload.data, actor, upload.filename, key)
    )


@router.get("", response_model=ImportRunPage, summary="Riwayat impor / past imports")
async def list_runs(pool: Pool, page: Paging, principal: Importer) -> ImportRunPage:
    rows = await runs_page(pool, principal.tenant, page.limit + 1, page.offset)
    more = len(rows) > page.limit
    return ImportRunPage(
        items=[ImportRunOut(**dict(r)) for r in rows[: page.limit]],
        next_offset=page.offset + page.limit if more else None,
    )


@router.get(
    "/reports/{run_id}", response_model=ImportReport, summary="Laporan impor / an import report"
)
async def read_run(run_id: UUID, pool: Pool, principal: Importer) -> ImportReport:
    report = await run_report(pool, principal.tenant, run_id)
    if report is None:
        raise NotFound("Laporan impor tidak ditemukan", "Import report not found")
    return ImportReport.model_validate(report)
