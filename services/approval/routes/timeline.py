"""A transfer's timeline from the audit log, for everyone who may see the transfer.

Who did what, in which role, when and why — each entry with its hash, whether that hash
still recomputes from the entry (nobody edited it), and whether a signed checkpoint already
covers it (a rewrite of history would be provable from outside). The auditor's full chain
verification stays on /audit/verify. Before the origin government consents, another party
reads a rule check's findings as pass/fail only (mutasi.disclosure), as on /checks.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from mutasi import disclosure
from mutasi.auth.principal import Principal
from mutasi.log.canonical import ChainedFields
from mutasi.log.store import StoredEvent, read_stream
from mutasi.transfers import load_visible
from mutasi.web.deps import Paging, Pool, require
from services.approval import queries

router = APIRouter(prefix="/transfers", tags=["timeline"])
MAX_ENTRIES = 1000


class TimelineEntry(BaseModel):
    sequence: int
    time: datetime
    action: str = Field(description="Jenis peristiwa, mis. transfer.verified")
    actor_id: str
    role: str
    reason: str | None
    payload: dict[str, object]
    hash: str
    prev_hash: str
    intact: bool = Field(description="Hash entri masih cocok dengan isinya")
    checkpointed: bool = Field(description="Sudah tercakup checkpoint bertanda tangan")
    withheld: bool = Field(
        False, description="Rincian pemeriksaan dirahasiakan sampai PPK instansi asal menyetujui"
    )


class Timeline(BaseModel):
    transfer_id: UUID
    chain_intact: bool = Field(description="Semua entri usulan ini utuh")
    checkpoint_sequence: int | None = Field(description="Urutan log checkpoint terakhir")
    items: list[TimelineEntry]
    next_offset: int | None


def _intact(e: StoredEvent) -> bool:
    fields = ChainedFields(
        e.sequence, e.tenant, e.stream, e.version, str(e.event_id), e.event_type,
        e.occurred_at, e.actor_id, e.actor_role, e.reason, e.payload, e.prev_hash,
    )  # fmt: skip
    return fields.hash() == e.hash


def _entry(e: StoredEvent, hide: bool, covered: int | None) -> TimelineEntry:
    """The entry as this reader may see it; `intact` is of the stored entry all the same."""
    reason, payload, withheld = (
        disclosure.entry(e.event_type, e.actor_role, e.reason, e.payload)
        if hide
        else (e.reason, e.payload, False)
    )
    return TimelineEntry(
        sequence=e.sequence,
        time=e.occurred_at,
        action=e.event_type,
        actor_id=e.actor_id,
        role=e.actor_role,
        reason=reason,
        payload=payload,
        hash=e.hash,
        prev_hash=e.prev_hash,
        intact=_intact(e),
        checkpointed=covered is not None and e.sequence <= covered,
        withheld=withheld,
    )


@router.get(
    "/{transfer_id}/timeline",
    response_model=Timeline,
    summary="Riwayat usulan dari log audit / a transfer's timeline with hashes",
)
async def timeline(
    transfer_id: UUID,
    pool: Pool,
    page: Paging,
    principal: Annotated[Principal, Depends(require("transfer.read"))],
) -> Timeline:
    transfer = await load_visible(pool, principal, transfer_id)
    events = await read_stream(pool, transfer["tenant"], f"transfer/{transfer_id}")
    hide = disclosure.withheld(
        transfer["tenant"],
        transfer["target_tenant"],
        principal.tenant,
        disclosure.consented(e.event_type for e in events),
    )
    covered = await queries.checkpoint_cover(pool, transfer["tenant"])
    items = [_entry(e, hide, covered) for e in events[:MAX_ENTRIES]]
    more = len(items) > page.offset + page.limit
    return Timeline(
        transfer_id=transfer_id,
        chain_intact=all(i.intact for i in items),  # of every entry, not only this page
        checkpoint_sequence=covered,
        items=items[page.offset : page.offset + page.limit],
        next_offset=page.offset + page.limit if more else None,
    )
