"""POST /rule-checks: rules R1–R10 of a would-be proposal, before it is submitted.

A dry run: the same proposer checks and the same rule loading as the workflow's check
activity (mutasi.eligibility), nothing recorded, no workflow started. Each rule comes with
the fact that decided it, in Indonesian. Asking about another government's employee is a
look into its records, as a proposal is: budgeted per caller and logged, and before that
government consents the receiving side learns met / not met of the personal rules, never the
facts (mutasi.disclosure, SPEC §7).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from mutasi import clock, disclosure
from mutasi.auth.principal import Principal
from mutasi.domain.rule_context import RuleResult
from mutasi.logging import get_logger
from mutasi.tenants.config import load_tenant_config
from mutasi.web.deps import Pool, limit, require
from mutasi.web.text import Code, Text
from services.proposal import handlers
from services.proposal.schemas import Nip, ProposalIn, Strict

router = APIRouter(prefix="/rule-checks", tags=["transfers"])
log = get_logger(__name__)
PREVIEW_TEXT = "(pratinjau pemeriksaan aturan)"  # reasons the rules never read


class CheckIn(Strict):
    """What the rules read of a proposal; the rest of the form may still be empty."""

    employee_nip: Nip
    target_position_code: Code
    origin_tenant: Code | None = Field(None, description="Pemerintah asal (antarinstansi)")
    effective_date: date | None = None
    justification: Text | None = None
    documents: list[Code] = Field(default_factory=list, max_length=30)

    def as_proposal(self, today: date) -> ProposalIn:
        return ProposalIn(
            employee_nip=self.employee_nip,
            target_position_code=self.target_position_code,
            origin_tenant=self.origin_tenant,
            reasons=PREVIEW_TEXT,
            expectations=PREVIEW_TEXT,
            effective_date=self.effective_date or today,
            justification=self.justification,
            documents=self.documents,
        )


class RuleOut(BaseModel):
    code: str = Field(description="R1–R10")
    severity: str = Field(description="hard (menghalangi) / soft (perlu pembenaran)")
    passed: bool
    message: str = Field(description="Fakta yang menentukan, dalam bahasa Indonesia")
    message_en: str
    justification_needed: bool = Field(description="Aturan lunak tak terpenuhi: perlu pembenaran")


class CheckPreview(BaseModel):
    kind: str
    passed: bool = Field(description="Tidak ada aturan keras yang dilanggar")
    justification_missing: list[str] = Field(
        description="Aturan lunak yang perlu pembenaran tertulis, bila belum diisi"
    )
    match_score: int | None = Field(description="Kesesuaian (R5); null bila dirahasiakan")
    withheld: bool = Field(description="Fakta pegawai instansi lain dirahasiakan")
    rules: list[RuleOut]


def _rule(result: RuleResult, withheld: bool) -> RuleOut:
    item = {
        "code": result.code,
        "severity": result.severity.value,
        "passed": result.passed,
        "message": result.message_id,
        "message_en": result.message_en,
        "justification_needed": result.requires_justification,
    }
    return RuleOut(**(disclosure.result(item) if withheld else item))


@router.post(
    "",
    response_model=CheckPreview,
    summary="Periksa aturan R1–R10 tanpa mengajukan / dry run of the rule check",
)
async def preview(
    body: CheckIn,
    request: Request,
    pool: Pool,
    principal: Annotated[Principal, Depends(require("transfer.propose"))],
) -> CheckPreview:
    withheld = bool(body.origin_tenant) and body.origin_tenant != principal.tenant
    if withheld:
        limit(request, principal, "cross_government")  # as a proposal naming them is
        log.info("inter_government_check", origin_tenant=body.origin_tenant,
                 employee_nip=body.employee_nip)  # fmt: skip
    # Without a TMT, today where the receiving government (the caller's) is.
    config = await load_tenant_config(pool, principal.tenant)
    today = clock.today(config.iana_time_zone if config else clock.WIB)
    data, report = await handlers.dry_run(pool, principal, body.as_proposal(today))
    missing = [] if body.justification else [r.code for r in report.results
                                             if r.requires_justification]  # fmt: skip
    return CheckPreview(
        kind=data.kind,
        passed=report.passed_hard,
        justification_missing=missing,
        match_score=None if withheld else round(report.match_score),
        withheld=withheld,
        rules=[_rule(r, withheld) for r in report.results],
    )
