"""The human steps after a proposal: verification, the origin's consent, BKN's pertek, and
the approver's decision. The meeting's recommendation comes from a meeting (meetings.py)."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from mutasi.attachments import require_complete
from mutasi.auth.principal import Principal
from mutasi.lifecycle import DecisionInput, StepInput, TransferState, VerifyInput
from mutasi.transfers import check_effective_date, load_visible, query_transfer, run_update
from mutasi.web.deps import IdempotencyKey, Pool, Temporal, caller_of, require
from mutasi.web.text import Reference, Text

router = APIRouter(prefix="/transfers", tags=["approval steps"])
Reason = Text


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class VerifyIn(Strict):
    outcome: Literal["verified", "returned"] = "verified"
    note: Reason | None = Field(None, description="Catatan; wajib bila dikembalikan")


class ConsentIn(Strict):
    outcome: Literal["given", "refused"]
    reason: Reason | None = Field(None, description="Alasan; wajib bila menolak")
    reference: Reference | None = Field(None, description="Nomor surat persetujuan PPK asal")


class PertekIn(Strict):
    outcome: Literal["given", "returned", "refused"]
    reason: Reason | None = Field(None, description="Alasan; wajib bila tidak diberikan")
    reference: Reference | None = Field(None, description="Nomor pertimbangan teknis BKN")


class DecisionIn(Strict):
    outcome: Literal["approved", "rejected", "returned"]
    reason: Reason | None = None


@router.post(
    "/{transfer_id}/verify",
    response_model=TransferState,
    summary="Verifikasi BKPSDM / verification by the HR officer",
)
async def verify(
    transfer_id: UUID,
    body: VerifyIn,
    pool: Pool,
    temporal: Temporal,
    key: IdempotencyKey,
    principal: Annotated[Principal, Depends(require("transfer.verify"))],
) -> TransferState:
    transfer = await load_visible(pool, principal, transfer_id)
    ready = transfer["status"] == "checked" and transfer["target_tenant"] == principal.tenant
    if body.outcome == "verified" and ready:
        # The files themselves, not what was declared (R10). Whoever may not verify now is
        # refused by the workflow, as for any step.
        await require_complete(pool, transfer)
    return await run_update(
        temporal,
        transfer_id,
        "verify",
        VerifyInput(caller_of(principal), body.outcome, body.note),
        key,
    )


@router.post(
    "/{transfer_id}/consent",
    response_model=TransferState,
    summary="Persetujuan PPK instansi asal / the origin government's consent",
)
async def consent(
    transfer_id: UUID,
    body: ConsentIn,
    pool: Pool,
    temporal: Temporal,
    key: IdempotencyKey,
    principal: Annotated[Principal, Depends(require("transfer.consent"))],
) -> TransferState:
    await load_visible(pool, principal, transfer_id)
    arg = DecisionInput(caller_of(principal), body.outcome, body.reason, body.reference)
    return await run_update(temporal, transfer_id, "consent", arg, key)


@router.post(
    "/{transfer_id}/pertek",
    response_model=TransferState,
    summary="Pertimbangan teknis BKN / BKN's technical consideration",
)
async def pertek(
    transfer_id: UUID,
    body: PertekIn,
    pool: Pool,
    temporal: Temporal,
    key: IdempotencyKey,
    principal: Annotated[Principal, Depends(require("transfer.pertek"))],
) -> TransferState:
    await load_visible(pool, principal, transfer_id)
    arg = DecisionInput(caller_of(principal), body.outcome, body.reason, body.reference)
    return await run_update(temporal, transfer_id, "pertek", arg, key)


@router.post(
    "/{transfer_id}/decision",
    response_model=TransferState,
    summary="Keputusan PPK / the approver's decision",
)
async def decision(
    transfer_id: UUID,
    body: DecisionIn,
    pool: Pool,
    temporal: Temporal,
    key: IdempotencyKey,
    principal: Annotated[Principal, Depends(require("transfer.decide"))],
) -> TransferState:
    transfer = await load_visible(pool, principal, transfer_id)
    if body.outcome == "approved" and transfer["effective_date"] is not None:
        # The decree follows the approval at once: its TMT must still be within bounds.
        await check_effective_date(pool, transfer["target_tenant"], transfer["effective_date"])
    return await run_update(
        temporal,
        transfer_id,
        "decide",
        DecisionInput(caller_of(principal), body.outcome, body.reason),
        key,
    )


class CancelDecreeIn(Strict):
    reason: Reason = Field(description="Alasan pembatalan SK (wajib)")


@router.post(
    "/{transfer_id}/cancel-decree",
    response_model=TransferState,
    summary="Batalkan SK sebelum TMT dengan SK pembatalan / annul the decree before TMT",
)
async def cancel_decree(
    transfer_id: UUID,
    body: CancelDecreeIn,
    pool: Pool,
    temporal: Temporal,
    key: IdempotencyKey,
    principal: Annotated[Principal, Depends(require("transfer.cancel_decree"))],
) -> TransferState:
    """A wrong decree is annulled by a numbered cancelling decree; the transfer ends and the
    employee stays in their post (and may be proposed again)."""
    await load_visible(pool, principal, transfer_id)
    arg = StepInput(caller_of(principal), body.reason)
    return await run_update(temporal, transfer_id, "cancel_decree", arg, key)


@router.get(
    "/{transfer_id}/progress",
    response_model=TransferState,
    summary="Posisi proses dan langkah yang ditunggu / state and pending step",
)
async def progress(
    transfer_id: UUID,
    pool: Pool,
    temporal: Temporal,
    principal: Annotated[Principal, Depends(require("transfer.read"))],
) -> TransferState:
    """Asks the workflow itself: its status, the step it waits for, from whom, and by when."""
    await load_visible(pool, principal, transfer_id)
    return await query_transfer(temporal, transfer_id)
