"""The transfer plan as an optimisation problem: who ends up in which post, under which limits.

Rows are the candidate employees, columns the posts (positions) of the plan. Every employee
ends in exactly one post: their own (they stay) or another (a move). A post holds at most
`capacity` candidates: its vacancies plus the candidates who hold it now, so a post that a
move vacates can be filled by another move of the same plan (a chain), and a post whose
holder stays is not offered twice.

Side constraints, per unit (index in 0..units-1):
- `max_out[u]`: at most this many candidates leave unit u for another unit (−1: no limit);
- `min_staff[u]`: the unit's headcount after the plan (`staff[u]` − leaving + arriving) stays
  at least min(min_staff[u], staff[u]) — the plan never takes a unit below its minimum,
  and never makes a unit already below it worse;
- `max_moves`: at most this many moves in all (None: no limit);
- `locked`: (employee, post) pairs the plan must contain; pairs not `allowed` never appear.

`value[i, p]` is what employee i in post p adds to the objective (points, two decimals);
the plan maximises the sum over employees. `check` lists every broken constraint of an
assignment, so tests and the optimiser's callers can verify any result independently.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

Matrix = NDArray[np.float64]
Ints = NDArray[np.int64]


@dataclass(frozen=True)
class PlanProblem:
    value: Matrix  # n × P
    allowed: NDArray[np.bool_]  # n × P; allowed[i, own[i]]: may stay
    own: Ints  # n: the post each candidate holds now
    capacity: Ints  # P
    unit_of: Ints  # P: the unit of each post
    staff: Ints  # U: headcount of each unit now (every employee, not only candidates)
    max_out: Ints | None = None  # U; −1 = no limit
    min_staff: Ints | None = None  # U; 0 = no minimum
    max_moves: int | None = None
    locked: tuple[tuple[int, int], ...] = field(default=())

    @property
    def size(self) -> tuple[int, int]:
        return self.value.shape  # type: ignore[return-value]

    @property
    def units(self) -> int:
        return len(self.staff)

    @property
    def home_unit(self) -> Ints:
        return self.unit_of[self.own]

    def floor(self) -> Ints:
        """The headcount below which no unit may go: min(min_staff, staff)."""
        if self.min_staff is None:
            return np.zeros(self.units, dtype=np.int64)
        return np.minimum(self.min_staff, self.staff)

    def has_side_constraints(self) -> bool:
        limits = self.max_out is not None and bool((self.max_out >= 0).any())
        minimum = self.min_staff is not None and bool((self.min_staff > 0).any())
        return limits or minimum or self.max_moves is not None


def objective(problem: PlanProblem, assignment: Ints) -> float:
    rows = np.arange(len(assignment))
    return float(problem.value[rows, assignment].sum())


def flows(problem: PlanProblem, assignment: Ints) -> tuple[Ints, Ints]:
    """(leaving, arriving) candidates per unit."""
    origin, target = problem.home_unit, problem.unit_of[assignment]
    moved = origin != target
    leaving = np.bincount(origin[moved], minlength=problem.units)
    arriving = np.bincount(target[moved], minlength=problem.units)
    return leaving, arriving


def check(problem: PlanProblem, assignment: Ints) -> list[str]:
    """Every constraint the assignment breaks, described (empty: feasible)."""
    broken = []
    n = problem.size[0]
    rows = np.arange(n)
    if len(assignment) != n:
        return [f"{len(assignment)} rows assigned, {n} expected"]
    for i in np.flatnonzero(~problem.allowed[rows, assignment]):
        broken.append(f"employee {i} in post {assignment[i]}: pair not allowed")
    counts = np.bincount(assignment, minlength=len(problem.capacity))
    for p in np.flatnonzero(counts > problem.capacity):
        broken.append(f"post {p}: {counts[p]} > capacity {problem.capacity[p]}")
    leaving, arriving = flows(problem, assignment)
    if problem.max_out is not None:
        for u in np.flatnonzero((problem.max_out >= 0) & (leaving > problem.max_out)):
            broken.append(f"unit {u}: {leaving[u]} leave > limit {problem.max_out[u]}")
    after = problem.staff - leaving + arriving
    for u in np.flatnonzero(after < problem.floor()):
        broken.append(f"unit {u}: {after[u]} staff after < minimum {problem.floor()[u]}")
    moves = int((assignment != problem.own).sum())
    if problem.max_moves is not None and moves > problem.max_moves:
        broken.append(f"{moves} moves > limit {problem.max_moves}")
    for i, p in problem.locked:
        if assignment[i] != p:
            broken.append(f"locked pair ({i}, {p}) missing")
    return broken
