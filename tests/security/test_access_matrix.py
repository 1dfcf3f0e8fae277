"""The access matrix, generated: every route × every role × own/other government × own/other
unit, each cell's expected status derived from the policy table alone.

- a role the policy does not name for the route: 403;
- an allowed role on its own government's resource: let in (not 401/403/404, no 5xx);
- an allowed role on another government's resource: 404, as if it did not exist;
- a supervisor of another unit, or another employee, on a unit-bound resource: 404;
- a list never shows another government's resources (nor another unit's to the unit-bound);
- national roles (national administrator, operator) reach every government: let in.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio

from mutasi.auth.policy import POLICY
from mutasi.auth.principal import NATIONAL_ROLES, Role
from mutasi.settings import Settings
from tests.security.routes import RouteInfo, all_routes
from tests.security.world import Caller, World

ROUTES = [r for r in all_routes(Settings(var_dir=Path("/nonexistent-var"))) if r.actions]
# Path parameters whose resource belongs to a unit (and an employee): strangers get 404.
UNIT_BOUND = {"transfer_id", "nip", "unit_code", "sequence"}
PROBE = {"matrix_probe": "unknown fields are refused, so nothing is changed"}
# Bodies that pass validation, for routes whose path resource the route itself checks after
# the body: the 404 for another government's resource is then still observable.
VALID_BODIES: dict[str, Any] = {
    "PUT /notification-contacts/{recipient}": {},
    "PATCH /webhook-subscriptions/{subscription_id}": {},
    "POST /webhook-subscriptions/{subscription_id}/redrive": {},
}
# A sub-resource the open transfer does not have yet: its route may answer 404, but never
# the transfer's own 404 (the e2e tests download a real decree).
NOT_YET = {"GET /transfers/{transfer_id}/decree"}
NOT_LET_IN = {401, 403, 404}


@dataclass(frozen=True)
class Cell:
    route: RouteInfo
    who: str  # e.g. "approver (home)", "supervisor (other unit)"
    caller: Caller
    params: dict[str, str]
    body: Any
    expect: str  # "403", "404", "let_in", "no_foreign"
    foreign: tuple[str, ...] = ()


def _allowed(route: RouteInfo) -> frozenset[str]:
    roles = frozenset(r.value for r in Role)
    for action in route.actions:
        roles &= POLICY[action].roles
    return roles


def _key(route: RouteInfo) -> str:
    return f"{route.method} {route.path}"


def _body(route: RouteInfo, valid: bool) -> Any:
    if not route.has_body:
        return None
    return VALID_BODIES.get(_key(route), PROBE) if valid else PROBE


def _own(world: World, role: str, route: RouteInfo) -> dict[str, str] | None:
    values = world.own[role]
    return {p: values[p] for p in route.params} if set(route.params) <= set(values) else None


def _other(world: World, role: str, route: RouteInfo) -> dict[str, str] | None:
    """Another government's resources in the path (own values where none is tenant-bound)."""
    if not set(route.params) & set(world.other):
        return None
    values = world.own[role] | world.other
    return {p: values[p] for p in route.params} if set(route.params) <= set(values) else None


def _cells_for_role(world: World, route: RouteInfo, role: str) -> list[Cell]:
    caller = world.callers[role]
    if role not in _allowed(route):
        params = _own(world, role, route) or _own(world, "hr_officer", route) or {}
        return [Cell(route, f"{role} (not in policy)", caller, params, _body(route, False), "403")]
    own = _own(world, role, route)
    cells = []
    if own is not None:
        cells.append(Cell(route, f"{role} (home)", caller, own, _body(route, False), "let_in"))
    other = _other(world, role, route)
    national = role in NATIONAL_ROLES  # reaches every government (national admin, operator)
    if other is not None:
        cells.append(
            Cell(
                route,
                f"{role} (other government's resource)",
                caller,
                other,
                _body(route, not national),
                "let_in" if national else "404",
            )
        )
    stranger = world.strangers.get(role)
    if stranger and own is not None and UNIT_BOUND & set(route.params):
        cells.append(
            Cell(
                route,
                f"{role} (other unit / other employee)",
                stranger,
                own,
                _body(route, True),
                "404",
            )
        )
    if not route.params and route.method == "GET" and not national:
        cells.append(
            Cell(route, f"{role} (list)", caller, {}, None, "no_foreign", tuple(world.foreign_ids))
        )
        if stranger:
            mine = (world.home_transfer["id"], world.home_transfer["employee_nip"])
            cells.append(
                Cell(
                    route,
                    f"{role} (list, other unit / other employee)",
                    stranger,
                    {},
                    None,
                    "no_foreign",
                    mine,
                )
            )
    return cells


def generate_cells(world: World, route: RouteInfo) -> list[Cell]:
    return [cell for role in world.callers for cell in _cells_for_role(world, route, role)]


def _violation(cell: Cell, response: httpx.Response) -> str | None:
    status, route = response.status_code, cell.route
    if cell.expect == "403" and status != 403:
        return f"expected 403, got {status}"
    if cell.expect == "404" and status != 404:
        return f"expected 404, got {status}"
    if cell.expect == "let_in":
        if status >= 500 or (
            status in NOT_LET_IN
            and not (status == 404 and _key(route) in NOT_YET and _is_sub_resource_404(response))
        ):
            return f"expected to be let in, got {status}"
    if cell.expect == "no_foreign":
        if status != 200:
            return f"expected 200, got {status}"
        leaked = [i for i in cell.foreign if i in response.text]
        if leaked:
            return f"shows resources it must not: {leaked}"
    return None


def _is_sub_resource_404(response: httpx.Response) -> bool:
    return "Transfer not found" not in response.json().get("detail_en", "")


async def _run(
    world: World, client: httpx.AsyncClient, gate: asyncio.Semaphore, cell: Cell
) -> str | None:
    path = cell.route.path
    for name, value in cell.params.items():
        path = path.replace(f"{{{name}}}", value)
    headers = cell.caller.headers(world.settings)
    if cell.body is not None:
        headers["Content-Type"] = "application/json"
    async with gate:
        response = await client.request(
            cell.route.method,
            world.url(cell.route.service, path),
            headers=headers,
            content=None if cell.body is None else json.dumps(cell.body),
        )
    problem = _violation(cell, response)
    return f"{cell.who} {path}: {problem} — {response.text[:200]}" if problem else None


@pytest_asyncio.fixture(scope="module")
async def client(world) -> Any:
    async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=24)) as c:
        yield c


@pytest.mark.parametrize("route", ROUTES, ids=str)
async def test_access_matrix(world, client, route):
    cells = generate_cells(world, route)
    assert cells, f"{route}: no cell could be generated"
    gate = asyncio.Semaphore(16)
    results = await asyncio.gather(*(_run(world, client, gate, cell) for cell in cells))
    failures = [r for r in results if r]
    assert failures == [], f"{route}:\n" + "\n".join(failures)
