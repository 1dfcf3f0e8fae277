"""How well an employee fits a position (rule R5 and the transfer plan share this formula).

    match_score = 100 × (0.6 × competency_fit + 0.4 × education_fit)

- competency_fit: mean over the position's required competencies of min(have / required, 1);
  a missing competency counts as level 0; a position with no requirement gives 1.
- education_fit: 0.5 × (level ≥ required level) + 0.5 × (field matches one of the required
  fields); no required level or no required fields counts as met. A field matches when one
  name contains the other, ignoring case and spacing ("Informatika" ~ "Teknik Informatika").

R5 passes when the level is met and the score is at least MATCH_PASS_SCORE.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from mutasi.domain.model import Employee, Position
from mutasi.domain.naming import normalise_name

COMPETENCY_WEIGHT = 0.6
EDUCATION_WEIGHT = 0.4
MATCH_PASS_SCORE = 70.0


@dataclass(frozen=True, slots=True)
class Match:
    score: float  # 0..100, one decimal
    competency_fit: float  # 0..1
    education_fit: float  # 0..1
    level_met: bool
    field_met: bool
    missing_competencies: tuple[str, ...]  # required ones the employee is below

    @property
    def passed(self) -> bool:
        return self.level_met and self.score >= MATCH_PASS_SCORE


def field_matches(field: str | None, required_fields: Iterable[str]) -> bool:
    wanted = [normalise_name(f) for f in required_fields if f.strip()]
    if not wanted:
        return True
    have = normalise_name(field or "")
    return bool(have) and any(w in have or have in w for w in wanted)


def competency_fit(have: Mapping[str, int], required: Mapping[str, int]) -> float:
    levels = {normalise_name(name): level for name, level in have.items()}
    wanted = {normalise_name(n): lvl for n, lvl in required.items() if lvl > 0}
    if not wanted:
        return 1.0
    return sum(min(levels.get(n, 0) / lvl, 1.0) for n, lvl in wanted.items()) / len(wanted)


def combine(competency: float, level_met: bool, field_met: bool) -> float:
    education = 0.5 * level_met + 0.5 * field_met
    return 100.0 * (COMPETENCY_WEIGHT * competency + EDUCATION_WEIGHT * education)


def match(employee: Employee, position: Position) -> Match:
    level_met = employee.education_level.meets(position.required_education_level)
    field_met = field_matches(employee.education_field, position.required_education_fields)
    competency = competency_fit(employee.competencies, position.required_competencies)
    have = {normalise_name(n): v for n, v in employee.competencies.items()}
    missing = tuple(
        name
        for name, lvl in position.required_competencies.items()
        if have.get(normalise_name(name), 0) < lvl
    )
    return Match(
        score=round(combine(competency, level_met, field_met), 1),
        competency_fit=competency,
        education_fit=0.5 * level_met + 0.5 * field_met,
        level_met=level_met,
        field_met=field_met,
        missing_competencies=missing,
    )
