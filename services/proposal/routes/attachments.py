"""Attachments of a transfer: upload a required document, see the checklist, download."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from urllib.parse import quote
from uuid import UUID

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field

from mutasi.attachments import (
    NewAttachment,
    add_attachment,
    attached_codes,
    attachments_page,
    checklist,
    declared_codes,
    read_attachment,
    storage_for,
)
from mutasi.auth.principal import Principal
from mutasi.errors import InvalidInput, NotFound
from mutasi.log.store import Actor
from mutasi.transfers import load_visible
from mutasi.web.deps import IdempotencyKey, Paging, Pool, require
from services.proposal.uploads import multipart_body, read_upload

router = APIRouter(prefix="/transfers", tags=["attachments"])
Reader = Annotated[Principal, Depends(require("attachment.read"))]


class AttachmentOut(BaseModel):
    id: UUID
    transfer_id: UUID
    document_code: str
    filename: str
    content_type: str
    size_bytes: int
    sha256: str = Field(description="SHA-256 berkas, sebagaimana tercatat di log")
    uploaded_by: str
    uploaded_role: str
    uploaded_at: datetime


class RequiredDocumentOut(BaseModel):
    code: str
    label: str
    label_en: str
    declared: bool = Field(description="Disebut dalam usulan (dasar pemeriksaan R10)")
    attached: bool = Field(description="Berkasnya sudah diunggah")


class AttachmentPage(BaseModel):
    required: list[RequiredDocumentOut]
    items: list[AttachmentOut]
    next_offset: int | None


@router.post(
    "/{transfer_id}/attachments",
    status_code=201,
    response_model=AttachmentOut,
    openapi_extra=multipart_body("document_code"),
    summary="Unggah dokumen persyaratan / upload a required document (PDF, JPEG, PNG)",
)
async def upload(
    transfer_id: UUID,
    request: Request,
    pool: Pool,
    _key: IdempotencyKey,
    principal: Annotated[Principal, Depends(require("attachment.upload"))],
) -> AttachmentOut:
    """Idempotent by content: the same file for the same document is recorded once."""
    transfer = await load_visible(pool, principal, transfer_id)
    settings = request.app.state.settings
    upload = await read_upload(request, settings.attachment_max_bytes)
    code = upload.fields.get("document_code", "").strip()
    if not code:
        raise InvalidInput(
            "Kode dokumen wajib diisi", "document_code is required", field="document_code"
        )
    row = await add_attachment(
        pool,
        storage_for(settings),
        NewAttachment(
            transfer, code, upload.filename, upload.data, Actor(principal.sub, principal.main_role)
        ),
    )
    return AttachmentOut(**dict(row))


@router.get(
    "/{transfer_id}/attachments",
    response_model=AttachmentPage,
    summary="Daftar periksa dokumen dan lampiran / document checklist and attachments",
)
async def list_attachments(
    transfer_id: UUID, pool: Pool, page: Paging, principal: Reader
) -> AttachmentPage:
    transfer = await load_visible(pool, principal, transfer_id)
    rows = await attachments_page(pool, transfer_id, page.limit + 1, page.offset)
    attached = await attached_codes(pool, transfer_id)
    declared = await declared_codes(pool, transfer["tenant"], transfer_id)
    required = [
        RequiredDocumentOut(
            code=d.code,
            label=d.label_id,
            label_en=d.label_en,
            declared=d.code in declared,
            attached=d.code in attached,
        )
        for d in await checklist(pool, transfer)
    ]
    more = len(rows) > page.limit
    return AttachmentPage(
        required=required,
        items=[AttachmentOut(**dict(r)) for r in rows[: page.limit]],
        next_offset=page.offset + page.limit if more else None,
    )


@router.get(
    "/{transfer_id}/attachments/{attachment_id}",
    response_class=Response,
    responses={200: {"content": {t: {} for t in ("application/pdf", "image/jpeg", "image/png")}}},
    summary="Unduh lampiran / download an attachment",
)
async def download(
    transfer_id: UUID, attachment_id: UUID, request: Request, pool: Pool, principal: Reader
) -> Response:
    await load_visible(pool, principal, transfer_id)
    found = await read_attachment(
        pool, storage_for(request.app.state.settings), transfer_id, attachment_id
    )
    if found is None:
        raise NotFound("Lampiran tidak ditemukan", "Attachment not found")
    row, data = found
    return Response(
        data,
        media_type=row["content_type"],
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(row['filename'])}",
            "X-Content-SHA256": row["sha256"],
        },
    )
