"""The human steps after a proposal: verification, the meeting's decision, the PPK's decision."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, StringConstraints

from mutasi.auth.principal import Principal
from mutasi.lifecycle import DecisionInput, MeetingDecisionInput, StepInput, TransferState
from mutasi.transfers import load_visible, run_update
from mutasi.web.deps import IdempotencyKey, Pool, Temporal, caller_of, require

router = APIRouter(prefix="/transfers", tags=["approval steps"])
Reason = Annotated[str, StringConstraints(min_length=1, max_length=4000, strip_whitespace=True)]


class VerifyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: Reason | None = None


class MeetingDecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    outcome: Literal["recommended", "not_recommended", "deferred"]
    reason: Reason | None = None
    meeting_id: str | None = None


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    outcome: Literal["approved", "rejected", "returned"]
    reason: Reason | None = None


@router.post("/{transfer_id}/verify", response_model=TransferState,
             summary="Verifikasi BKPSDM / verification by the HR officer")
async def verify(transfer_id: UUID, body: VerifyIn, pool: Pool, temporal: Temporal,
                 key: IdempotencyKey,
                 principal: Annotated[Principal, Depends(require("transfer.verify"))]
                 ) -> TransferState:
    await load_visible(pool, principal, transfer_id)
    return await run_update(temporal, transfer_id, "verify",
                            StepInput(caller_of(principal), body.note), key)


@router.post("/{transfer_id}/meeting-decision", response_model=TransferState,
             summary="Rekomendasi tim penilai / the meeting's recommendation")
async def meeting_decision(
    transfer_id: UUID, body: MeetingDecisionIn, pool: Pool, temporal: Temporal,
    key: IdempotencyKey,
    principal: Annotated[Principal, Depends(require("transfer.meeting_decide"))],
) -> TransferState:
    await load_visible(pool, principal, transfer_id)
    arg = MeetingDecisionInput(caller_of(principal), body.outcome, body.reason, body.meeting_id)
    return await run_update(temporal, transfer_id, "meeting_decide", arg, key)


@router.post("/{transfer_id}/decision", response_model=TransferState,
             summary="Keputusan PPK / the approver's decision")
async def decision(transfer_id: UUID, body: DecisionIn, pool: Pool, temporal: Temporal,
                   key: IdempotencyKey,
                   principal: Annotated[Principal, Depends(require("transfer.decide"))]
                   ) -> TransferState:
    await load_visible(pool, principal, transfer_id)
    return await run_update(temporal, transfer_id, "decide",
                            DecisionInput(caller_of(principal), body.outcome, body.reason), key)
