"""Transfer plan (rencana mutasi): the best distribution of candidates over vacancies.

Each vacancy of a position is one slot. The plan maximises the total score over pairs that
break no hard rule the plan can see, with `scipy.optimize.linear_sum_assignment` on the
(employees × slots) matrix; the matrix is built with numpy (`plan_matrix.py`). Excluded pairs:
an employee under an active sanction (R4), the employee's own position (R1), pairs the caller
forbids (e.g. from R7/R8 checks) and pairs scoring below `min_score`. The result is optimal:
no other set of allowed pairs has a higher total.

    score = 100 × Σ weight_k × component_k / Σ weight_k   (components in plan_matrix.py)
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from scipy.optimize import linear_sum_assignment

from mutasi.domain.model import Employee, Position
from mutasi.domain.plan_matrix import (
    DistanceKm,
    Matrix,
    aspiration_matrix,
    distance_matrix,
    fit_matrix,
    unit_staffing,
    workload_matrix,
)

__all__ = [
    "PlanAssignment", "PlanResult", "PlanScores", "PlanWeights", "plan_transfers",
    "score_matrix", "unit_staffing",
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class PlanWeights:
    fit: float = 0.5
    workload: float = 0.2
    aspiration: float = 0.15
    distance: float = 0.15


@dataclass(frozen=True, slots=True)
class PlanAssignment:
    nip: str
    position_code: str
    score: float  # 0..100
    fit: float  # the R5 match score, 0..100
    workload: float  # components, 0..1
    aspiration: float
    distance: float


@dataclass(frozen=True, slots=True)
class PlanResult:
    assignments: tuple[PlanAssignment, ...]
    total_score: float
    unassigned_nips: tuple[str, ...]
    unfilled_positions: tuple[str, ...]  # one code per vacancy left open


@dataclass(frozen=True, slots=True)
class PlanScores:
    """Employees × slots; each vacancy of a position is one slot (column)."""

    slot_codes: list[str]  # position code of each column
    total: Matrix  # 0..100, -inf where the pair is not allowed
    fit: Matrix  # components, 0..1
    workload: Matrix
    aspiration: Matrix
    distance: Matrix


def _slots(positions: Sequence[Position]) -> tuple[list[Position], np.ndarray]:
    """Distinct positions with vacancies, and for each slot the index of its position."""
    vacant = [p for p in positions if p.vacancies > 0]
    slot_of = np.repeat(np.arange(len(vacant)), [p.vacancies for p in vacant])
    return vacant, slot_of


def score_matrix(
    employees: Sequence[Employee],
    positions: Sequence[Position],
    *,
    today: date,
    staffing: Mapping[str, tuple[int, int]] | None = None,
    unit_cities: Mapping[str, str] | None = None,
    distance_km: DistanceKm | None = None,
    weights: PlanWeights = PlanWeights(),
    forbidden: Collection[tuple[str, str]] = (),
    min_score: float = 0.0,
) -> PlanScores:
    vacant, slot_of = _slots(positions)
    staffing = staffing if staffing is not None else unit_staffing(positions)
    cities = unit_cities or {}
    slot_units = [vacant[k].unit_code for k in slot_of]
    slot_codes = [vacant[k].code for k in slot_of]
    slot_cities = [cities.get(u) for u in slot_units]
    fit = fit_matrix(employees, vacant)
    if len(slot_of) != len(vacant):  # some positions have several vacancies
        fit = fit[:, slot_of]
    workload = workload_matrix([e.unit_code for e in employees], slot_units, staffing)
    aspiration = aspiration_matrix(employees, slot_units, slot_codes, slot_cities)
    distance = distance_matrix([e.home_city for e in employees], slot_cities, distance_km)
    parts = ((weights.fit, fit), (weights.workload, workload),
             (weights.aspiration, aspiration), (weights.distance, distance))  # fmt: skip
    scale = 100.0 / sum(w for w, _ in parts)
    total = np.zeros_like(fit)
    for weight, component in parts:
        total += (weight * scale) * component
    allowed = _allowed(employees, slot_codes, today, forbidden) & (total >= min_score)
    total = np.where(allowed, total, -np.inf)
    return PlanScores(slot_codes, total, fit, workload, aspiration, distance)


def _allowed(
    employees: Sequence[Employee], slot_codes: Sequence[str], today: date,
    forbidden: Collection[tuple[str, str]],
) -> np.ndarray:  # fmt: skip
    codes = {code: k for k, code in enumerate(dict.fromkeys(slot_codes))}
    slot = np.array([codes[c] for c in slot_codes], dtype=np.intp)
    current = np.array([codes.get(e.position_code, -1) for e in employees], dtype=np.intp)
    allowed = current[:, None] != slot[None, :]  # R1: not one's own position
    sanctioned = np.array([bool(e.active_sanctions(today)) for e in employees], dtype=bool)
    allowed[sanctioned, :] = False  # R4
    row = {e.nip: i for i, e in enumerate(employees)}
    for nip, code in forbidden:
        if nip in row and code in codes:
            allowed[row[nip], slot == codes[code]] = False
    return allowed


def plan_transfers(
    employees: Sequence[Employee],
    positions: Sequence[Position],
    *,
    today: date,
    staffing: Mapping[str, tuple[int, int]] | None = None,
    unit_cities: Mapping[str, str] | None = None,
    distance_km: DistanceKm | None = None,
    weights: PlanWeights = PlanWeights(),
    forbidden: Collection[tuple[str, str]] = (),
    min_score: float = 0.0,
) -> PlanResult:
    """Optimal assignment of `employees` to the vacancies of `positions`.

    staffing: (needed, filled) per unit for the workload score; by default summed over
    `positions`, so pass all positions of the government, not only the vacant ones.
    unit_cities: unit code -> city of its office; distance_km(city_a, city_b) -> km or None.
    forbidden: (nip, position_code) pairs found to break a rule; min_score: pairs below it
    are not proposed.
    """
    scores = score_matrix(
        employees, positions, today=today, staffing=staffing, unit_cities=unit_cities,
        distance_km=distance_km, weights=weights, forbidden=forbidden, min_score=min_score,
    )  # fmt: skip
    n_slots = scores.total.shape[1]
    # Not-allowed pairs cost nothing in the solver and are dropped afterwards: since allowed
    # scores are >= 0, the best full assignment minus those pairs is the best partial one.
    solvable = np.where(np.isfinite(scores.total), scores.total, 0.0)
    rows, cols = linear_sum_assignment(solvable, maximize=True)
    keep = np.isfinite(scores.total[rows, cols])
    rows, cols = rows[keep], cols[keep]
    slot_codes = scores.slot_codes
    assignments = tuple(
        PlanAssignment(
            nip=employees[i].nip,
            position_code=slot_codes[j],
            score=round(float(scores.total[i, j]), 2),
            fit=round(100 * float(scores.fit[i, j]), 1),
            workload=round(float(scores.workload[i, j]), 3),
            aspiration=round(float(scores.aspiration[i, j]), 3),
            distance=round(float(scores.distance[i, j]), 3),
        )  # fmt: skip
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True)
    )
    taken_rows, taken_cols = set(rows.tolist()), set(cols.tolist())
    return PlanResult(
        assignments=assignments,
        total_score=float(scores.total[rows, cols].sum()),
        unassigned_nips=tuple(e.nip for i, e in enumerate(employees) if i not in taken_rows),
        unfilled_positions=tuple(slot_codes[j] for j in range(n_slots) if j not in taken_cols),
    )
