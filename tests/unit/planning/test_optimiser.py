"""The plan optimiser: as good as trying every plan, never breaking a limit, never below greedy."""

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mutasi.planning.greedy import greedy
from mutasi.planning.optimiser import Infeasible, solve
from mutasi.planning.problem import PlanProblem, check, objective


@st.composite
def problems(draw) -> PlanProblem:
    n = draw(st.integers(1, 5))
    posts = draw(st.integers(1, 4))
    units = draw(st.integers(1, 3))
    unit_of = np.array([draw(st.integers(0, units - 1)) for _ in range(posts)])
    own = np.array([draw(st.integers(0, posts - 1)) for _ in range(n)])
    holders = np.bincount(own, minlength=posts)
    capacity = holders + np.array([draw(st.integers(0, 2)) for _ in range(posts)])
    value = np.array([[draw(st.integers(0, 100)) / 4 for _ in range(posts)] for _ in range(n)])
    allowed = np.array(
        [[draw(st.booleans()) or draw(st.booleans()) for _ in range(posts)] for _ in range(n)]
    )
    allowed[np.arange(n), own] = True
    staff = np.bincount(unit_of[own], minlength=units) + np.array(
        [draw(st.integers(0, 3)) for _ in range(units)]
    )
    limits = np.array([draw(st.integers(-1, 2)) for _ in range(units)])
    minimums = np.array([draw(st.integers(0, 6)) for _ in range(units)])
    max_out = limits if draw(st.booleans()) else None
    min_staff = minimums if draw(st.booleans()) else None
    max_moves = draw(st.none() | st.integers(0, 3))
    locked = ()
    if draw(st.booleans()):
        i, p = draw(st.integers(0, n - 1)), draw(st.integers(0, posts - 1))
        if allowed[i, p]:
            locked = ((i, p),)
    return PlanProblem(
        value, allowed, own, capacity, unit_of, staff, max_out, min_staff, max_moves, locked
    )


def brute_force(problem: PlanProblem) -> float | None:
    n, posts = problem.size
    choices = [np.flatnonzero(problem.allowed[i]) for i in range(n)]
    best = None
    for combo in itertools.product(*choices):
        assignment = np.array(combo)
        if not check(problem, assignment):
            value = objective(problem, assignment)
            best = value if best is None else max(best, value)
    return best


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), st.sampled_from([(6, 4), (1, 1)]))
def test_the_plan_is_the_best_of_all_plans_and_keeps_every_limit(problem, tuning):
    # (1, 1): the LP starts from one pair per employee, so pricing and the second MILP run.
    start, add = tuning
    best = brute_force(problem)
    if best is None:
        with pytest.raises(Infeasible):
            solve(problem, start_per_row=start, add_per_row=add)
        return
    solution = solve(problem, start_per_row=start, add_per_row=add)
    assert check(problem, solution.assignment) == []
    assert solution.value == pytest.approx(best, abs=1e-6)
    assert solution.gap == pytest.approx(0.0, abs=1e-6)
    baseline = greedy(problem)
    if not check(problem, baseline):
        assert solution.value >= objective(problem, baseline) - 1e-9
