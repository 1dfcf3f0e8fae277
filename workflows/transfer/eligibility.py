"""Load what rules R1–R10 need from the database and run them (mutasi.domain.rules)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import asyncpg

from mutasi.domain.lifecycle import FINISHED
from mutasi.domain.model import Employee, Position, Tenant, TransferKind
from mutasi.domain.rule_context import Proposer, RuleContext, RuleResult
from mutasi.domain.rules import evaluate
from mutasi.lifecycle import TransferInput
from mutasi.planning.queries import profile_config
from workflows.transfer.activities import CheckResult


async def load_tenant(conn: asyncpg.Connection, slug: str) -> Tenant:
    row = await conn.fetchrow(
        "SELECT slug, name, kind, province, head_inaugurated_on,"
        " election_candidate_determination_on FROM tenants WHERE slug = $1",
        slug,
    )
    return Tenant(**dict(row))


async def load_position(conn: asyncpg.Connection, tenant: str, code: str | None) -> Position | None:
    row = await conn.fetchrow(
        "SELECT p.code, p.name, p.unit_code, p.kind, p.class, p.required_education_level,"
        " p.required_education_fields, p.required_competencies, p.needed, f.filled"
        " FROM positions p JOIN position_filled f ON f.tenant = p.tenant"
        " AND f.position_code = p.code WHERE p.tenant = $1 AND p.code = $2",
        tenant,
        code,
    )
    if row is None:
        return None
    data = dict(row)
    data["class"] = data.pop("class") or 7
    data["required_education_fields"] = tuple(data["required_education_fields"] or ())
    return Position(**{k: v for k, v in data.items() if v is not None})


def _finding(result: RuleResult) -> dict[str, Any]:
    return {
        "code": result.code,
        "severity": result.severity.value,
        "message": result.message_id,
        "message_en": result.message_en,
    }


async def evaluate_transfer(conn: asyncpg.Connection, t: TransferInput) -> CheckResult:
    row = await conn.fetchrow(
        "SELECT data FROM employees WHERE tenant = $1 AND nip = $2", t.tenant, t.employee_nip
    )
    employee = Employee.model_validate(row["data"])
    open_elsewhere = await conn.fetchval(
        "SELECT count(*) FROM transfers WHERE tenant = $1 AND employee_nip = $2 AND id <> $3"
        " AND status <> ALL($4::text[])",
        t.tenant,
        t.employee_nip,
        t.transfer_id,
        [s.value for s in FINISHED],
    )
    tenants = {t.tenant: await load_tenant(conn, t.tenant)}
    tenants[t.target_tenant] = await load_tenant(conn, t.target_tenant)
    tenant_row = await conn.fetchrow(
        "SELECT document_checklist, ministerial_consent_document FROM tenants WHERE slug = $1",
        t.target_tenant,
    )
    ctx = RuleContext(
        employee=employee,
        target_position=await load_position(conn, t.target_tenant, t.target_position_code),
        target_unit_code=t.target_unit_code,
        origin_position=await load_position(conn, t.tenant, t.origin_position_code),
        proposer=Proposer(t.proposer.sub, t.proposer.roles[0], t.proposer.nip),
        kind=TransferKind(t.kind),
        today=datetime.now(UTC).date(),
        self_application=t.self_application,
        open_transfer_exists=open_elsewhere > 0,
        tenants=tuple(tenants.values()),
        ministerial_consent_document=tenant_row["ministerial_consent_document"],
        attached_documents=frozenset(t.documents),
        tenant_checklist=tuple(tenant_row["document_checklist"])
        if tenant_row["document_checklist"]
        else None,
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
