"""The greedy baseline a plan is shown beside: the best single move first, while it fits.

What a careful officer does by hand: take the most valuable move still possible (the largest
gain over staying), make it if the post has room and no limit breaks, repeat. A post freed by
a move becomes available to later moves. It is feasible by construction, never better than
the optimum, and often visibly worse — which is why the optimiser exists.
"""

from __future__ import annotations

import numpy as np

from mutasi.planning.problem import Ints, PlanProblem


def greedy(problem: PlanProblem) -> Ints:
    n, posts = problem.size
    assignment = problem.own.copy()
    rows = np.arange(n)
    for i, p in problem.locked:
        assignment[i] = p
    locked_rows = {i for i, _ in problem.locked}
    occupied = np.bincount(assignment, minlength=posts)
    leaving = np.zeros(problem.units, dtype=np.int64)
    arriving = np.zeros(problem.units, dtype=np.int64)
    home = problem.home_unit
    for i in locked_rows:
        if home[i] != problem.unit_of[assignment[i]]:
            leaving[home[i]] += 1
            arriving[problem.unit_of[assignment[i]]] += 1
    floor = problem.floor()
    moves = int((assignment != problem.own).sum())
    gain = problem.value - problem.value[rows, problem.own][:, None]
    gain = np.where(problem.allowed, gain, -np.inf)
    gain[rows, problem.own] = -np.inf
    order = np.argsort(-gain, axis=None, kind="stable")
    progress = True
    while progress:  # a later move may free the post an earlier candidate wanted
        progress = False
        for flat in order:
            i, p = divmod(int(flat), posts)
            if gain[i, p] <= 0:
                break
            if (
                i in locked_rows
                or assignment[i] != problem.own[i]
                or occupied[p] >= problem.capacity[p]
            ):
                continue
            if problem.max_moves is not None and moves >= problem.max_moves:
                return assignment
            origin, target = home[i], problem.unit_of[p]
            if origin != target:
                if problem.max_out is not None and 0 <= problem.max_out[origin] <= leaving[origin]:
                    continue
                after = problem.staff[origin] - leaving[origin] + arriving[origin] - 1
                if after < floor[origin]:
                    continue
                leaving[origin] += 1
                arriving[target] += 1
            occupied[problem.own[i]] -= 1
            occupied[p] += 1
            assignment[i] = p
            moves += 1
            progress = True
    return assignment
