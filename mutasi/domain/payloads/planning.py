"""Payloads of planning's facts (issue 13): assessment data, aspirations, unit locations,
a government's planning settings, and transfer plans.

Payloads hold no floats (mutasi/log/canonical.py): scores are strings with two decimals
("87.60"), kilometres whole numbers, weights strings as configured ("0.45").
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal
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


class AspirationRecorded(Payload):
    """Payload of `aspiration.recorded` (on `employee/<nip>`): the employee's wishes as they
    now stand — preferred units, posts and cities, and why. Each change is a new entry, so the
    history is the log itself."""

    nip: Nip
    units: list[str] = Field(description="Unit codes of this government")
    positions: list[str] = Field(description="Position codes of this government")
    cities: list[str] = Field(description="Regencies/cities, e.g. Kabupaten Bungo")
    reason: str = Field(min_length=1, description="Alasan / why, in the employee's words")
    heard_at: str | None = Field(
        default=None, description="Where BKPSDM heard it (a forum), when BKPSDM records it"
    )


class UnitLocated(Payload):
    """Payload of `unit.located` (on `unit/<tenant>/<code>`): where a unit's office is.
    Coordinates are decimal degrees as strings (the log stores no floats)."""

    unit_code: str
    city: str | None
    latitude: str | None = Field(pattern=r"^-?\d{1,2}(\.\d{1,6})?$")
    longitude: str | None = Field(pattern=r"^-?\d{1,3}(\.\d{1,6})?$")


class PlanningSettingsChanged(Payload):
    """Payload of `planning.settings_changed` (on `planning/<tenant>`): the government's whole
    profile-matching configuration after the change (ProfileConfig; decimals as strings), and
    the names of the settings that changed."""

    profile: dict[str, Any] = Field(description="ProfileConfig, numbers as decimal strings")
    changed: list[str]
