"""The input and output of the rule check: who proposes what, and what the rules found."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any

from mutasi.domain.model import Employee, Position, Tenant, TransferKind
from mutasi.domain.profile_config import ProfileConfig


class Severity(Enum):
    HARD = "hard"
    SOFT = "soft"


@dataclass(frozen=True, slots=True)
class Proposer:
    id: str
    role: str  # supervisor | hr_officer | approver | employee
    nip: str | None = None
    is_relative: bool = False  # related to the employee by blood or marriage


@dataclass(frozen=True, slots=True)
class RuleContext:
    employee: Employee
    target_position: Position | None  # None: the code given does not exist
    target_unit_code: str
    origin_position: Position | None
    proposer: Proposer
    kind: TransferKind
    today: date
    self_application: bool = False  # atas permintaan sendiri
    open_transfer_exists: bool = False  # another transfer of this employee is not finished
    target_vacated_in_plan: bool = False  # someone leaves the target in the same plan
    tenants: tuple[Tenant, ...] = ()  # governments whose political calendar applies (R9)
    ministerial_consent_document: str | None = None  # Mendagri's written consent, recorded
    attached_documents: frozenset[str] = frozenset()
    tenant_checklist: tuple[str, ...] | None = None  # within-government documents (R10)
    profile: ProfileConfig | None = None  # the government's profile matching (R5); default


@dataclass(frozen=True, slots=True)
class RuleResult:
    code: str  # "R1".."R10"
    severity: Severity
    passed: bool
    message_id: str
    message_en: str
    details: Mapping[str, Any] = field(default_factory=dict)

    @property
    def requires_justification(self) -> bool:
        return self.severity is Severity.SOFT and not self.passed and self.code != "R3"

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "passed": self.passed,
            "message_id": self.message_id,
            "message_en": self.message_en,
            "details": dict(self.details),
        }


@dataclass(frozen=True, slots=True)
class RuleReport:
    results: tuple[RuleResult, ...]
    match_score: float  # 0..100, from R5

    @property
    def hard_failures(self) -> tuple[RuleResult, ...]:
        return tuple(r for r in self.results if r.severity is Severity.HARD and not r.passed)

    @property
    def soft_warnings(self) -> tuple[RuleResult, ...]:
        return tuple(r for r in self.results if r.severity is Severity.SOFT and not r.passed)

    @property
    def justification_required(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.results if r.requires_justification)

    @property
    def passed_hard(self) -> bool:
        return not self.hard_failures

    def result(self, code: str) -> RuleResult:
        return next(r for r in self.results if r.code == code)

    def to_dict(self) -> dict[str, Any]:
        return {
            "results": [r.to_dict() for r in self.results],
            "match_score": self.match_score,
            "passed_hard": self.passed_hard,
            "hard_failures": [r.code for r in self.hard_failures],
            "soft_warnings": [r.code for r in self.soft_warnings],
            "justification_required": list(self.justification_required),
        }
