"""One seeded employee: age, NIP, grade, education, competencies and history that fit a post."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from mutasi.domain.dates import add_years
from mutasi.domain.education import EducationLevel
from mutasi.domain.grades import ALL_GRADES
from mutasi.domain.model import (
    Aspirations,
    Employee,
    Position,
    PositionKind,
    Sanction,
    SanctionKind,
)
from mutasi.domain.performance import Performance
from mutasi.seed.catalog import COMPETENCIES, FIELDS
from mutasi.seed.names import person_name

# Seeded NIPs use sequences 500–999, so they never collide with real imports like the sample
# file (001–009) or with the fixed demo cast (401–499).
SEED_SEQUENCES = range(500, 1000)

_AGES = {
    PositionKind.JPT: (46, 58), PositionKind.ADMINISTRATOR: (40, 56),
    PositionKind.PENGAWAS: (33, 55), PositionKind.FUNGSIONAL: (24, 58),
    PositionKind.PELAKSANA: (23, 58),
}  # fmt: skip
_ENTRY_GRADE = {"SD": 0, "SMP": 1, "SMA": 4, "D3": 6, "D4": 8, "S1": 8, "S2": 9, "S3": 10}
_IV_C = [str(g) for g in ALL_GRADES].index("IV/c")
_LEVELS = list(EducationLevel)
_PREDICATES = (Performance.VERY_GOOD, Performance.GOOD, Performance.NEEDS_IMPROVEMENT,
               Performance.POOR, Performance.VERY_POOR)  # fmt: skip
_PREDICATE_WEIGHTS = (0.25, 0.6, 0.12, 0.025, 0.005)


@dataclass(frozen=True, slots=True)
class Place:
    """Where the new employee works, and what else exists around them."""

    tenant_slug: str
    position: Position
    seat: str
    cities: tuple[str, ...]
    unit_codes: tuple[str, ...]
    position_codes: tuple[str, ...]


def make_nip(born: date, cpns: tuple[int, int], gender: str, sequence: int) -> str:
    digit = "1" if gender == "L" else "2"
    return f"{born:%Y%m%d}{cpns[0]:04d}{cpns[1]:02d}{digit}{sequence:03d}"


def _unique_nip(rng: random.Random, born: date, cpns: tuple[int, int], gender: str,
                taken: set[str]) -> str:  # fmt: skip
    while (nip := make_nip(born, cpns, gender, rng.choice(SEED_SEQUENCES))) in taken:
        pass
    taken.add(nip)
    return nip


def _education(rng: random.Random, position: Position) -> tuple[EducationLevel, str]:
    required = position.required_education_level or EducationLevel.SMA
    index = _LEVELS.index(required) + rng.choices((-1, 0, 1), (0.08, 0.77, 0.15))[0]
    level = _LEVELS[min(max(index, 2), len(_LEVELS) - 2)]  # SMA .. S2
    if level.rank <= EducationLevel.SMA.rank:
        return level, rng.choice(FIELDS["school"])
    fields = position.required_education_fields
    if fields and rng.random() < 0.8:
        return level, rng.choice(fields)
    return level, rng.choice(rng.choice(list(FIELDS.values())))


def _competencies(rng: random.Random, position: Position) -> dict[str, int]:
    have = {
        name: min(max(level + rng.choice((-2, -1, 0, 0, 1)), 1), 5)
        for name, level in position.required_competencies.items()
    }
    extra = rng.choice(list(COMPETENCIES.values()))
    have.setdefault(extra, rng.randint(1, 4))
    return have


def _grade(level: EducationLevel, service_years: int, kind: PositionKind) -> str:
    # Entry grade by education, one step every 4 years; only JPT reach beyond IV/c.
    top = len(ALL_GRADES) - 1 if kind is PositionKind.JPT else _IV_C
    return str(ALL_GRADES[min(_ENTRY_GRADE[level.value] + service_years // 4, top)])


def _sanctions(rng: random.Random, today: date) -> tuple[Sanction, ...]:
    roll = rng.random()
    if roll < 0.025:  # under an active sanction
        start = today - timedelta(days=rng.randint(10, 300))
    elif roll < 0.055:  # a sanction served in the past
        start = today - timedelta(days=rng.randint(800, 2500))
    else:
        return ()
    kind = rng.choice((SanctionKind.RINGAN, SanctionKind.SEDANG, SanctionKind.BERAT))
    return (Sanction(start=start, end=add_years(start, 1) - timedelta(days=1), kind=kind),)


def _aspirations(rng: random.Random, place: Place) -> Aspirations:
    if rng.random() >= 0.3:
        return Aspirations()
    return Aspirations(
        units=tuple(rng.sample(place.unit_codes, k=rng.randint(1, 2))),
        positions=tuple(rng.sample(place.position_codes, k=rng.randint(0, 1))),
        cities=tuple(rng.sample(place.cities, k=rng.randint(0, 1))),
    )


def make_employee(rng: random.Random, place: Place, today: date, taken: set[str]) -> Employee:
    """A plausible employee holding `place.position` on `today`."""
    position = place.position
    gender = rng.choice("LP")
    low, high = _AGES[position.kind]
    born = today - timedelta(days=rng.randint(low * 365, high * 365))
    cpns_year = min(born.year + rng.randint(22, 32), today.year - 1)
    cpns = (cpns_year, rng.randint(1, 12))
    cpns_start = date(*cpns, 1)
    # Time in the current post: spread over 0–9 years, so some are due for rotation.
    since = max(today - timedelta(days=rng.randint(60, 9 * 365)), cpns_start)
    level, field = _education(rng, position)
    years = range(today.year - 3, today.year)
    return Employee(
        nip=_unique_nip(rng, born, cpns, gender, taken),
        name=person_name(rng, place.tenant_slug, gender), birth_date=born, gender=gender,
        grade=_grade(level, today.year - cpns_year, position.kind),
        position_code=position.code, unit_code=position.unit_code, position_since=since,
        education_level=level, education_field=field,
        competencies=_competencies(rng, position),
        performance={y: rng.choices(_PREDICATES, _PREDICATE_WEIGHTS)[0] for y in years},
        sanctions=_sanctions(rng, today),
        home_city=place.seat if rng.random() < 0.7 else rng.choice(place.cities),
        aspirations=_aspirations(rng, place),
    )  # fmt: skip
