"""What waits for the caller ("Tugas saya"): the open transfers whose pending step the caller
may take now, soonest deadline first, with the working days left.

Read from the transfers read model alone — status, kind, whether soft rules still await a
written justification, since when the status holds, the deadline the workflow recorded — with
the pure lifecycle module (the step each status waits for, and from which party) and the
policy table (which roles may take that step). No workflow is asked.

Who is awaited: a step of the origin government (consent), of the receiving government
(verify, agenda, meeting, decision) or of BKN (pertek) waits for that government's people in
the step's role; a revision waits for the proposer themself. A supervisor (unit-bound) sees
only what touches their unit, as everywhere (mutasi.transfers.visibility_filter).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from itertools import product
from typing import Any

import asyncpg

from mutasi.auth.policy import UPDATE_ACTIONS, allowed
from mutasi.auth.principal import Principal
from mutasi.deadlines import ServiceLevel, service_level
from mutasi.domain.lifecycle import OPEN, Party, Pending, TransferStatus, pending_step
from mutasi.lifecycle import BKN_TENANT, WITHIN_GOVERNMENT
from mutasi.transfers import visibility_filter

S = TransferStatus


@dataclass(frozen=True)
class Awaited:
    """A state a transfer can be in, and the step it then waits for."""

    status: TransferStatus
    inter_government: bool
    unjustified: bool
    pending: Pending


def _states() -> list[Awaited]:
    """Every open status × kind × justification that waits for a person."""
    found = []
    for status, inter, unjustified in product(sorted(OPEN), (False, True), (False, True)):
        if unjustified and status is not S.CHECKED:
            continue  # only a checked proposal can wait for a justification
        pending = pending_step(status, inter_government=inter, unjustified=unjustified)
        if pending is not None:
            found.append(Awaited(status, inter, unjustified, pending))
    return found


STATES = _states()


def takes(principal: Principal, pending: Pending) -> bool:
    """Whether the caller's roles may take this step (where the party fits, see `_party`)."""
    if not allowed(UPDATE_ACTIONS[pending.step], principal.roles):
        return False
    if pending.party is Party.BKN and principal.tenant != BKN_TENANT:
        return False
    return pending.role is None or principal.has(pending.role)  # None: the proposer, any role


def mine(principal: Principal) -> list[Awaited]:
    return [state for state in STATES if takes(principal, state.pending)]


def _party(party: Party, principal: Principal, add: Callable[[Any], str]) -> str:
    """SQL: the transfer's party of this step is the caller (their government, or themself)."""
    if party is Party.ORIGIN:
        return f"tenant = {add(principal.tenant)}"
    if party is Party.RECEIVING:
        return f"target_tenant = {add(principal.tenant)}"
    if party is Party.BKN:
        return "true"  # `takes` admitted BKN's own people only
    # The proposer works in the receiving government (the one that proposes).
    return f"target_tenant = {add(principal.tenant)} AND proposer_id = {add(principal.sub)}"


def where_mine(principal: Principal, states: list[Awaited]) -> tuple[str, list[Any]]:
    """SQL condition (and parameters) for the visible transfers waiting for the caller."""
    visible, params = visibility_filter(principal, 1)

    def add(value: Any) -> str:
        params.append(value)
        return f"${len(params)}"

    alternatives = []
    for state in states:
        kind = "<>" if state.inter_government else "="
        clause = (
            f"status = {add(state.status.value)} AND kind {kind} {add(WITHIN_GOVERNMENT)}"
            f" AND {_party(state.pending.party, principal, add)}"
        )
        if state.status is S.CHECKED:
            clause += f" AND awaiting_justification = {add(state.unjustified)}"
        alternatives.append(f"({clause})")
    return f"({visible}) AND ({' OR '.join(alternatives) or 'false'})", params


@dataclass
class Task:
    id: Any
    step: str
    role: str
    since: datetime
    due_at: datetime


_LIGHT = (
    "SELECT id, status, kind, proposer_role, awaiting_justification,"
    " coalesce(status_since, updated_at) AS since, due_at FROM transfers WHERE "
)
DETAILS = (
    "SELECT t.id, t.tenant, t.target_tenant, t.employee_nip, t.employee_name, t.kind,"
    " t.status, t.target_position_code, t.target_unit_code, t.effective_date,"
    " tp.name AS target_position_name, tu.name AS target_unit_name FROM transfers t"
    " LEFT JOIN positions tp ON tp.tenant = t.target_tenant AND tp.code = t.target_position_code"
    " LEFT JOIN units tu ON tu.tenant = t.target_tenant AND tu.code = t.target_unit_code"
    " WHERE t.id = ANY($1::uuid[])"
)


def _task(row: asyncpg.Record, level: ServiceLevel) -> Task:
    inter = row["kind"] != WITHIN_GOVERNMENT
    unjustified = row["awaiting_justification"]
    pending = pending_step(S(row["status"]), inter_government=inter, unjustified=unjustified)
    assert pending is not None  # the SQL chose only statuses that wait for a person
    # The deadline the workflow recorded (reminder, escalation), else the one it counts to.
    due = row["due_at"] or level.due_at(row["since"], pending.working_days)
    role = pending.role or row["proposer_role"]
    return Task(row["id"], pending.step.value, role, row["since"], due)


@dataclass
class Waiting:
    tasks: list[Task]
    details: dict[Any, dict[str, Any]]
    level: ServiceLevel  # the caller's government's: every step here is taken there
    total: int
    overdue: int
    counts: dict[str, int]


async def waiting_for(
    pool: asyncpg.Pool, principal: Principal, now: datetime, limit: int, offset: int
) -> Waiting:
    """One page of what waits for the caller, soonest deadline first, and the totals."""
    states = mine(principal)
    where, params = where_mine(principal, states)
    # One connection for the three reads, one after the other: with 50 callers at once, two
    # connections per request at once (the reads gathered) queued on the pool and doubled
    # its acquire and release work for milliseconds saved on an idle one.
    async with pool.acquire() as conn:
        rows = await conn.fetch(_LIGHT + where, *params) if states else []
        # Each step counted here is taken in the caller's own government (or BKN), so its
        # deadline runs in that government's calendar.
        level = await service_level(conn, principal.tenant)
        tasks = sorted(
            (_task(row, level) for row in rows), key=lambda t: (t.due_at, t.since, str(t.id))
        )
        page = tasks[offset : offset + limit]
        found = await conn.fetch(DETAILS, [t.id for t in page]) if page else []
    counts: dict[str, int] = {}
    for task in tasks:
        counts[task.step] = counts.get(task.step, 0) + 1
    overdue = sum(1 for t in tasks if t.due_at < now)
    details = {row["id"]: dict(row) for row in found}
    return Waiting(page, details, level, len(tasks), overdue, counts)
