"""Load what rules R1–R10 need from the database and run them (mutasi.domain.rules).

One loading for both readers: the transfer workflow's check activity (the check that counts,
recorded in the log) and the proposal service's dry run (what the proposer sees before
submitting), so the preview says exactly what the check will say.
"""

from __future__ import annotations

from typing import Any

import asyncpg

from mutasi import clock, lookups
from mutasi.auth.policy import acting_role
from mutasi.domain.model import Employee, TransferKind
from mutasi.domain.rule_context import Proposer, RuleContext, RuleReport, RuleResult
from mutasi.domain.rules import evaluate
from mutasi.lifecycle import TransferInput
from mutasi.planning.queries import profile_config, vacated_in_plan
from mutasi.tenants.config import load_tenant_config

_PROPOSE = ["transfer.propose"]


async def rule_context(conn: asyncpg.Connection, t: TransferInput) -> RuleContext:
    row = await lookups.employee(conn, t.tenant, t.employee_nip)
    assert row is not None, "the proposal service checked the employee exists"
    employee = Employee.model_validate(row["data"])
    open_elsewhere = await lookups.open_transfers(conn, t.tenant, t.employee_nip, t.transfer_id)
    tenants = await lookups.tenants(conn, [t.tenant, t.target_tenant])
    receiving = await load_tenant_config(conn, t.target_tenant)
    assert receiving is not None, "the proposal service checked the government exists"
    return RuleContext(
        employee=employee,
        target_position=await lookups.position(conn, t.target_tenant, t.target_position_code),
        target_unit_code=t.target_unit_code,
        origin_position=await lookups.position(conn, t.tenant, t.origin_position_code),
        # In the role the proposer proposed in (a token may carry several).
        proposer=Proposer(t.proposer.sub, acting_role(t.proposer.roles, _PROPOSE), t.proposer.nip),
        kind=TransferKind(t.kind),
        today=clock.today(receiving.iana_time_zone),
        self_application=t.self_application,
        open_transfer_exists=open_elsewhere > 0,
        tenants=tuple(tenants.values()),
        ministerial_consent_document=receiving.ministerial_consent_document,
        attached_documents=frozenset(t.documents),
        tenant_checklist=receiving.document_checklist or None,
        profile=await profile_config(conn, t.target_tenant),  # R5 as the government weighs it
        # R1: a post a sibling line of the same transfer plan vacates counts as vacant.
        target_vacated_in_plan=await vacated_in_plan(conn, t.transfer_id, t.target_position_code),
    )


async def rule_report(conn: asyncpg.Connection, t: TransferInput) -> RuleReport:
    """Every rule's result for this (would-be) transfer, passed or not."""
    return evaluate(await rule_context(conn, t))


def finding(result: RuleResult) -> dict[str, Any]:
    """A rule's result as the log records it (`transfer.checked`)."""
    return {
        "code": result.code,
        "severity": result.severity.value,
        "message": result.message_id,
        "message_en": result.message_en,
    }


def unjustified(report: RuleReport) -> list[RuleResult]:
    """Soft rules broken that need a written justification (R3 only informs)."""
    return [r for r in report.soft_warnings if r.requires_justification]
