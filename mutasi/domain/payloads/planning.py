"""Payloads of planning's facts (issue 13): assessment data, aspirations, unit locations,
a government's planning settings, and transfer plans.

Payloads hold no floats (mutasi/log/canonical.py): scores are strings with two decimals
("87.60"), kilometres whole numbers, weights strings as configured ("0.45").
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal
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


Points = Annotated[str, Field(pattern=r"^-?\d+\.\d{2}$", description="Points, two decimals")]


class PlanDrafted(Payload):
    """Payload of `plan.drafted` (on `plan/<id>`): BKPSDM's request — title, scope (units,
    period), the objective's weights and the constraints (mutasi.planning.spec.PlanSpec;
    decimals as strings)."""

    title: str
    spec: dict[str, Any]


class PlanEdited(Payload):
    """Payload of `plan.edited`: the whole request after BKPSDM's change, and what changed.
    The plan is optimised again at once (`plan.optimised` follows)."""

    spec: dict[str, Any]
    changed: list[str]


class PlanLine(Payload):
    """One move of a plan: who, from where, to where, and why (each component's points)."""

    line: int = Field(ge=1)
    nip: Nip
    name: str
    origin_position: str
    origin_unit: str
    target_position: str
    target_unit: str
    value: Points = Field(description="The employee's points in the new post")
    stay_value: Points = Field(description="Their points had they stayed")
    fit: Points = Field(description="Profile-matching fit in the new post (R5), 0–100")
    parts: dict[str, Points] = Field(description="fit, workload, aspiration, distance, SKP")
    km: int | None = Field(description="Home to the new post, whole km; null: unknown")
    vacated_by: str | None = Field(description="NIP whose move frees the post (a chain)")
    locked: bool


class PlanTotals(Payload):
    value: Points = Field(description="Σ points of every candidate where the plan puts them")
    parts: dict[str, Points]
    moves: int = Field(ge=0)
    feasible: bool


class UnitStaffing(Payload):
    code: str
    name: str
    needed: int
    before: int
    after: int


class PlanOptimised(Payload):
    """Payload of `plan.optimised`: the optimal plan of this revision, its objective broken
    down, the greedy baseline beside it, and each unit's staffing before and after."""

    revision: int = Field(ge=1)
    method: Literal["linear_sum_assignment", "lp", "milp", "none"]
    gap: Points = Field(description="Proven distance to the optimum (0.00: optimal)")
    bound: Points = Field(description="No plan is worth more")
    status_quo: Points = Field(description="Nobody moves")
    optimum: PlanTotals
    greedy: PlanTotals
    candidates: int
    posts: int
    seconds: str
    lines: list[PlanLine]
    units: list[UnitStaffing]
    problem: str | None = Field(
        default=None, description="Why no plan keeps every constraint (infeasible), if so"
    )


class PlanApproved(Payload):
    """Payload of `plan.approved`: this revision's lines become proposals, TMT as given."""

    revision: int = Field(ge=1)
    effective_date: date
    meeting_id: UUID | None = Field(description="The panel's meeting that reviews the lines")
    lines: int = Field(ge=0)


class PlanLineProposed(Payload):
    """Payload of `plan.line_proposed`: a line became a proposal with its own workflow."""

    line: int = Field(ge=1)
    nip: Nip
    transfer_id: UUID
    target_position: str


class PlanCompleted(Payload):
    """Payload of `plan.completed`: every line's proposal has finished; how they ended."""

    outcomes: dict[str, int] = Field(description="Transfer status -> number of lines")


class PlanCancelled(Payload):
    """Payload of `plan.cancelled`: BKPSDM dropped the plan before approving it."""

    reason: str = Field(min_length=1)
