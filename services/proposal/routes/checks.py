"""The rule checks of a transfer (R1–R10) as the log recorded them, for anyone who may see it.

Read from the transfer's own stream: each `transfer.checked` with its coded findings and match
score, and whether the check returned the proposal (`transfer.returned` by the system).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from mutasi import disclosure
from mutasi.auth.principal import Principal
from mutasi.domain.events import TransferEvent
from mutasi.log.store import StoredEvent, read_stream
from mutasi.transfers import load_visible
from mutasi.web.deps import Paging, Pool, require

router = APIRouter(prefix="/transfers", tags=["transfers"])


class RuleFinding(BaseModel):
    code: str = Field(description="Kode aturan, R1–R10")
    severity: str = Field(description="hard (menghalangi) / soft (perlu pembenaran)")
    message: str
    message_en: str | None = None
    justified: bool | None = Field(default=None, description="Aturan lunak: sudah ada pembenaran")


class RuleOutcome(BaseModel):
    code: str = Field(description="Kode aturan, R1–R10")
    severity: str = Field(description="hard (menghalangi) / soft (perlu pembenaran)")
    passed: bool = Field(description="Aturan terpenuhi")
    message: str = Field(description="Fakta yang menentukan, dalam bahasa Indonesia")
    message_en: str | None = None


class CheckOut(BaseModel):
    sequence: int
    checked_at: datetime
    passed: bool = Field(description="Tidak ada aturan keras yang dilanggar")
    match_score: int | None = Field(default=None, description="Skor kesesuaian kompetensi (R5)")
    failures: list[RuleFinding]
    warnings: list[RuleFinding]
    returned: bool = Field(description="Usulan dikembalikan kepada pengusul karena pemeriksaan")
    returned_reason: str | None = None
    rules: list[RuleOutcome] = Field(
        default=[],
        description="Setiap aturan R1–R10 dengan hasil dan faktanya (kosong pada pemeriksaan"
        " yang dicatat sebelum 30-11-2026: hanya pelanggaran dan peringatan yang dicatat)",
    )


class CheckPage(BaseModel):
    items: list[CheckOut]
    next_offset: int | None


def _findings(items: list[dict[str, Any]]) -> list[RuleFinding]:
    return [
        RuleFinding(
            code=f["code"],
            severity=f.get("severity", ""),
            message=f.get("message") or f.get("message_id") or "",
            message_en=f.get("message_en"),
            justified=f.get("justified"),
        )
        for f in items
    ]


def _withheld(event: StoredEvent) -> StoredEvent:
    """The entry as the receiving government reads it before consent (mutasi.disclosure)."""
    reason, payload, changed = disclosure.entry(
        event.event_type, event.actor_role, event.reason, event.payload
    )
    return replace(event, reason=reason, payload=payload) if changed else event


def checks_of(events: list[StoredEvent]) -> list[CheckOut]:
    checks: list[CheckOut] = []
    for event in events:
        p = event.payload
        if event.event_type == TransferEvent.CHECKED:
            checks.append(
                CheckOut(
                    sequence=event.sequence,
                    checked_at=event.occurred_at,
                    passed=bool(p.get("passed")),
                    match_score=p.get("match_score"),
                    failures=_findings(p.get("failures", [])),
                    warnings=_findings(p.get("warnings", [])),
                    returned=False,
                    rules=[RuleOutcome.model_validate(r) for r in p.get("rules", [])],
                )
            )
        elif (
            event.event_type == TransferEvent.RETURNED
            and event.actor_role == "system"
            and checks
            and not checks[-1].returned
        ):
            checks[-1].returned, checks[-1].returned_reason = True, event.reason
    return checks


@router.get(
    "/{transfer_id}/checks",
    response_model=CheckPage,
    summary="Hasil pemeriksaan aturan R1–R10 / the rule checks of a transfer",
)
async def read_checks(
    transfer_id: UUID,
    pool: Pool,
    page: Paging,
    principal: Annotated[Principal, Depends(require("transfer.read_checks"))],
) -> CheckPage:
    transfer = await load_visible(pool, principal, transfer_id)
    events = await read_stream(pool, transfer["tenant"], f"transfer/{transfer_id}")
    consent = disclosure.consented(e.event_type for e in events)
    parties = transfer["tenant"], transfer["target_tenant"]
    if disclosure.withheld(*parties, principal.tenant, consent):
        events = [_withheld(e) for e in events]
    checks = checks_of(events)
    items = checks[page.offset : page.offset + page.limit]
    more = len(checks) > page.offset + page.limit
    return CheckPage(items=items, next_offset=page.offset + page.limit if more else None)
