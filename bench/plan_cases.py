"""A synthetic government for the planning benchmarks: units, posts with competency
standards, assessed employees with homes and wishes — shaped like Provinsi Jambi's data.

Deterministic per seed. Employees mostly fit their own post (they were placed there for a
reason), so a plan moves a share of them, not everyone; units are unevenly staffed.
"""

from __future__ import annotations

import random
from datetime import date

import numpy as np

from mutasi.domain.competency import MANAGERIAL, SOCIOCULTURAL
from mutasi.domain.model import Aspirations, Employee, Position
from mutasi.domain.profile_config import DEFAULT_PROFILE
from mutasi.planning.places import locate
from mutasi.planning.plan import PlanData, UnitInfo

TODAY = date(2026, 11, 23)
CITIES = (
    "Kota Jambi",
    "Kabupaten Muaro Jambi",
    "Kabupaten Batang Hari",
    "Kabupaten Bungo",
    "Kabupaten Merangin",
    "Kota Sungai Penuh",
    "Kabupaten Tanjung Jabung Timur",
)
FIELDS = (
    "Teknik Informatika",
    "Akuntansi",
    "Keperawatan",
    "Kesehatan Masyarakat",
    "Manajemen SDM",
    "Teknik Mesin",
    "Manajemen Pendidikan",
    "Ilmu Hukum",
)
TECHNICAL = tuple(f"Teknis {k}" for k in range(40))
STANDARD = MANAGERIAL + SOCIOCULTURAL


def _nip(k: int) -> str:
    born = date(1970 + k % 25, k % 12 + 1, k % 28 + 1)
    return f"{born:%Y%m%d}{1995 + k % 25}{k % 12 + 1:02d}{'12'[k % 2]}{k % 1000:03d}"


def _position(rng: random.Random, unit: str, k: int) -> Position:
    required = {name: rng.choice((2, 3, 3, 4)) for name in STANDARD}
    required |= {name: rng.choice((2, 3, 4)) for name in rng.sample(TECHNICAL, 2)}
    return Position(
        code=f"{unit}.jabatan-{k}",
        name=f"Jabatan {k}",
        unit_code=unit,
        kind="fungsional",
        required_education_level=rng.choice(("D3", "S1", "S1", "S2")),
        required_education_fields=(rng.choice(FIELDS),),
        required_competencies=required,
        needed=1,
        filled=0,
    )


def _employee(rng: random.Random, k: int, post: Position, units: list[str]) -> Employee:
    nip = _nip(k)
    levels = {
        name: min(5, max(1, lvl + rng.choice((-1, 0, 0, 1))))
        for name, lvl in post.required_competencies.items()
    }
    if rng.random() < 0.15:
        levels = {}  # not assessed yet
    field = post.required_education_fields[0] if rng.random() < 0.7 else rng.choice(FIELDS)
    wishes = Aspirations()
    if rng.random() < 0.3:
        wishes = Aspirations(units=(rng.choice(units),), cities=(rng.choice(CITIES),))
    return Employee(
        nip=nip,
        name=f"Pegawai {k}",
        birth_date=date(int(nip[:4]), int(nip[4:6]), int(nip[6:8])),
        gender="LP"[k % 2],
        grade="III/b",
        position_code=post.code,
        unit_code=post.unit_code,
        position_since=date(rng.choice((2016, 2019, 2021, 2025)), rng.randint(1, 12), 1),
        education_level=rng.choice(("D3", "S1", "S1", "S2")),
        education_field=field,
        competencies=levels,
        performance={
            2024: rng.choice(("very_good", "good", "good", "needs_improvement")),
            2025: rng.choice(("very_good", "good", "good", "poor")),
        },
        home_city=rng.choice(CITIES),
        aspirations=wishes,
    )


def government(employees: int, vacancies: int, units: int = 40, seed: int = 2026) -> PlanData:
    """`employees` candidates over `units` units, and posts with `vacancies` open slots."""
    rng = random.Random(seed)
    unit_codes = [f"u{u:02d}" for u in range(units)]
    drafts = [_position(rng, unit_codes[k % units], k) for k in range(max(units * 12, 1))]
    holders = [rng.choice(drafts) for _ in range(employees)]
    people = [_employee(rng, k, post, unit_codes) for k, post in enumerate(holders)]
    filled: dict[str, int] = {}
    for post in holders:
        filled[post.code] = filled.get(post.code, 0) + 1
    # A quarter of the units are over-staffed (need below headcount), the rest are short.
    crowded = set(unit_codes[: units // 4])
    short = [p for p in drafts if p.unit_code not in crowded]
    extra = {p.code: 0 for p in drafts}
    for _ in range(vacancies):
        extra[rng.choice(short).code] += 1
    positions = []
    for p in drafts:
        have = filled.get(p.code, 0)
        need = max(have - 1, 0) if p.unit_code in crowded else have + extra[p.code]
        positions.append(p.model_copy(update={"needed": need, "filled": have}))
    return PlanData(
        employees=people,
        positions=positions,
        units=_units(rng, unit_codes, positions),
        today=TODAY,
        profile=DEFAULT_PROFILE,
        homes=_homes(people),
    )


def _units(rng: random.Random, codes: list[str], positions: list[Position]) -> dict[str, UnitInfo]:
    found = {}
    for code in codes:
        mine = [p for p in positions if p.unit_code == code]
        city = rng.choice(CITIES)
        place = locate(city)
        assert place is not None
        needed, filled = sum(p.needed for p in mine), sum(p.filled for p in mine)
        found[code] = UnitInfo(
            code, f"Unit {code}", needed, filled, city, place.latitude, place.longitude
        )
    return found


def _homes(people: list[Employee]) -> np.ndarray:
    coords = []
    for e in people:
        place = locate(e.home_city)
        coords.append((place.latitude, place.longitude) if place else (np.nan, np.nan))
    return np.array(coords, dtype=float)
