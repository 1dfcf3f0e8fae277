"""Proposals: submit, list, read, revise, withdraw."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import Field

from mutasi.auth.principal import Principal
from mutasi.errors import MutasiError
from mutasi.lifecycle import ReviseInput, StepInput, TransferState
from mutasi.logging import get_logger
from mutasi.transfers import check_effective_date, load_visible, run_update
from mutasi.web.deps import IdempotencyKey, PageQuery, Pool, Temporal, caller_of, limit, require
from services.proposal import handlers
from services.proposal.queries import transfers as listed
from services.proposal.schemas import (
    Accepted,
    ProposalIn,
    ReasonIn,
    ReviseIn,
    TransferOut,
    TransferPage,
)

router = APIRouter(prefix="/transfers", tags=["transfers"])
log = get_logger(__name__)


@router.post(
    "",
    status_code=202,
    response_model=Accepted,
    summary="Ajukan usulan mutasi / submit a transfer proposal",
)
async def submit(
    body: ProposalIn,
    request: Request,
    response: Response,
    pool: Pool,
    key: IdempotencyKey,
    principal: Annotated[Principal, Depends(require("transfer.propose"))],
) -> Accepted:
    """202 once the proposal is committed; its workflow is started right after, so the
    transfer shows in GET /transfers/{id} a moment later."""
    if body.origin_tenant and body.origin_tenant != principal.tenant:
        # Naming another government's employee looks into its records (404 or accepted says
        # whether the NIP is there): budgeted per caller and logged either way (finding 2).
        limit(request, principal, "cross_government")
        try:
            accepted = await handlers.propose(pool, principal, body, key)
        except MutasiError as refused:
            log.warning(
                "inter_government_proposal_refused",
                origin_tenant=body.origin_tenant,
                employee_nip=body.employee_nip,
                status=refused.status,
            )
            raise
        log.info(
            "inter_government_proposal",
            origin_tenant=body.origin_tenant,
            employee_nip=body.employee_nip,
            transfer_id=str(accepted.id),
        )
    else:
        accepted = await handlers.propose(pool, principal, body, key)
    response.headers["Location"] = f"/transfers/{accepted.id}"
    return accepted


class ListQuery(PageQuery):
    """GET /transfers' parameters, validated as one model (a hot read: see PageQuery)."""

    status: list[str] | None = Field(None, description="Satu atau beberapa status")
    q: str | None = Field(
        None, min_length=1, max_length=100, description="Nama atau awal NIP pegawai"
    )
    unit: str | None = Field(None, max_length=120, description="Unit asal atau tujuan")
    kind: str | None = Field(None, description="Jenis mutasi")
    submitted_from: date | None = Field(None, alias="from", description="Diajukan sejak (tanggal)")
    submitted_to: date | None = Field(None, alias="to", description="Diajukan sampai (tanggal)")
    sort: str = Field("baru", description="baru, lama, nama, status, tmt, diperbarui")


@router.get("", response_model=TransferPage, summary="Daftar usulan mutasi / list transfers")
async def list_transfers(
    request: Request,
    principal: Annotated[Principal, Depends(require("transfer.list"))],
    query: Annotated[ListQuery, Query()],
) -> dict[str, Any]:
    pool, page = request.app.state.pool, query.page  # not dependencies: see PageQuery
    filters = listed.Filters(
        query.q,
        tuple(query.status or ()),
        query.unit,
        query.kind,
        query.submitted_from,
        query.submitted_to,
        query.sort,
    )
    rows, more = await listed.list_transfers(pool, principal, filters, page.limit, page.offset)
    # Plain rows: FastAPI validates them against TransferPage once; building TransferOut
    # models here made it dump and validate them again (a third of the list's CPU).
    return {"items": rows, "next_offset": page.offset + page.limit if more else None}


@router.get("/{transfer_id}", response_model=TransferOut, summary="Rincian usulan / a transfer")
async def read(
    transfer_id: UUID,
    pool: Pool,
    principal: Annotated[Principal, Depends(require("transfer.read"))],
) -> TransferOut:
    return TransferOut(**await listed.read_transfer(pool, principal, transfer_id))


@router.post(
    "/{transfer_id}/withdraw",
    response_model=TransferState,
    summary="Tarik usulan / withdraw before the decree",
)
async def withdraw(
    transfer_id: UUID,
    body: ReasonIn,
    pool: Pool,
    temporal: Temporal,
    key: IdempotencyKey,
    principal: Annotated[Principal, Depends(require("transfer.withdraw"))],
) -> TransferState:
    await load_visible(pool, principal, transfer_id)
    return await run_update(
        temporal, transfer_id, "withdraw", StepInput(caller_of(principal), body.reason), key
    )


@router.post(
    "/{transfer_id}/revise",
    response_model=TransferState,
    summary="Perbaiki usulan yang dikembalikan / revise a returned proposal",
)
async def revise(
    transfer_id: UUID,
    body: ReviseIn,
    pool: Pool,
    temporal: Temporal,
    key: IdempotencyKey,
    principal: Annotated[Principal, Depends(require("transfer.revise"))],
) -> TransferState:
    transfer = await load_visible(pool, principal, transfer_id)
    if body.effective_date is not None:
        await check_effective_date(pool, transfer["target_tenant"], body.effective_date)
    target_unit, incentives = None, None
    if body.target_position_code:  # a new post brings its unit along, and its incentives
        target_unit = await handlers.target_unit_of(
            pool, transfer["target_tenant"], body.target_position_code
        )
        incentives = await handlers.incentives_of(pool, transfer, target_unit)
    arg = ReviseInput(
        caller_of(principal),
        body.justification,
        body.target_position_code,
        target_unit,
        body.effective_date.isoformat() if body.effective_date else None,
        body.reason,
        list(body.documents) if body.documents is not None else None,
        incentives,
    )
    return await run_update(temporal, transfer_id, "revise", arg, key)
