"""A solved plan told as people read it: its lines (the moves), its objective broken down,
the greedy baseline beside it, and each unit's staffing before and after.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from mutasi.planning.greedy import greedy
from mutasi.planning.optimiser import Solution, solve
from mutasi.planning.plan import COMPONENTS, Built
from mutasi.planning.problem import Ints, check, flows, objective


@dataclass(frozen=True)
class Line:
    nip: str
    name: str
    origin_position: str
    origin_unit: str
    target_position: str
    target_unit: str
    value: float  # points in the new post
    stay_value: float  # points had they stayed
    parts: dict[str, float]  # each component's weighted points in the new post
    fit: float  # profile-matching fit in the new post, 0–100
    km: float | None  # home to the new post
    vacated_by: str | None = None  # the NIP whose move frees this post (a chain)
    locked: bool = False

    @property
    def gain(self) -> float:
        return round(self.value - self.stay_value, 2)


@dataclass(frozen=True)
class Breakdown:
    value: float  # Σ over every candidate of their points where the plan puts them
    parts: dict[str, float]  # the same, per component
    status_quo: float  # nobody moves
    moves: int
    feasible: bool = True

    @property
    def gain(self) -> float:
        return round(self.value - self.status_quo, 2)


@dataclass(frozen=True)
class UnitBalance:
    code: str
    name: str
    needed: int
    before: int
    after: int


@dataclass(frozen=True)
class Outcome:
    lines: list[Line]
    optimum: Breakdown
    greedy: Breakdown
    method: str
    gap: float
    bound: float
    seconds: float
    units: list[UnitBalance]
    stats: dict[str, float] = field(default_factory=dict)


def _breakdown(built: Built, assignment: Ints) -> Breakdown:
    p = built.problem
    rows = np.arange(len(assignment))
    stays = assignment == p.own
    parts = {
        k: round(
            float(np.where(stays, built.stay_parts[k], built.parts[k][rows, assignment]).sum()), 2
        )
        for k in COMPONENTS
    }
    status_quo = round(float(p.value[rows, p.own].sum()), 2)
    return Breakdown(
        round(objective(p, assignment), 2),
        parts,
        status_quo,
        int((~stays).sum()),
        not check(p, assignment),
    )


def _lines(built: Built, assignment: Ints) -> list[Line]:
    p, data = built.problem, built.data
    employees, positions = data.employees, data.positions
    locked = set(p.locked)
    moved = np.flatnonzero(assignment != p.own)
    leavers: dict[int, list[str]] = {}
    for i in moved:
        leavers.setdefault(int(p.own[i]), []).append(employees[i].nip)
    open_slots = {j: max(pos.needed - pos.filled, 0) for j, pos in enumerate(positions)}
    lines = []
    for i in sorted(moved, key=lambda i: (positions[assignment[i]].code, employees[i].nip)):
        j = int(assignment[i])
        vacated_by = None
        if open_slots[j] > 0:
            open_slots[j] -= 1
        elif leavers.get(j):
            vacated_by = leavers[j].pop(0)
        km = built.km[i, j]
        lines.append(
            Line(
                nip=employees[i].nip,
                name=employees[i].name,
                origin_position=employees[i].position_code,
                origin_unit=employees[i].unit_code,
                target_position=positions[j].code,
                target_unit=positions[j].unit_code,
                value=float(p.value[i, j]),
                stay_value=float(p.value[i, p.own[i]]),
                parts={k: round(float(built.parts[k][i, j]), 2) for k in COMPONENTS},
                fit=round(float(built.fit[i, j]), 2),
                km=None if np.isnan(km) else round(float(km), 1),
                vacated_by=vacated_by,
                locked=(int(i), j) in locked,
            )
        )
    return lines


def _units(built: Built, assignment: Ints) -> list[UnitBalance]:
    leaving, arriving = flows(built.problem, assignment)
    return [
        UnitBalance(
            code, info.name, info.needed, info.filled, int(info.filled - leaving[k] + arriving[k])
        )
        for k, code in enumerate(built.unit_codes)
        if (info := built.data.units[code])
    ]


def optimise(built: Built) -> Outcome:
    """Solve the plan optimally and describe it beside the greedy baseline."""
    solution: Solution = solve(built.problem)
    baseline = greedy(built.problem)
    return Outcome(
        lines=_lines(built, solution.assignment),
        optimum=_breakdown(built, solution.assignment),
        greedy=_breakdown(built, baseline),
        method=solution.method,
        gap=round(solution.gap, 6),
        bound=round(solution.bound, 2),
        seconds=solution.seconds,
        units=_units(built, solution.assignment),
        stats=dict(solution.stats),
    )
