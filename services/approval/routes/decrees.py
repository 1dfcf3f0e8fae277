"""The decree (SK) document of a transfer, for whoever may see the transfer."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Response

from mutasi.auth.principal import Principal
from mutasi.errors import NotFound
from mutasi.transfers import load_visible
from mutasi.web.deps import Pool, require
from services.approval import queries

router = APIRouter(prefix="/transfers", tags=["decrees"])


@router.get(
    "/{transfer_id}/decree",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
    summary="Unduh SK mutasi (PDF) / download the decree",
)
async def download(
    transfer_id: UUID, pool: Pool, principal: Annotated[Principal, Depends(require("decree.read"))]
) -> Response:
    """The PDF as issued; `X-Document-SHA256` is the digest recorded in the log."""
    await load_visible(pool, principal, transfer_id)
    row = await queries.decree_document(pool, transfer_id)
    if row is None:
        raise NotFound(
            "SK untuk usulan ini belum diterbitkan",
            "No decree has been issued for this transfer yet",
        )
    filename = "SK-" + "".join(c if c.isalnum() else "-" for c in row["number"]) + ".pdf"
    return Response(
        bytes(row["document"]),
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-Document-SHA256": row["document_sha256"],
            "X-Decree-Number": row["number"],
        },
    )
