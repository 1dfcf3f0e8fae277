"""The auditor's API: a transfer's trail, chain verification, checkpoints, export.

Everything but the public key needs the `audit.read` action (the auditor role) and reads
only the caller's own government; the public key is public so that anyone holding a
published checkpoint can check it.
"""

from __future__ import annotations

import base64
from typing import Annotated, Any, Literal
from uuid import UUID

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from mutasi.audit import checkpoint_check as cc
from mutasi.audit.proofs import build_proof
from mutasi.audit.queries import export_chunks, transfer_trail
from mutasi.audit.trust import DbTrust
from mutasi.audit.verification import as_dict, verify_tenant
from mutasi.auth.principal import Principal
from mutasi.errors import InvalidInput, NotFound, Unavailable
from mutasi.log.checkpoints import (
    CheckpointKeyError,
    key_id,
    public_key,
    public_pem,
    raw_public_key,
)
from mutasi.settings import Settings
from mutasi.transfers import load_visible
from mutasi.web.deps import Paging, Pool, expensive, public, require

router = APIRouter(prefix="/audit", tags=["audit"])
Auditor = Annotated[Principal, Depends(require("audit.read"))]
# A verification reads the whole chain on every core; an export streams it: budgeted apart.
CostlyAuditor = Annotated[Principal, Depends(expensive("audit.read"))]
First = Annotated[
    int | None, Query(alias="from", ge=1, le=2**62, description="sequence, inclusive")
]
Last = Annotated[int | None, Query(alias="to", ge=1, le=2**62, description="sequence, inclusive")]
Format = Annotated[Literal["jsonl", "csv"], Query(alias="format")]
# Whose record of verified checkpoints this is (audit_trusted_checkpoints.verifier).
VERIFIER = "approval-service"
_MEDIA = {"jsonl": "application/x-ndjson", "csv": "text/csv; charset=utf-8"}


def _settings(request: Request) -> Settings:
    return request.app.state.settings


AppSettings = Annotated[Settings, Depends(_settings)]


class PublicKeyOut(BaseModel):
    algorithm: str
    key_id: str
    public_key: str
    public_key_pem: str


class TrailPage(BaseModel):
    transfer_id: UUID
    items: list[dict[str, Any]]
    next_offset: int | None


class BrokenEntry(BaseModel):
    sequence: int
    stream: str | None
    version: int | None
    reason: Literal["hash mismatch", "broken link", "head mismatch"]
    message: str
    detail: str


class ChainOut(BaseModel):
    ok: bool
    first_sequence: int | None
    last_sequence: int | None
    entries: int
    seconds: float
    head: dict[str, Any] | None
    broken: BrokenEntry | None


class CheckpointsOut(BaseModel):
    ok: bool
    source: str
    checked: int
    broken: dict[str, Any] | None


class ChainPosition(BaseModel):
    sequence: int
    length: int
    hash: str
    signed_at: str


class VerifyOut(BaseModel):
    tenant: str
    ok: bool
    mode: Literal["full", "incremental", "range"]
    trusted_from: ChainPosition | None
    trusted_now: ChainPosition | None
    chain: ChainOut
    checkpoints: CheckpointsOut


class CheckpointPage(BaseModel):
    items: list[dict[str, Any]]
    next_offset: int | None


def _public_key(settings: Settings) -> Ed25519PublicKey:
    try:
        return public_key(settings)
    except CheckpointKeyError as exc:  # a deployment without its installed key: our fault
        raise Unavailable(
            "Kunci publik checkpoint belum dipasang", "The checkpoint public key is not installed"
        ) from exc


def _range(first: int | None, last: int | None) -> None:
    if first is not None and last is not None and first > last:
        raise InvalidInput(
            "Parameter 'from' tidak boleh lebih besar dari 'to'",
            "'from' must not be greater than 'to'",
        )


@router.get(
    "/public-key",
    response_model=PublicKeyOut,
    summary="Kunci publik checkpoint / the checkpoint public key (no token)",
    dependencies=[Depends(public("anyone verifies published checkpoints against it"))],
)
async def checkpoint_public_key(settings: AppSettings) -> PublicKeyOut:
    key = _public_key(settings)
    return PublicKeyOut(
        algorithm="Ed25519",
        key_id=key_id(key),
        public_key=base64.b64encode(raw_public_key(key)).decode(),
        public_key_pem=public_pem(key).decode(),
    )


@router.get(
    "/transfers/{transfer_id}/trail",
    response_model=TrailPage,
    summary="Jejak audit usulan mutasi / a transfer's audit trail",
)
async def trail(transfer_id: UUID, pool: Pool, page: Paging, principal: Auditor) -> TrailPage:
    entries = await transfer_trail(pool, principal.tenant, transfer_id)
    window = entries[page.offset : page.offset + page.limit]
    more = page.offset + page.limit < len(entries)
    return TrailPage(
        transfer_id=transfer_id,
        items=window,
        next_offset=page.offset + page.limit if more else None,
    )


@router.get(
    "/verify",
    response_model=VerifyOut,
    summary="Verifikasi rantai log / verify the tenant's chain and its checkpoints",
)
async def verify(
    pool: Pool,
    settings: AppSettings,
    principal: CostlyAuditor,
    first: First = None,
    last: Last = None,
    checkpoints: Literal["db", "nats"] = "db",
    full: Annotated[
        bool, Query(description="every entry, not only those after the last verified checkpoint")
    ] = False,
) -> VerifyOut:
    """By default only the entries after the signed checkpoint up to which this service last
    verified the chain are read (its signature and entry checked again); `full=true` reads
    every entry. A range (`from`/`to`) is checked as asked."""
    _range(first, last)
    result = await verify_tenant(
        settings,
        pool,
        principal.tenant,
        first,
        last,
        checkpoints,
        [_public_key(settings)],
        trust=DbTrust(pool, VERIFIER),
        full=full,
    )
    return VerifyOut.model_validate(as_dict(result))


@router.get(
    "/checkpoints",
    response_model=CheckpointPage,
    summary="Checkpoint bertanda tangan / signed checkpoints, oldest first",
)
async def checkpoints(pool: Pool, page: Paging, principal: Auditor) -> CheckpointPage:
    found = await cc.from_db(pool, principal.tenant, page.limit + 1, page.offset)
    more = len(found) > page.limit
    return CheckpointPage(
        items=[c.as_dict() for c in found[: page.limit]],
        next_offset=page.offset + page.limit if more else None,
    )


@router.get(
    "/export",
    summary="Ekspor log / export the tenant's log (JSON Lines or CSV)",
    response_class=StreamingResponse,
)
async def export(
    pool: Pool,
    principal: CostlyAuditor,
    fmt: Format = "jsonl",
    first: First = None,
    last: Last = None,
) -> StreamingResponse:
    _range(first, last)
    filename = f"mutasi-log-{principal.tenant}.{fmt}"
    return StreamingResponse(
        export_chunks(pool, principal.tenant, fmt, first, last),
        media_type=_MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


class ProofOut(BaseModel):
    format: str
    entry: dict[str, Any] = Field(description="The entry exactly as its hash covers it")
    leaf_index: int = Field(description="Its place among the government's entries, from 0")
    tree_size: int
    audit_path: list[str] = Field(description="RFC 6962 sibling hashes, leaf upward (hex)")
    checkpoint: dict[str, Any] = Field(description="The signed checkpoint with the tree head")


Sequence = Annotated[int, Path(ge=1, le=2**62, description="The entry's sequence")]


@router.get(
    "/entries/{sequence}/proof",
    response_model=ProofOut,
    summary="Bukti entri ada di log / proof that an entry is in the log (RFC 6962)",
)
async def proof(
    sequence: Sequence,
    pool: Pool,
    principal: Annotated[Principal, Depends(expensive("audit.prove"))],
) -> ProofOut:
    """Check it offline with `mutasi audit prove --check` and the public key."""
    if not principal.has("auditor"):
        await _entry_of_a_visible_transfer(pool, principal, sequence)
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read"):
        return ProofOut.model_validate(await build_proof(conn, principal.tenant, sequence))


async def _entry_of_a_visible_transfer(pool: Pool, principal: Principal, sequence: int) -> None:
    stream = await pool.fetchval(
        "SELECT stream FROM event_log WHERE tenant = $1 AND sequence = $2",
        principal.tenant,
        sequence,
    )
    kind, _, ident = (stream or "").partition("/")
    try:
        transfer_id = UUID(ident) if kind == "transfer" else None
    except ValueError:
        transfer_id = None
    if transfer_id is None:
        raise NotFound("Entri log tidak ditemukan", "Log entry not found")
    try:
        await load_visible(pool, principal, transfer_id)
    except NotFound as exc:
        raise NotFound("Entri log tidak ditemukan", "Log entry not found") from exc
