"""The check activity's result: rules R1–R10 as mutasi.eligibility loads and runs them."""

from __future__ import annotations

import asyncpg

from mutasi.eligibility import finding, rule_report, unjustified
from mutasi.lifecycle import TransferInput
from workflows.transfer.activities import CheckResult


async def evaluate_transfer(conn: asyncpg.Connection, t: TransferInput) -> CheckResult:
    report = await rule_report(conn, t)
    return CheckResult(
        passed=not report.hard_failures,
        failures=[finding(r) for r in report.hard_failures],
        warnings=[finding(r) | {"justified": bool(t.justification)} for r in unjustified(report)],
        match_score=round(report.match_score),
    )
