"""The optimal plan: linear_sum_assignment where it suffices, HiGHS where limits bind.

1. When no side constraint can bind (every unit may lose all its candidates, no cap on the
   moves), the plan is an assignment problem: each post is expanded into `capacity` slots
   and `scipy.optimize.linear_sum_assignment` finds the optimum.
2. Otherwise the LP relaxation is solved over all pairs (relaxation.py) and gives a bound
   no plan can exceed. If its solution is already a plan (integral, as it mostly is for an
   assignment with a few unit limits), that plan is optimal.
3. Else `scipy.optimize.milp` (HiGHS, relative gap 0) solves the MILP over the pairs whose
   reduced cost is within `slack` of the LP optimum. A pair outside has r > slack, so any
   plan using it is worth less than bound − slack; once the MILP's plan is worth at least
   bound − slack, nothing outside can beat it and it is optimal over all pairs. If it is
   worth less, slack grows to bound − value and the MILP runs once more.

`gap` is what is left unproven: bound − value for an LP plan (< 0.01, the values' resolution),
HiGHS's own gap for a MILP plan (0 when it finishes).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linear_sum_assignment, milp

from mutasi.planning.problem import Ints, PlanProblem, check, objective
from mutasi.planning.relaxation import (
    RESOLUTION,
    TOLERANCE,
    Infeasible,
    Pairs,
    constraint_rows,
    relax,
)

__all__ = ["Infeasible", "Solution", "solve"]
START_PER_ROW = 6  # pairs per employee in the first LP: own post + the best moves
ADD_PER_ROW = 4  # pairs per employee added by one pricing round
_FIRST_SLACK = 2.0  # points: the first MILP takes the pairs this close to the LP optimum
_FORBIDDEN = -1e9  # an impossible pair for linear_sum_assignment (it needs finite costs)


@dataclass(frozen=True)
class Solution:
    assignment: Ints  # the post of each employee
    value: float
    method: str  # "linear_sum_assignment" | "lp" | "milp"
    gap: float  # proven distance to the optimum (0: optimal)
    bound: float  # no plan is worth more
    seconds: float
    stats: dict[str, float] = field(default_factory=dict)


def _assignment_optimum(problem: PlanProblem) -> Ints | None:
    post_of_slot = np.repeat(np.arange(len(problem.capacity)), problem.capacity)
    expanded = np.where(problem.allowed, problem.value, _FORBIDDEN)[:, post_of_slot]
    rows, cols = linear_sum_assignment(expanded, maximize=True)
    if len(rows) < problem.size[0] or (expanded[rows, cols] <= _FORBIDDEN / 2).any():
        return None
    assignment = np.empty(problem.size[0], dtype=np.int64)
    assignment[rows] = post_of_slot[cols]
    return assignment


def _limits_may_bind(problem: PlanProblem) -> bool:
    """Could a side constraint cut off the unconstrained optimum? (cheap, conservative)"""
    candidates = np.bincount(problem.home_unit, minlength=problem.units)
    if problem.max_moves is not None and problem.max_moves < problem.size[0]:
        return True
    if problem.max_out is not None and bool(
        ((problem.max_out >= 0) & (problem.max_out < candidates)).any()
    ):
        return True
    slack = problem.staff - problem.floor()
    return problem.min_staff is not None and bool((slack < candidates).any())


def _with_locks_fixed(problem: PlanProblem) -> PlanProblem:
    """A locked employee may be nowhere else: their row keeps only the locked post."""
    if not problem.locked:
        return problem
    allowed = problem.allowed.copy()
    for i, p in problem.locked:
        keep = allowed[i, p]
        allowed[i] = False
        allowed[i, p] = keep
    return replace(problem, allowed=allowed)


def _starting_pairs(problem: PlanProblem, per_row: int) -> Pairs:
    n, n_posts = problem.size
    masked = np.where(problem.allowed, problem.value, -np.inf)
    k = min(per_row, n_posts)
    best = np.argpartition(-masked, k - 1, axis=1)[:, :k]
    rows = np.concatenate([np.repeat(np.arange(n), k), np.arange(n)])
    posts = np.concatenate([best.ravel(), problem.own])
    keep = problem.allowed[rows, posts]
    pairs = Pairs(problem)
    pairs.extend(*pairs.fresh(rows[keep], posts[keep]))
    return pairs


def _milp(problem: PlanProblem, rows: np.ndarray, posts: np.ndarray) -> tuple[Ints, float, float]:
    """The optimal plan over these pairs: (assignment, value, HiGHS's absolute gap)."""
    matrix, lower, upper = constraint_rows(problem, rows, posts)
    result = milp(
        -problem.value[rows, posts],
        constraints=LinearConstraint(matrix, lower, upper),
        integrality=np.ones(len(rows)),
        bounds=Bounds(0, 1),
        options={"mip_rel_gap": 0.0},
    )
    if result.status == 2 or result.x is None:
        raise Infeasible("Rencana tidak memiliki penyelesaian yang memenuhi semua batasan")
    chosen = result.x > 0.5
    assignment = np.empty(problem.size[0], dtype=np.int64)
    assignment[rows[chosen]] = posts[chosen]
    value = -float(result.fun)
    return assignment, value, float(result.mip_gap or 0.0) * max(abs(value), 1.0)


def _integral(pairs: Pairs, x: np.ndarray) -> Ints | None:
    if np.abs(x - np.round(x)).max(initial=0.0) > TOLERANCE:
        return None
    chosen = x > 0.5
    assignment = np.empty(pairs.problem.size[0], dtype=np.int64)
    assignment[pairs.rows[chosen]] = pairs.posts[chosen]
    return assignment


def solve(
    problem: PlanProblem, *, start_per_row: int = START_PER_ROW, add_per_row: int = ADD_PER_ROW
) -> Solution:
    """The optimal plan; `*_per_row` only tune speed (tests set 1 to exercise pricing)."""
    begun = time.perf_counter()
    problem = _with_locks_fixed(problem)
    if not _limits_may_bind(problem) and (first := _assignment_optimum(problem)) is not None:
        value = objective(problem, first)
        return Solution(
            first, value, "linear_sum_assignment", 0.0, value, time.perf_counter() - begun
        )
    lp = relax(problem, _starting_pairs(problem, start_per_row), add_per_row)
    stats: dict[str, float] = {"lp_pairs": len(lp.pairs.rows), "pricing_rounds": lp.rounds}
    plan = _integral(lp.pairs, lp.x)
    if (
        plan is not None
        and not check(problem, plan)
        and lp.bound - objective(problem, plan) < RESOLUTION
    ):
        value = objective(problem, plan)  # the LP optimum is a plan: nothing beats it
        return Solution(
            plan,
            value,
            "lp",
            max(lp.bound - value, 0.0),
            lp.bound,
            time.perf_counter() - begun,
            stats,
        )
    slack = _FIRST_SLACK
    widest = float(lp.reduced[np.isfinite(lp.reduced)].max(initial=0.0))
    while True:
        rows, posts = np.nonzero(lp.reduced <= slack + TOLERANCE)
        stats["milp_pairs"] = len(rows)
        try:
            plan, value, gap = _milp(problem, rows, posts)
        except Infeasible:
            if slack >= widest:
                raise  # every pair was in: no plan keeps the constraints
            slack = max(4 * slack, 1.0)
            continue
        if lp.bound - value <= slack + TOLERANCE:
            break
        slack = lp.bound - value
    return Solution(
        plan, objective(problem, plan), "milp", gap, lp.bound, time.perf_counter() - begun, stats
    )
