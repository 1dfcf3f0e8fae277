"""Attachments of a transfer's required documents: stored by content, recorded in the log.

The file goes to a `Storage` under a content-addressed key (`<tenant>/<transfer>/<sha256>`),
so writing it twice is harmless and a file can never be swapped under its record. Then, in
one transaction, the event `attachment.added` is appended on stream `attachment/<transfer>` —
not on the transfer's own stream, which only its workflow writes (no version races with it) —
and indexed in `attachments`. The event id is derived from (transfer, document, SHA-256), so
a retried upload records nothing twice.

Storage: the filesystem (default, under `<var_dir>/attachments`). The `Storage` protocol is
the seam for an S3-compatible store; none ships, as no S3 client library is a dependency.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from uuid import NAMESPACE_URL, UUID, uuid5

import asyncpg

from mutasi.domain.events import AttachmentEvent
from mutasi.domain.lifecycle import BEFORE_DECREE
from mutasi.domain.model import RequiredDocument, TransferKind, required_documents
from mutasi.errors import IllegalTransition, InvalidInput, MutasiError
from mutasi.log.store import Actor, NewEvent, append
from mutasi.settings import Settings

_ID_NS = uuid5(NAMESPACE_URL, "https://mutasi.go.id/attachments")
# PDF, JPEG and PNG only, recognised by their first bytes (the declared type is not trusted).
SIGNATURES = {
    "application/pdf": b"%PDF-",
    "image/jpeg": b"\xff\xd8\xff",
    "image/png": b"\x89PNG\r\n\x1a\n",
}
ATTACHMENT_COLUMNS = (
    "id, transfer_id, document_code, filename, content_type, size_bytes,"
    " sha256, uploaded_by, uploaded_role, uploaded_at"
)


class UnsupportedMediaType(MutasiError):
    status, slug = 415, "unsupported-media-type"


class DocumentsIncomplete(MutasiError):
    status, slug = 409, "documents-incomplete"


class AttachmentDamaged(MutasiError):
    status, slug = 500, "attachment-damaged"


class Storage(Protocol):
    def put(self, key: str, data: bytes) -> None: ...

    def get(self, key: str) -> bytes: ...


_KEY = re.compile(r"^[a-z0-9-]+/[0-9a-f-]{36}/[0-9a-f]{64}$")


@dataclass(frozen=True)
class FilesystemStorage:
    root: Path

    def _path(self, key: str) -> Path:
        if not _KEY.match(key):  # keys are ours; refuse anything that could leave the root
            raise ValueError(f"invalid storage key {key!r}")
        return self.root / key

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)  # atomic: a reader sees the whole file or none

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()


def storage_for(settings: Settings) -> Storage:
    return FilesystemStorage(settings.attachments_root)


def sniff_type(data: bytes) -> str:
    for content_type, signature in SIGNATURES.items():
        if data.startswith(signature):
            return content_type
    raise UnsupportedMediaType(
        "Jenis berkas tidak diizinkan; hanya PDF, JPEG atau PNG",
        "Only PDF, JPEG or PNG files are accepted",
    )


def clean_filename(name: str | None) -> str:
    base = re.sub(r"[\x00-\x1f/\\]", "_", (name or "").rsplit("/", 1)[-1]).strip()
    return base[:200] or "lampiran"


async def checklist(
    conn: asyncpg.Connection | asyncpg.Pool, transfer: asyncpg.Record
) -> tuple[RequiredDocument, ...]:
    """The documents this transfer's kind requires (R10), as the receiving tenant set them."""
    configured = await conn.fetchval(
        "SELECT document_checklist FROM tenants WHERE slug = $1", transfer["target_tenant"]
    )
    return required_documents(
        TransferKind(transfer["kind"]),
        list(configured) if configured is not None else None,
        transfer["self_application"],
    )


@dataclass(frozen=True)
class NewAttachment:
    transfer: asyncpg.Record  # as the caller may see it (mutasi.transfers.load_visible)
    document_code: str
    filename: str | None
    data: bytes
    actor: Actor


def _payload(
    new: NewAttachment, attachment_id: UUID, content_type: str, digest: str, key: str
) -> dict[str, Any]:
    return {
        "attachment_id": str(attachment_id),
        "transfer_id": str(new.transfer["id"]),
        "document_code": new.document_code,
        "filename": clean_filename(new.filename),
        "content_type": content_type,
        "size_bytes": len(new.data),
        "sha256": digest,
        "storage_key": key,
    }


async def _check(pool: asyncpg.Pool, new: NewAttachment) -> None:
    if new.transfer["status"] not in BEFORE_DECREE:
        raise IllegalTransition(
            "Lampiran tidak dapat ditambahkan pada status ini",
            f"No attachments in status {new.transfer['status']}",
        )
    codes = [d.code for d in await checklist(pool, new.transfer)]
    if new.document_code not in codes:
        raise InvalidInput(
            f"Kode dokumen tidak dikenal untuk jenis mutasi ini; pilih salah "
            f"satu: {', '.join(codes)}",
            f"Unknown document code for this kind: use one of {codes}",
            field="document_code",
        )


async def add_attachment(
    pool: asyncpg.Pool, storage: Storage, new: NewAttachment
) -> asyncpg.Record:
    await _check(pool, new)
    content_type = sniff_type(new.data)
    digest = hashlib.sha256(new.data).hexdigest()
    transfer_id, tenant = new.transfer["id"], new.transfer["tenant"]
    attachment_id = uuid5(_ID_NS, f"{transfer_id}/{new.document_code}/{digest}")
    key = f"{tenant}/{transfer_id}/{digest}"
    # The file first: a crash leaves at most an unreferenced file, never a record without one.
    await asyncio.to_thread(storage.put, key, new.data)
    payload = _payload(new, attachment_id, content_type, digest, key)
    try:
        async with pool.acquire() as conn, conn.transaction():
            [stored] = await append(
                conn,
                tenant,
                [
                    NewEvent(
                        f"attachment/{transfer_id}",
                        AttachmentEvent.ADDED,
                        payload,
                        new.actor,
                        event_id=attachment_id,
                    )
                ],
            )
            await conn.execute(
                "INSERT INTO attachments (id, tenant, transfer_id, document_code, filename,"
                " content_type, size_bytes, sha256, storage_key, uploaded_by, uploaded_role,"
                " uploaded_at, sequence) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,"
                " $12, $13) ON CONFLICT (id) DO NOTHING",
                attachment_id,
                tenant,
                transfer_id,
                new.document_code,
                payload["filename"],
                content_type,
                len(new.data),
                digest,
                key,
                stored.actor_id,
                stored.actor_role,
                stored.occurred_at,
                stored.sequence,
            )
    except asyncpg.UniqueViolationError:
        pass  # the same upload, concurrently: the other one recorded it
    return await pool.fetchrow(
        f"SELECT {ATTACHMENT_COLUMNS} FROM attachments WHERE id = $1", attachment_id
    )


async def read_attachment(
    pool: asyncpg.Pool, storage: Storage, transfer_id: UUID, attachment_id: UUID
) -> tuple[asyncpg.Record, bytes] | None:
    """The record and the bytes, checked against the SHA-256 the log holds."""
    row = await pool.fetchrow(
        f"SELECT {ATTACHMENT_COLUMNS}, storage_key, (SELECT payload->>'sha256' FROM event_log"
        " WHERE event_id = a.id) AS logged_sha256 FROM attachments a WHERE id = $1"
        " AND transfer_id = $2",
        attachment_id,
        transfer_id,
    )
    if row is None:
        return None
    try:
        data = await asyncio.to_thread(storage.get, row["storage_key"])
    except OSError:
        data = b""
    if hashlib.sha256(data).hexdigest() != row["logged_sha256"]:
        raise AttachmentDamaged(
            "Berkas lampiran hilang atau rusak", f"Attachment {attachment_id} is missing or altered"
        )
    return row, data


async def attachments_page(
    db: asyncpg.Pool | asyncpg.Connection, transfer_id: UUID, limit: int, offset: int
) -> list[asyncpg.Record]:
    return await db.fetch(
        f"SELECT {ATTACHMENT_COLUMNS} FROM attachments WHERE transfer_id = $1"
        " ORDER BY uploaded_at, id LIMIT $2 OFFSET $3",
        transfer_id,
        limit,
        offset,
    )


async def attached_codes(db: asyncpg.Pool | asyncpg.Connection, transfer_id: UUID) -> set[str]:
    """The document codes a transfer has at least one uploaded file for."""
    rows = await db.fetch(
        "SELECT DISTINCT document_code FROM attachments WHERE transfer_id = $1", transfer_id
    )
    return {r["document_code"] for r in rows}


async def declared_codes(
    db: asyncpg.Pool | asyncpg.Connection, tenant: str, transfer_id: UUID
) -> set[str]:
    """The document codes the proposal (or its last revision) declares."""
    documents = await db.fetchval(
        "SELECT payload->'documents' FROM event_log WHERE tenant = $1 AND stream = $2"
        " AND event_type IN ('transfer.submitted', 'transfer.revised') AND payload ? 'documents'"
        " ORDER BY version DESC LIMIT 1",
        tenant,
        f"transfer/{transfer_id}",
    )
    return set(documents or [])


async def require_complete(db: asyncpg.Pool | asyncpg.Connection, transfer: asyncpg.Record) -> None:
    """R10 as BKPSDM verifies it: a file of every required kind is uploaded (a declared
    document without its file does not count)."""
    attached = await attached_codes(db, transfer["id"])
    missing = [d for d in await checklist(db, transfer) if d.code not in attached]
    if missing:
        raise DocumentsIncomplete(
            "Berkas belum lengkap; belum diunggah: " + "; ".join(d.label_id for d in missing),
            "Documents missing: " + ", ".join(d.code for d in missing),
            missing=[d.code for d in missing],
        )
