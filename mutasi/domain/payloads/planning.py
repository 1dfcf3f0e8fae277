"""Payloads of planning's facts (issue 13): assessment data, aspirations, unit locations,
a government's planning settings, and transfer plans.

Payloads hold no floats (mutasi/log/canonical.py): scores are strings with two decimals
("87.60"), kilometres whole numbers, weights strings as configured ("0.45").
"""

from __future__ import annotations

from datetime import date
from typing import Literal
from uuid import UUID

from pydantic import Field

from mutasi.domain.payloads.base import Nip, Payload
from mutasi.domain.payloads.records import ImportLine


class EmployeeAssessed(Payload):
    """Payload of `employee.assessed`: an assessment-centre result (hasil penilaian
    kompetensi). The latest assessment is the employee's current profile for ranking, plans
    and R5; earlier ones stay in the history."""

    nip: Nip
    assessment_id: UUID = Field(
        description="Derived from (government, NIP, date, institution, method): recording the"
        " same assessment again is not a new fact."
    )
    assessed_on: date
    institution: str = Field(min_length=1)
    method: str
    assessor: str | None = None
    levels: dict[str, int] = Field(
        description="Level 1–5 per competency: the eight managerial ones, Perekat Bangsa and"
        " technical competencies by name."
    )
    import_: ImportLine | None = Field(default=None, alias="import")


class EmployeePerformanceRated(Payload):
    """Payload of `employee.performance_rated`: the SKP predicate of one year."""

    nip: Nip
    year: int = Field(ge=2000, le=2100)
    performance: Literal["very_good", "good", "needs_improvement", "poor", "very_poor"]
