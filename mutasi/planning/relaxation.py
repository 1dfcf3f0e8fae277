"""The plan's LP relaxation over all n × P pairs, by column generation on HiGHS.

Only a few pairs per employee enter the LP at first (their own post and their best moves).
After each solve, the duals price every pair in one numpy pass; pairs that could raise the
LP value are added and HiGHS continues from its last basis (highspy's incremental API; the
same solver scipy bundles, which cannot warm-start: a tenth of the time at 2,000 × 2,000).

The duals also give a bound that holds however far pricing got: any plan x is worth
  v·x = y·Ax − Σ r(x) ≤ LP value + Σ_i max(0, −min_p r[i, p]),
where r = Aᵀy − v are the reduced costs; pricing stops once that is within RESOLUTION of
the LP value. And a plan using a pair of reduced cost r is worth at most bound − r, which is
how the MILP (optimiser.py) leaves out every pair that cannot be in a better plan.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field

import highspy
import numpy as np
from scipy.sparse import coo_array, csc_array

from mutasi.planning.problem import PlanProblem

TOLERANCE = 1e-6
# Plan values are points with two decimals: two plans differ by 0.01 or not at all, so a
# bound less than 0.01 above a plan proves it optimal.
RESOLUTION = 0.01
_INF = highspy.kHighsInf


def _quiet_banner() -> None:
    """HiGHS prints its banner to file descriptor 1 once, at the first model of a process;
    CLI output (and JSON on stdout) must not carry it, so the first model is made here."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


_quiet_banner()


class Infeasible(Exception):
    """No plan keeps every constraint (e.g. locked pairs that contradict each other)."""


@dataclass
class Pairs:
    """A set of (employee, post) pairs and the constraint rows they take part in."""

    problem: PlanProblem
    rows: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    posts: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))

    def fresh(self, rows: np.ndarray, posts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The given pairs not in the set yet, each once."""
        n_posts = self.problem.size[1]
        keys = np.unique(rows * n_posts + posts)
        keys = keys[~np.isin(keys, self.rows * n_posts + self.posts)]
        return keys // n_posts, keys % n_posts

    def extend(self, rows: np.ndarray, posts: np.ndarray) -> None:
        self.rows = np.concatenate([self.rows, rows])
        self.posts = np.concatenate([self.posts, posts])

    def values(self) -> np.ndarray:
        return self.problem.value[self.rows, self.posts]


def constraint_rows(
    problem: PlanProblem, rows: np.ndarray, posts: np.ndarray
) -> tuple[csc_array, np.ndarray, np.ndarray]:
    """The constraint matrix over these pairs (as columns), with its row bounds.

    Rows: each employee in exactly one post; each post within its capacity; per unit the
    candidates leaving (≤ max_out) and leaving − arriving (≤ staff − floor); all moves.
    A unit without a limit gets a free row (−inf, inf), so the row layout never changes.
    """
    p = problem
    n, n_posts = p.size
    k = np.arange(len(rows))
    origin, target = p.home_unit[rows], p.unit_of[posts]
    moved = origin != target
    one = np.ones(len(k))
    parts = [(rows, k, one), (n + posts, k, one)]
    lower = [np.ones(n), np.full(n_posts, -np.inf)]
    upper = [np.ones(n), p.capacity.astype(float)]
    base = n + n_posts
    if p.max_out is not None:
        limited = moved & (p.max_out[origin] >= 0)
        parts.append((base + origin[limited], k[limited], one[limited]))
        lower.append(np.full(p.units, -np.inf))
        upper.append(np.where(p.max_out >= 0, p.max_out, np.inf).astype(float))
        base += p.units
    if p.min_staff is not None:
        parts.append((base + origin[moved], k[moved], one[moved]))
        parts.append((base + target[moved], k[moved], -one[moved]))
        lower.append(np.full(p.units, -np.inf))
        upper.append((p.staff - p.floor()).astype(float))
        base += p.units
    if p.max_moves is not None:
        moves = posts != p.own[rows]
        parts.append((np.full(int(moves.sum()), base), k[moves], one[moves]))
        lower.append(np.array([-np.inf]))
        upper.append(np.array([float(p.max_moves)]))
        base += 1
    r, c, v = (np.concatenate([x[i] for x in parts]) for i in range(3))
    matrix = coo_array((v, (r, c)), shape=(base, len(k))).tocsc()
    return matrix, np.concatenate(lower), np.concatenate(upper)


def reduced_costs(problem: PlanProblem, duals: np.ndarray) -> np.ndarray:
    """r[i, p] = (Aᵀy)[i, p] − value[i, p] for every pair; +inf where not allowed."""
    n, n_posts = problem.size
    base = n + n_posts
    origin, target = problem.home_unit, problem.unit_of
    moved = origin[:, None] != target[None, :]
    total = duals[:n, None] + duals[n:base][None, :]
    if problem.max_out is not None:
        y = duals[base : base + problem.units]
        limited = (problem.max_out[origin] >= 0)[:, None]
        total += np.where(moved & limited, y[origin][:, None], 0.0)
        base += problem.units
    if problem.min_staff is not None:
        y = duals[base : base + problem.units]
        total += np.where(moved, y[origin][:, None] - y[target][None, :], 0.0)
        base += problem.units
    if problem.max_moves is not None:
        total += duals[base]
        total[np.arange(n), problem.own] -= duals[base]  # staying is not a move
    return np.where(problem.allowed, total - problem.value, np.inf)


@dataclass(frozen=True)
class Relaxation:
    value: float  # the LP optimum over the pairs priced in
    bound: float  # no plan is worth more
    reduced: np.ndarray  # n × P reduced costs at the final duals
    pairs: Pairs
    x: np.ndarray  # the LP solution over `pairs`
    rounds: int


class _Model:
    """The restricted LP in HiGHS; columns are added and the solve resumes from its basis."""

    def __init__(self, problem: PlanProblem) -> None:
        self.problem = problem
        self.highs = highspy.Highs()
        self.highs.setOptionValue("output_flag", False)
        _, lower, upper = constraint_rows(problem, np.empty(0, np.int64), np.empty(0, np.int64))
        lower, upper = (
            np.where(np.isfinite(lower), lower, -_INF),
            np.where(np.isfinite(upper), upper, _INF),
        )
        empty_i, empty_f = np.empty(0, np.int32), np.empty(0)
        self.highs.addRows(len(lower), lower, upper, 0, empty_i, empty_i, empty_f)
        self.highs.changeObjectiveSense(highspy.ObjSense.kMaximize)

    def add(self, rows: np.ndarray, posts: np.ndarray) -> None:
        matrix, _, _ = constraint_rows(self.problem, rows, posts)
        count = len(rows)
        self.highs.addCols(
            count,
            self.problem.value[rows, posts],
            np.zeros(count),
            np.full(count, _INF),
            matrix.nnz,
            matrix.indptr.astype(np.int32),
            matrix.indices.astype(np.int32),
            matrix.data,
        )

    def solve(self) -> tuple[float, np.ndarray, np.ndarray] | None:
        """(LP value, row duals, x), or None if the restricted LP has no solution."""
        self.highs.run()
        status = self.highs.getModelStatus()
        if status == highspy.HighsModelStatus.kInfeasible:
            return None
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"LP relaxation: {self.highs.modelStatusToString(status)}")
        solution = self.highs.getSolution()
        value = self.highs.getInfo().objective_function_value
        return value, np.array(solution.row_dual), np.array(solution.col_value)


def relax(problem: PlanProblem, start: Pairs, per_row: int) -> Relaxation:
    """Solve the LP relaxation over all pairs, starting from `start`; Infeasible if none."""
    model, pairs = _Model(problem), Pairs(problem)
    rows, posts = start.rows, start.posts
    rounds = 0
    while True:
        model.add(rows, posts)
        pairs.extend(rows, posts)
        solved = model.solve()
        if solved is None:
            # The few pairs so far may be what is infeasible (a locked move needs others):
            # try once with every allowed pair before giving up.
            every = pairs.fresh(*np.nonzero(problem.allowed))
            if not len(every[0]):
                raise Infeasible("Rencana tidak memiliki penyelesaian yang memenuhi semua batasan")
            rows, posts = every
            continue
        value, duals, x = solved
        reduced = reduced_costs(problem, duals)
        bound = value + float(np.maximum(-reduced.min(axis=1), 0.0).sum())
        pricing = reduced.copy()
        pricing[pairs.rows, pairs.posts] = np.inf
        k = min(per_row, problem.size[1])
        best = np.argpartition(pricing, k - 1, axis=1)[:, :k]
        rows, posts = np.repeat(np.arange(problem.size[0]), k), best.ravel()
        keep = pricing[rows, posts] < -TOLERANCE
        if bound - value < RESOLUTION / 2 or not keep.any():
            return Relaxation(value, bound, reduced, pairs, x, rounds)
        rows, posts = rows[keep], posts[keep]
        rounds += 1
