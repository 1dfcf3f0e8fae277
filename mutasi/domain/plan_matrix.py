"""The score matrix of a transfer plan, built with numpy (2,000 × 2,000 in well under 1 s).

Every component is a number in 0..1 for (employee i, vacancy j):
- fit: the R5 match score / 100 (see `matching.py`), same formula, vectorised;
- workload: moving from an over-staffed unit to an under-staffed one is worth most:
  0.5 × shortage(target unit) + 0.5 × surplus(origin unit), each relative to the unit's
  ABK need and capped at 1; 0 for a move inside the same unit (the unit's balance is unchanged);
- aspiration: 0.4 × target unit wished + 0.4 × position wished + 0.2 × city wished;
- distance: 1 if the post is in the employee's home city, 1 / (1 + km / 100) when the
  distance is known, 0.5 when it is not.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from mutasi.domain.matching import COMPETENCY_WEIGHT, EDUCATION_WEIGHT, field_matches
from mutasi.domain.model import Employee, Position
from mutasi.domain.naming import normalise_name

Matrix = NDArray[np.float64]
DistanceKm = Callable[[str, str], float | None]


def _index(values: Sequence[str]) -> tuple[list[str], NDArray[np.intp]]:
    distinct = list(dict.fromkeys(values))
    where = {value: i for i, value in enumerate(distinct)}
    return distinct, np.fromiter((where[v] for v in values), dtype=np.intp, count=len(values))


MAX_LEVEL = 5  # competency levels are integers 0..5


def _competency_fit(employees: Sequence[Employee], positions: Sequence[Position]) -> Matrix:
    """Mean of min(have / required, 1) over each position's required competencies.

    Levels are small integers, so the sum is one matrix product: employee features
    min(have_c / r, 1) for every (competency c, level r) times a 0/1 matrix of which
    position requires c at level r.
    """
    names = list(dict.fromkeys(
        normalise_name(n) for p in positions for n, lvl in p.required_competencies.items()
        if lvl > 0))  # fmt: skip
    column = {name: c for c, name in enumerate(names)}
    have = np.zeros((len(employees), len(names)))
    for i, employee in enumerate(employees):
        for name, level in employee.competencies.items():
            if (c := column.get(normalise_name(name))) is not None:
                have[i, c] = level
    levels = np.arange(1, MAX_LEVEL + 1, dtype=float)
    features = np.minimum(have[:, :, None] / levels[None, None, :], 1.0)
    features = features.reshape(len(employees), len(names) * MAX_LEVEL)
    requires = np.zeros((len(names) * MAX_LEVEL, len(positions)))
    for j, position in enumerate(positions):
        for name, level in position.required_competencies.items():
            if level > 0:
                requires[column[normalise_name(name)] * MAX_LEVEL + level - 1, j] = 1.0
    counts = requires.sum(axis=0)
    total = features @ requires
    return np.where(counts > 0, total / np.maximum(counts, 1.0), 1.0)


def _field_met(employees: Sequence[Employee], positions: Sequence[Position]) -> NDArray[np.bool_]:
    # Few distinct fields and field lists exist, so match those once and index.
    fields, field_of = _index([e.education_field or "" for e in employees])
    wanted, wanted_of = _index(["\n".join(p.required_education_fields) for p in positions])
    table = np.array(
        [[field_matches(f, w.split("\n") if w else ()) for w in wanted] for f in fields],
        dtype=bool,
    ).reshape(len(fields), len(wanted))
    return table[field_of][:, wanted_of]


def fit_matrix(employees: Sequence[Employee], positions: Sequence[Position]) -> Matrix:
    """match_score / 100 for every employee × position (positions, not slots)."""
    ranks = np.array([e.education_level.rank for e in employees])
    required = np.array([
        p.required_education_level.rank if p.required_education_level else 0 for p in positions
    ])  # fmt: skip
    fit = _competency_fit(employees, positions)
    fit *= COMPETENCY_WEIGHT
    # In place: at 2,000 × 2,000 every temporary matrix costs tens of milliseconds.
    fit += (EDUCATION_WEIGHT * 0.5) * (ranks[:, None] >= required[None, :])
    fit += (EDUCATION_WEIGHT * 0.5) * _field_met(employees, positions)
    return fit


def unit_staffing(positions: Sequence[Position]) -> dict[str, tuple[int, int]]:
    """(needed, filled) per unit code, summed over its positions."""
    staffing: dict[str, tuple[int, int]] = {}
    for p in positions:
        needed, filled = staffing.get(p.unit_code, (0, 0))
        staffing[p.unit_code] = (needed + p.needed, filled + p.filled)
    return staffing


def workload_matrix(
    origin_units: Sequence[str], target_units: Sequence[str],
    staffing: Mapping[str, tuple[int, int]],
) -> Matrix:  # fmt: skip
    units, where = _index([*origin_units, *target_units])
    needed = np.array([max(staffing.get(u, (0, 0))[0], 1) for u in units], dtype=float)
    filled = np.array([staffing.get(u, (0, 0))[1] for u in units], dtype=float)
    shortage = np.clip((needed - filled) / needed, 0.0, 1.0)
    surplus = np.clip((filled - needed) / needed, 0.0, 1.0)
    origin, target = where[: len(origin_units)], where[len(origin_units) :]
    score = 0.5 * shortage[target][None, :] + 0.5 * surplus[origin][:, None]
    return np.where(origin[:, None] == target[None, :], 0.0, score)


def aspiration_matrix(
    employees: Sequence[Employee], slot_units: Sequence[str], slot_codes: Sequence[str],
    slot_cities: Sequence[str | None],
) -> Matrix:  # fmt: skip
    score = np.zeros((len(employees), len(slot_codes)))
    by_unit, by_code, by_city = _slots_by(slot_units), _slots_by(slot_codes), _slots_by(
        [normalise_name(c) if c else "" for c in slot_cities])  # fmt: skip
    for i, employee in enumerate(employees):
        wishes = employee.aspirations
        for weight, table, keys in (
            (0.4, by_unit, wishes.units),
            (0.4, by_code, wishes.positions),
            (0.2, by_city, [normalise_name(c) for c in wishes.cities]),
        ):
            for key in set(keys):
                score[i, table.get(key, [])] += weight
    return score


def _slots_by(keys: Sequence[str]) -> dict[str, list[int]]:
    table: dict[str, list[int]] = {}
    for j, key in enumerate(keys):
        table.setdefault(key, []).append(j)
    return table


def distance_matrix(
    homes: Sequence[str | None], slot_cities: Sequence[str | None], distance_km: DistanceKm | None
) -> Matrix:
    cities, where = _index([normalise_name(c or "") for c in [*homes, *slot_cities]])
    originals = {normalise_name(c or ""): c or "" for c in [*homes, *slot_cities]}
    table = np.full((len(cities), len(cities)), 0.5)
    for a, city_a in enumerate(cities):
        for b, city_b in enumerate(cities):
            if not city_a or not city_b:
                continue
            if city_a == city_b:
                table[a, b] = 1.0
            elif (
                distance_km
                and (km := distance_km(originals[city_a], originals[city_b])) is not None
            ):
                table[a, b] = 1.0 / (1.0 + km / 100.0)
    home, slot = where[: len(homes)], where[len(homes) :]
    return table[home][:, slot]
