"""What the plan routes and `mutasi plan` do: start a plan's workflow, take its steps, and
read plans and their lines (with the status of the transfer each line became).
"""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

import asyncpg
from temporalio.client import Client
from temporalio.common import (
    SearchAttributePair,
    TypedSearchAttributes,
    WorkflowIDReusePolicy,
)
from temporalio.exceptions import WorkflowAlreadyStartedError

from mutasi.errors import NotFound, Unavailable
from mutasi.lifecycle import SEARCH_STATUS, SEARCH_TENANT, Caller
from mutasi.planning.contract import (
    PLAN_WORKFLOW_NAME,
    PlanInput,
    PlanState,
    plan_workflow_id,
)
from mutasi.planning.spec import PlanSpec
from mutasi.transfers import check_effective_date, execute_update

_KEY_NS = uuid5(NAMESPACE_URL, "https://mutasi.go.id/idempotency/plans")
RECORD_WAIT_STEPS = 600  # × 50 ms: the first entry is written as soon as the worker runs it
_PLAN_COLUMNS = (
    "id, title, status, scope, objective, baseline, revision, created_by, created_at,"
    " updated_at, meeting_id"
)


def plan_id_for(tenant: str, sub: str, idempotency_key: str | None) -> UUID:
    # The same key from the same caller names the same plan: a retry starts nothing new.
    return uuid5(_KEY_NS, f"{tenant}/{sub}/{idempotency_key}") if idempotency_key else uuid4()


async def draft(
    pool: asyncpg.Pool,
    temporal: Client,
    task_queue: str,
    caller: Caller,
    spec: PlanSpec,
    idempotency_key: str | None,
    reason: str | None = None,
) -> dict[str, Any]:
    plan_id = plan_id_for(caller.tenant, caller.sub, idempotency_key)
    data = PlanInput(str(plan_id), caller.tenant, caller, spec.model_dump(mode="json"), reason)
    try:
        await temporal.start_workflow(
            PLAN_WORKFLOW_NAME,
            data,
            id=plan_workflow_id(plan_id),
            task_queue=task_queue,
            execution_timeout=timedelta(days=1100),
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            search_attributes=TypedSearchAttributes(
                [
                    SearchAttributePair(SEARCH_TENANT, caller.tenant),
                    SearchAttributePair(SEARCH_STATUS, "draft"),
                ]
            ),
        )
    except WorkflowAlreadyStartedError:
        pass  # the same Idempotency-Key: this plan exists already
    for _ in range(RECORD_WAIT_STEPS):
        if (found := await read(pool, caller.tenant, plan_id)) is not None:
            return found
        await asyncio.sleep(0.05)
    raise Unavailable(
        "Rencana sudah dibuat tetapi belum tercatat; ulangi dengan Idempotency-Key yang sama",
        "The plan is started but not recorded yet; retry with the same Idempotency-Key",
    )


async def step(
    temporal: Client, plan_id: UUID, update: str, arg: Any, idempotency_key: str | None
) -> PlanState:
    state: PlanState = await execute_update(
        temporal, plan_workflow_id(plan_id), update, arg, idempotency_key, PlanState
    )
    return state


async def read(pool: asyncpg.Pool, tenant: str, plan_id: UUID) -> dict[str, Any] | None:
    row = await pool.fetchrow(
        f"SELECT {_PLAN_COLUMNS} FROM plans WHERE id = $1 AND tenant = $2", plan_id, tenant
    )
    return dict(row) if row else None


async def read_or_404(pool: asyncpg.Pool, tenant: str, plan_id: UUID) -> dict[str, Any]:
    found = await read(pool, tenant, plan_id)
    if found is None:
        raise NotFound("Rencana mutasi tidak ditemukan", "Plan not found")
    return found


async def moves(pool: asyncpg.Pool, plan_id: UUID, nip: str) -> bool:
    """Whether a line of the plan moves the employee `nip`."""
    found = await pool.fetchval(
        "SELECT EXISTS (SELECT 1 FROM plan_lines WHERE plan_id = $1 AND employee_nip = $2)",
        plan_id,
        nip,
    )
    return bool(found)


async def check_tmt(
    pool: asyncpg.Pool, tenant: str, plan: dict[str, Any], tmt: date | None
) -> None:
    """The TMT approving a plan gives every line's proposal (the one given, else the period's
    start) within the government's bounds, as any proposal's must be (422): the plan's
    Update does not read the moved clock, so the service and `mutasi plan approve` ask."""
    start = PlanSpec.model_validate(plan["scope"]).scope.period_start
    await check_effective_date(pool, tenant, tmt or start)


async def listing(pool: asyncpg.Pool, tenant: str, limit: int, offset: int) -> list[dict]:
    rows = await pool.fetch(
        f"SELECT {_PLAN_COLUMNS} FROM plans WHERE tenant = $1"
        " ORDER BY created_at DESC, id LIMIT $2 OFFSET $3",
        tenant,
        limit,
        offset,
    )
    return [dict(r) for r in rows]


async def lines(pool: asyncpg.Pool, plan_id: UUID, limit: int, offset: int) -> list[dict[str, Any]]:
    """The plan's lines, each with the status its transfer has now (none before approval)."""
    rows = await pool.fetch(
        "SELECT l.line, l.employee_nip, l.employee_name, l.origin_position_code,"
        " l.origin_unit_code, l.target_position_code, l.target_unit_code, l.value, l.gain,"
        " l.components, l.locked, l.transfer_id, t.status AS transfer_status,"
        " op.name AS origin_position_name, ou.name AS origin_unit_name,"
        " tp.name AS target_position_name, tu.name AS target_unit_name"
        " FROM plan_lines l JOIN plans p ON p.id = l.plan_id"
        " LEFT JOIN transfers t ON t.id = l.transfer_id"
        " LEFT JOIN positions op ON op.tenant = p.tenant AND op.code = l.origin_position_code"
        " LEFT JOIN units ou ON ou.tenant = p.tenant AND ou.code = l.origin_unit_code"
        " LEFT JOIN positions tp ON tp.tenant = p.tenant AND tp.code = l.target_position_code"
        " LEFT JOIN units tu ON tu.tenant = p.tenant AND tu.code = l.target_unit_code"
        " WHERE l.plan_id = $1 ORDER BY l.line LIMIT $2 OFFSET $3",
        plan_id,
        limit,
        offset,
    )
    return [dict(r) for r in rows]


async def visible(pool: asyncpg.Pool, tenant: str, plan_id: UUID) -> bool:
    return bool(
        await pool.fetchval(
            "SELECT EXISTS (SELECT 1 FROM plans WHERE id = $1 AND tenant = $2)", plan_id, tenant
        )
    )
