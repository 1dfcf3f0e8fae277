"""One optimisation of a plan against the database: load the scope, solve, describe, log.

The plan workflow's `optimise` activity calls `optimise_plan`; the whole outcome (lines,
objective, greedy baseline, staffing) becomes `plan.optimised` in the log — the workflow only
receives its summary, so a plan of thousands of lines never crosses Temporal.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import asdict
from datetime import date
from typing import Any

import asyncpg

from mutasi.planning import queries
from mutasi.planning.contract import PlanSummary
from mutasi.planning.optimiser import Infeasible
from mutasi.planning.outcome import Breakdown, Outcome, optimise
from mutasi.planning.plan import PlanData, UnitInfo, build
from mutasi.planning.spec import PlanSpec


def points(value: float) -> str:
    return f"{value:.2f}"


async def load(
    conn: asyncpg.Connection, tenant: str, spec: PlanSpec, drafter_nip: str | None = None
) -> PlanData:
    """The scope's employees, posts and units, with homes, blocks (R7, R8) and settings."""
    units = list(spec.scope.units)
    employees = await queries.employees(conn, tenant, units)
    positions = await queries.positions(conn, tenant, units)
    known = {p.code for p in positions}
    employees = [e for e in employees if e.position_code in known]
    places = await queries.unit_places(conn, tenant)
    needed, filled = Counter[str](), Counter[str]()
    for p in positions:
        needed[p.unit_code] += p.needed
        filled[p.unit_code] += p.filled
    info = {
        code: UnitInfo(
            code,
            place.name,
            needed[code],
            filled[code],
            place.city,
            place.latitude,
            place.longitude,
        )  # fmt: skip
        for code, place in places.items()
        if code in needed
    }
    return PlanData(
        employees=employees,
        positions=positions,
        units=info,
        today=await queries.tenant_today(conn, tenant),
        profile=await queries.profile_config(conn, tenant),
        homes=queries.home_coords(employees),
        blocked=await queries.open_transfers(conn, tenant) | _drafter(drafter_nip),
    )


def _drafter(nip: str | None) -> dict[str, str]:
    """R7: the officer drawing up the plan would propose their own transfer; they stay."""
    return {nip: "R7"} if nip else {}


def _totals(b: Breakdown) -> dict[str, Any]:
    parts = {k: points(v) for k, v in b.parts.items()}
    return {"value": points(b.value), "parts": parts, "moves": b.moves, "feasible": b.feasible}


def payload(outcome: Outcome, data: PlanData, revision: int, seconds: float) -> dict[str, Any]:
    """`plan.optimised`'s payload: numbers as strings with two decimals, km whole."""
    lines = [
        {
            "line": k,
            "nip": x.nip,
            "name": x.name,
            "origin_position": x.origin_position,
            "origin_unit": x.origin_unit,
            "target_position": x.target_position,
            "target_unit": x.target_unit,
            "value": points(x.value),
            "stay_value": points(x.stay_value),
            "fit": points(x.fit),
            "parts": {name: points(v) for name, v in x.parts.items()},
            "km": None if x.km is None else round(x.km),
            "vacated_by": x.vacated_by,
            "locked": x.locked,
        }  # fmt: skip
        for k, x in enumerate(outcome.lines, start=1)
    ]
    return {
        "revision": revision,
        "method": outcome.method,
        "gap": points(outcome.gap),
        "bound": points(outcome.bound),
        "status_quo": points(outcome.optimum.status_quo),
        "optimum": _totals(outcome.optimum),
        "greedy": _totals(outcome.greedy),
        "candidates": len(data.employees),
        "posts": len(data.positions),
        "seconds": f"{seconds:.3f}",
        "lines": lines,
        "units": [asdict(u) for u in outcome.units],
    }


def infeasible(problem: str, data: PlanData, revision: int, seconds: float) -> dict[str, Any]:
    empty = {"value": "0.00", "parts": {}, "moves": 0, "feasible": False}
    return {
        "revision": revision, "method": "none", "gap": "0.00", "bound": "0.00",
        "status_quo": "0.00", "optimum": empty, "greedy": empty,
        "candidates": len(data.employees), "posts": len(data.positions),
        "seconds": f"{seconds:.3f}", "lines": [], "units": [], "problem": problem,
    }  # fmt: skip


def summary(p: dict[str, Any]) -> PlanSummary:
    return PlanSummary(
        revision=p["revision"], value=p["optimum"]["value"], status_quo=p["status_quo"],
        greedy_value=p["greedy"]["value"], moves=p["optimum"]["moves"],
        greedy_moves=p["greedy"]["moves"], method=p["method"], gap=p["gap"],
        seconds=p["seconds"], problem=p.get("problem"),
    )  # fmt: skip


async def optimise_plan(
    conn: asyncpg.Connection,
    tenant: str,
    spec: PlanSpec,
    revision: int,
    drafter_nip: str | None = None,
) -> dict[str, Any]:
    """Solve the plan as the database stands now; the `plan.optimised` payload."""
    data = await load(conn, tenant, spec, drafter_nip)
    begun = time.perf_counter()
    if not data.employees or not data.positions:
        problem = "Ruang lingkup rencana tidak memuat pegawai atau jabatan"
        return infeasible(problem, data, revision, 0.0)

    def solve() -> Outcome:
        return optimise(build(data, spec.weights, spec.rules))

    try:
        outcome = await asyncio.to_thread(solve)  # seconds of CPU: keep the event loop free
    except Infeasible as exc:
        return infeasible(str(exc), data, revision, time.perf_counter() - begun)
    return payload(outcome, data, revision, time.perf_counter() - begun)


def effective(spec: PlanSpec, given: str | None) -> date:
    return date.fromisoformat(given) if given else spec.scope.period_start
