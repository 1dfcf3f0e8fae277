"""Load what rules R1–R10 need from the database and run them (mutasi.domain.rules)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import asyncpg

from mutasi import lookups
from mutasi.domain.model import Employee, TransferKind
from mutasi.domain.rule_context import Proposer, RuleContext, RuleResult
from mutasi.domain.rules import evaluate
from mutasi.lifecycle import TransferInput
from mutasi.planning.queries import profile_config
from mutasi.tenants.config import load_tenant_config
from workflows.transfer import steps
from workflows.transfer.activities import CheckResult


def _finding(result: RuleResult) -> dict[str, Any]:
    return {
        "code": result.code,
        "severity": result.severity.value,
        "message": result.message_id,
        "message_en": result.message_en,
    }


async def evaluate_transfer(conn: asyncpg.Connection, t: TransferInput) -> CheckResult:
    row = await lookups.employee(conn, t.tenant, t.employee_nip)
    assert row is not None, "the proposal service checked the employee exists"
    employee = Employee.model_validate(row["data"])
    open_elsewhere = await lookups.open_transfers(conn, t.tenant, t.employee_nip, t.transfer_id)
    tenants = await lookups.tenants(conn, [t.tenant, t.target_tenant])
    receiving = await load_tenant_config(conn, t.target_tenant)
    assert receiving is not None, "the proposal service checked the government exists"
    ctx = RuleContext(
        employee=employee,
        target_position=await lookups.position(conn, t.target_tenant, t.target_position_code),
        target_unit_code=t.target_unit_code,
        origin_position=await lookups.position(conn, t.tenant, t.origin_position_code),
        proposer=Proposer(t.proposer.sub, steps.proposing_role(t.proposer), t.proposer.nip),
        kind=TransferKind(t.kind),
        today=datetime.now(UTC).date(),
        self_application=t.self_application,
        open_transfer_exists=open_elsewhere > 0,
        tenants=tuple(tenants.values()),
        ministerial_consent_document=receiving.ministerial_consent_document,
        attached_documents=frozenset(t.documents),
        tenant_checklist=receiving.document_checklist or None,
        profile=await profile_config(conn, t.target_tenant),  # R5 as the government weighs it
    )
    report = evaluate(ctx)
    unjustified = [r for r in report.soft_warnings if r.requires_justification]
    return CheckResult(
        passed=not report.hard_failures,
        failures=[_finding(r) for r in report.hard_failures],
        warnings=[_finding(r) | {"justified": bool(t.justification)} for r in unjustified],
        match_score=round(report.match_score),
    )
