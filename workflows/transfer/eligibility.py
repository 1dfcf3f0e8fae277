"""The check activity's result: rules R1–R10 as mutasi.eligibility loads and runs them."""

from __future__ import annotations

from typing import Any

import asyncpg

from mutasi.eligibility import finding, rule_report, unjustified
from mutasi.lifecycle import TransferInput
from workflows.transfer.activities import CheckResult


async def evaluate_transfer(
    conn: asyncpg.Connection, t: TransferInput
) -> tuple[CheckResult, list[dict[str, Any]]]:
    """The workflow's result, and every rule's outcome for the log (met rules too, so a
    reader sees the fact behind each "terpenuhi", not only what failed)."""
    report = await rule_report(conn, t)
    result = CheckResult(
        passed=not report.hard_failures,
        failures=[finding(r) for r in report.hard_failures],
        warnings=[finding(r) | {"justified": bool(t.justification)} for r in unjustified(report)],
        match_score=round(report.match_score),
    )
    return result, [finding(r) | {"passed": r.passed} for r in report.results]
