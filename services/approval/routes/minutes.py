"""A closed meeting's minutes (berita acara) as a PDF, from the log's `meeting.closed`."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Response

from mutasi.auth.principal import Principal
from mutasi.reports.files import as_file
from mutasi.reports.minutes import minutes_report
from mutasi.web.deps import Pool, require

router = APIRouter(prefix="/meetings", tags=["meetings"])


@router.get(
    "/{meeting_id}/minutes.pdf",
    summary="Berita acara rapat (PDF) / the meeting's minutes",
    response_class=Response,
)
async def minutes_pdf(
    meeting_id: UUID,
    pool: Pool,
    principal: Annotated[Principal, Depends(require("meeting.read"))],
) -> Response:
    report = await minutes_report(pool, principal.tenant, meeting_id)
    return as_file(report, "pdf", f"berita-acara-{meeting_id}")
