"""Rules R1–R10 a transfer must satisfy (SPEC §3), as pure functions of a RuleContext.

Hard rules block a proposal; soft rules warn and, except R3, need a written justification
(R3 only informs: a long stay argues for the move, not against it). Date conventions come
from `dates.py`: Feb 29 + 2 years is Mar 1, so such an employee reaches R2 on Mar 1.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date
from typing import Any

from mutasi.domain.dates import add_months, add_years, full_years_between
from mutasi.domain.model import Employee, Tenant, required_documents
from mutasi.domain.performance import Performance
from mutasi.domain.profile_config import DEFAULT_PROFILE
from mutasi.domain.profile_matching import profile_match
from mutasi.domain.rule_context import Proposer, RuleContext, RuleReport, RuleResult, Severity
from mutasi.domain.rule_messages import MESSAGES

__all__ = [
    "RULES", "Proposer", "RuleContext", "RuleReport", "RuleResult", "Severity", "evaluate",
    "freeze_reason", "panel_member_conflict", "rotation_due",
]  # fmt: skip

MIN_YEARS_IN_POSITION = 2
MAX_YEARS_IN_POSITION = 5
SKP_YEARS_CHECKED = 2
FREEZE_MONTHS = 6

SEVERITY = {
    "R1": Severity.HARD, "R2": Severity.SOFT, "R3": Severity.SOFT, "R4": Severity.HARD,
    "R5": Severity.SOFT, "R6": Severity.SOFT, "R7": Severity.HARD, "R8": Severity.HARD,
    "R9": Severity.HARD, "R10": Severity.HARD,
}  # fmt: skip


def _result(
    code: str, outcome: str, texts: dict[str, Any] | None = None, **details: Any
) -> RuleResult:
    message_id, message_en = MESSAGES[code, outcome]
    texts = texts or {}
    return RuleResult(
        code=code,
        severity=SEVERITY[code],
        passed=outcome in ("ok", "consented"),
        message_id=message_id.format(**texts),
        message_en=message_en.format(**texts),
        details={"outcome": outcome, **details},
    )


def _id(day: date) -> str:
    return f"{day:%d-%m-%Y}"


def check_r1_target_vacant(ctx: RuleContext) -> RuleResult:
    target = ctx.target_position
    if target is None:
        return _result("R1", "not_found")
    texts = {"name": target.name, "needed": target.needed, "filled": target.filled}
    details = {"position_code": target.code, "needed": target.needed, "filled": target.filled}
    if target.unit_code != ctx.target_unit_code:
        outcome = "other_unit"
    # Position codes are per government: another government's post of the same code is not
    # the one the employee holds.
    elif target.code == ctx.employee.position_code and not ctx.kind.is_inter_government:
        outcome = "same_position"
    elif target.is_vacant or ctx.target_vacated_in_plan:
        outcome = "ok"
    else:
        outcome = "not_vacant"
    return _result("R1", outcome, texts, **details, vacated_in_plan=ctx.target_vacated_in_plan)


def rotation_due(employee: Employee, today: date) -> bool:
    """More than 5 years in one position; the 5th anniversary itself is still within."""
    return today > add_years(employee.position_since, MAX_YEARS_IN_POSITION)


def check_r2_min_tenure(ctx: RuleContext) -> RuleResult:
    since = ctx.employee.position_since
    eligible = add_years(since, MIN_YEARS_IN_POSITION)  # the anniversary day itself passes
    years = full_years_between(since, ctx.today)
    texts = {"years": years, "eligible_id": _id(eligible), "eligible_en": eligible.isoformat()}
    return _result(
        "R2",
        "ok" if ctx.today >= eligible else "too_early",
        texts,
        position_since=since.isoformat(),
        eligible_from=eligible.isoformat(),
        years_in_position=years,
    )


def check_r3_rotation(ctx: RuleContext) -> RuleResult:
    since = ctx.employee.position_since
    due = rotation_due(ctx.employee, ctx.today)
    return _result(
        "R3",
        "due" if due else "ok",
        {"since_id": _id(since), "since_en": since.isoformat()},
        position_since=since.isoformat(),
        years_in_position=full_years_between(since, ctx.today),
        due_for_rotation=due,
    )


def check_r4_no_sanction(ctx: RuleContext) -> RuleResult:
    # A sanction binds from its start to its end inclusive: one ending today blocks today.
    active = ctx.employee.active_sanctions(ctx.today)
    if not active:
        return _result("R4", "ok")
    first = active[0]
    texts = {"kind": first.kind.value, "end_id": _id(first.end), "end_en": first.end.isoformat()}
    sanctions = [
        {"kind": s.kind.value, "start": s.start.isoformat(), "end": s.end.isoformat()}
        for s in active
    ]
    return _result("R4", "active", texts, sanctions=sanctions)


def check_r5_match(ctx: RuleContext) -> RuleResult:
    if ctx.target_position is None:
        return _result("R5", "no_target", score=0.0)
    config = ctx.profile or DEFAULT_PROFILE
    fit = profile_match(ctx.employee, ctx.target_position, today=ctx.today, config=config)
    score = round(fit.fit, 1)
    return _result(
        "R5",
        "ok" if fit.passed(config) else "short",
        {"score": score, "pass_score": config.pass_score},
        score=score,
        education_level_met=fit.level_met,
        education_field_met=fit.field_met,
        missing_competencies=list(fit.missing_competencies),
        not_assessed=list(fit.not_assessed),
        criteria=[
            {
                "name": c.name,
                "required": c.required,
                "actual": c.actual,
                "gap": c.gap,
                "weight": c.weight,
            }
            for c in fit.criteria
            if c.aspect in ("managerial", "sociocultural", "technical", "education")
        ],  # fmt: skip
        pass_score=config.pass_score,
    )


def _label(performance: Performance | None) -> str:
    return performance.label if performance else "tidak ada"


def check_r6_performance(ctx: RuleContext) -> RuleResult:
    # The last 2 full calendar years before today; a missing year fails like a low one.
    years = [ctx.today.year - n for n in range(SKP_YEARS_CHECKED, 0, -1)]
    ratings = {year: ctx.employee.performance.get(year) for year in years}
    short = [y for y, p in ratings.items() if p is None or p < Performance.GOOD]
    described = ", ".join(f"{y}: {_label(ratings[y])}" for y in short)
    texts = {"first": years[0], "last": years[-1], "described": described,
             "years": ", ".join(map(str, short))}  # fmt: skip
    return _result(
        "R6",
        "short" if short else "ok",
        texts,
        years={str(y): p.value if p else None for y, p in ratings.items()},
        failing_years=short,
    )


def panel_member_conflict(
    member_nip: str | None, employee_nip: str, relatives: Collection[str] = ()
) -> bool:
    """R7 for meetings: a panel member may not vote on their own or a relative's case.

    `relatives` are the NIPs of the employee's relatives as recorded by HR.
    """
    if not member_nip:
        return False
    member = "".join(member_nip.split())
    related = {"".join(nip.split()) for nip in relatives}
    return member == "".join(employee_nip.split()) or member in related


def check_r7_conflict_of_interest(ctx: RuleContext) -> RuleResult:
    proposer = ctx.proposer
    is_employee = proposer.nip is not None and "".join(proposer.nip.split()) == ctx.employee.nip
    if proposer.is_relative:
        outcome = "relative"
    elif is_employee and not ctx.self_application:
        outcome = "self_proposal"
    elif ctx.self_application and not is_employee:
        outcome = "not_own_application"
    else:
        outcome = "ok"
    return _result(
        "R7",
        outcome,
        proposer_id=proposer.id,
        proposer_role=proposer.role,
        self_application=ctx.self_application,
    )


def check_r8_single_open_transfer(ctx: RuleContext) -> RuleResult:
    return _result("R8", "open" if ctx.open_transfer_exists else "ok")


def freeze_reason(tenant: Tenant, today: date) -> tuple[str, str] | None:
    """Why `tenant` may not replace officials today (UU 10/2016), as (id, en) text, or None.

    - Pasal 162(3): within 6 months after the head's inauguration; free again on the day
      6 months later.
    - Pasal 71(2): from 6 months before the election's candidate determination until the end
      of the incumbent's term, i.e. until a head is inaugurated after that determination.
      Keep `head_inaugurated_on` current, or the freeze never ends.
    """
    inaugurated = tenant.head_inaugurated_on
    determination = tenant.election_candidate_determination_on
    if inaugurated and inaugurated <= today < add_months(inaugurated, FREEZE_MONTHS):
        outcome, day = "inaugurated", inaugurated
    elif (
        determination
        and add_months(today, FREEZE_MONTHS) >= determination
        and (inaugurated is None or inaugurated <= determination)
    ):
        outcome, day = "election", determination
    else:
        return None
    message_id, message_en = MESSAGES["R9", outcome]
    texts = {"tenant": tenant.name, "date_id": _id(day), "date_en": day.isoformat()}
    return message_id.format(**texts), message_en.format(**texts)


def check_r9_political_freeze(ctx: RuleContext) -> RuleResult:
    reasons = [r for tenant in ctx.tenants if (r := freeze_reason(tenant, ctx.today))]
    if not reasons:
        return _result("R9", "ok")
    consent = ctx.ministerial_consent_document
    texts = {
        "reasons_id": "; ".join(r[0] for r in reasons),
        "reasons_en": "; ".join(r[1] for r in reasons),
        "consent": consent,
    }
    outcome = "consented" if consent else "frozen"
    return _result("R9", outcome, texts, reasons=[r[0] for r in reasons], consent=consent)


def check_r10_documents(ctx: RuleContext) -> RuleResult:
    checklist = list(ctx.tenant_checklist) if ctx.tenant_checklist is not None else None
    required = required_documents(ctx.kind, checklist, ctx.self_application)
    missing = [d for d in required if d.code not in ctx.attached_documents]
    texts = {
        "missing_id": "; ".join(d.label_id for d in missing),
        "missing_en": "; ".join(d.label_en for d in missing),
    }
    return _result(
        "R10",
        "missing" if missing else "ok",
        texts,
        required=[d.code for d in required],
        missing=[d.code for d in missing],
    )


RULES: tuple[Callable[[RuleContext], RuleResult], ...] = (
    check_r1_target_vacant,
    check_r2_min_tenure,
    check_r3_rotation,
    check_r4_no_sanction,
    check_r5_match,
    check_r6_performance,
    check_r7_conflict_of_interest,
    check_r8_single_open_transfer,
    check_r9_political_freeze,
    check_r10_documents,
)


def evaluate(ctx: RuleContext) -> RuleReport:
    """Run all rules; the report lists every result, passed or not, for transparency."""
    results = tuple(rule(ctx) for rule in RULES)
    score = next(float(r.details.get("score", 0.0)) for r in results if r.code == "R5")
    return RuleReport(results=results, match_score=score)
