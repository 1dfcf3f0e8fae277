"""From a government's people and posts to the plan problem, and from a solution to its lines.

The value of employee i ending in post p (0–100, two decimals) is the weighted mean of:
- fit: the profile-matching score over competencies and education (R5), in p;
- aspiration and distance: the preference criteria's weights × 20, for p;
- workload (moves only): 50 × shortage of p's unit + 50 × surplus of i's unit, each
  relative to the unit's ABK need and capped at 1; 0 inside one unit;
- performance (moves only): the SKP aspect × 20 — who earns a new post.
Staying is valued too (fit, aspiration and distance in one's own post), so a move happens
only where it improves the whole; a move must also gain `min_gain` points over staying.

Hard rules exclude: an active sanction (R4) or an open transfer (R8) keeps the employee in
place, as do BKPSDM's exclusions; R1's "vacant" is the post's capacity, which a move out of
it raises for the rest of the plan (chains). R2 (under 2 years in post) and R3 (over 5 years:
must move) are constraints BKPSDM switches on or off (`PlanRules`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from mutasi.domain.dates import add_years
from mutasi.domain.model import Employee, Position
from mutasi.domain.profile_config import ProfileConfig
from mutasi.domain.rules import rotation_due
from mutasi.planning.problem import Matrix, PlanProblem
from mutasi.planning.scoring import People, Posts, score
from mutasi.planning.spec import PlanRules, PlanWeights

COMPONENTS = ("fit", "workload", "aspiration", "distance", "performance")


@dataclass(frozen=True)
class UnitInfo:
    code: str
    name: str
    needed: int  # ABK need, summed over the unit's posts
    filled: int  # headcount now, every employee
    city: str | None = None
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class PlanData:
    employees: Sequence[Employee]  # the candidates
    positions: Sequence[Position]  # the scope's posts and the candidates' own, needed/filled
    units: Mapping[str, UnitInfo]  # every unit of those posts
    today: date
    profile: ProfileConfig
    homes: Matrix | None = None  # n × 2 (latitude, longitude), NaN unknown
    blocked: Mapping[str, str] = field(default_factory=dict)  # nip -> why they stay (R4, R8)


@dataclass(frozen=True)
class Built:
    problem: PlanProblem
    data: PlanData
    unit_codes: list[str]
    parts: dict[str, Matrix]  # each component's weighted points, n × P
    stay_parts: dict[str, np.ndarray]  # the same for staying, per employee
    km: Matrix
    fit: Matrix  # the profile-matching fit, 0–100, unweighted


def _coords(units: Mapping[str, UnitInfo], positions: Sequence[Position]) -> Matrix:
    return np.array(
        [
            (u.latitude, u.longitude)
            if (u := units[p.unit_code]).latitude is not None and u.longitude is not None
            else (np.nan, np.nan)
            for p in positions
        ],
        dtype=float,
    ).reshape(len(positions), 2)


def _workload(
    data: PlanData, unit_codes: list[str], unit_of: np.ndarray, home: np.ndarray
) -> Matrix:
    needed = np.array([max(data.units[u].needed, 1) for u in unit_codes], dtype=float)
    filled = np.array([data.units[u].filled for u in unit_codes], dtype=float)
    shortage = np.clip((needed - filled) / needed, 0.0, 1.0)
    surplus = np.clip((filled - needed) / needed, 0.0, 1.0)
    load = 50.0 * shortage[unit_of][None, :] + 50.0 * surplus[home][:, None]
    return np.where(home[:, None] == unit_of[None, :], 0.0, load)


def _movable(data: PlanData, rules: PlanRules) -> np.ndarray:
    excluded = set(rules.excluded_employees)
    movable = []
    for e in data.employees:
        young = rules.min_tenure and data.today < add_years(e.position_since, 2)
        sanctioned = bool(e.active_sanctions(data.today))  # R4
        movable.append(
            e.nip not in data.blocked and e.nip not in excluded and not young and not sanctioned
        )
    return np.array(movable, dtype=bool)


def build(data: PlanData, weights: PlanWeights, rules: PlanRules) -> Built:
    """The optimisation problem of a plan, with every component kept for its explanation."""
    employees, positions = data.employees, data.positions
    n = len(employees)
    code_index = {p.code: j for j, p in enumerate(positions)}
    unit_codes = sorted({p.unit_code for p in positions})
    unit_index = {u: k for k, u in enumerate(unit_codes)}
    unit_of = np.array([unit_index[p.unit_code] for p in positions], dtype=np.int64)
    own = np.array([code_index[e.position_code] for e in employees], dtype=np.int64)
    cities = [data.units[p.unit_code].city for p in positions]
    people = People.build(employees, today=data.today, config=data.profile, homes=data.homes)
    scores = score(people, Posts(positions, cities, _coords(data.units, positions)))
    rows = np.arange(n)
    total = weights.total
    parts = {
        "fit": weights.fit / total * scores.fit,
        "workload": weights.workload / total * _workload(data, unit_codes, unit_of, unit_of[own]),
        "aspiration": weights.aspiration / total * scores.aspiration,
        "distance": weights.distance / total * scores.distance,
        "performance": np.broadcast_to(
            (weights.performance / total * scores.performance)[:, None], scores.fit.shape
        ),
    }
    stay_parts = {
        k: (v[rows, own] if k in ("fit", "aspiration", "distance") else np.zeros(n))
        for k, v in parts.items()
    }
    value = np.round(sum(parts.values()), 2)
    value[rows, own] = np.round(sum(stay_parts.values()), 2)
    allowed = _movable(data, rules)[:, None] & (scores.fit >= rules.min_fit)
    allowed &= value - value[rows, own][:, None] >= rules.min_gain
    nips = {e.nip: i for i, e in enumerate(employees)}
    for pair in rules.excluded:
        if pair.nip in nips and pair.position_code in code_index:
            allowed[nips[pair.nip], code_index[pair.position_code]] = False
    stay = np.ones(n, dtype=bool)
    if rules.rotation_due_must_move:
        stay = np.array([not rotation_due(e, data.today) for e in employees], dtype=bool)
    allowed[rows, own] = stay
    locked = tuple(
        (nips[pair.nip], code_index[pair.position_code])
        for pair in rules.locked
        if pair.nip in nips and pair.position_code in code_index
    )
    for i, j in locked:
        allowed[i, j] = True  # BKPSDM's decision stands over the score thresholds
    holders = np.bincount(own, minlength=len(positions))
    capacity = np.array([max(p.needed - p.filled, 0) for p in positions]) + holders
    staff = np.array([data.units[u].filled for u in unit_codes], dtype=np.int64)
    problem = PlanProblem(
        value=value,
        allowed=allowed,
        own=own,
        capacity=capacity.astype(np.int64),
        unit_of=unit_of,
        staff=staff,
        max_out=_max_out(rules, unit_codes),
        min_staff=_min_staff(rules, data, unit_codes),
        max_moves=rules.max_moves,
        locked=locked,
    )
    return Built(problem, data, unit_codes, parts, stay_parts, scores.km, scores.fit)


def _max_out(rules: PlanRules, unit_codes: list[str]) -> np.ndarray | None:
    if rules.max_moves_out_per_unit is None and not rules.max_moves_out:
        return None
    default = -1 if rules.max_moves_out_per_unit is None else rules.max_moves_out_per_unit
    limits = {limit.unit: limit.max_out for limit in rules.max_moves_out}
    return np.array([limits.get(u, default) for u in unit_codes], dtype=np.int64)


def _min_staff(rules: PlanRules, data: PlanData, unit_codes: list[str]) -> np.ndarray | None:
    if rules.min_staffing_ratio is None:
        return None
    ratio = rules.min_staffing_ratio
    return np.array([int(np.ceil(ratio * data.units[u].needed)) for u in unit_codes])
