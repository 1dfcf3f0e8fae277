"""Reading transfers as a caller may see them, and driving their workflow's Updates.

Visibility: both governments of a transfer see it (and BKN); an employee sees only their own;
a supervisor only those touching their unit. Anything else answers 404, as if absent.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import asyncpg
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.exceptions import ActivityError, ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from mutasi import clock
from mutasi.auth.principal import Principal
from mutasi.domain.effective_date import check_effective_date as bounds
from mutasi.domain.effective_date import latest_revision
from mutasi.errors import (
    Forbidden,
    IllegalTransition,
    InvalidInput,
    JustificationRequired,
    MutasiError,
    NotFound,
    Unavailable,
)
from mutasi.lifecycle import BKN_TENANT, TransferState, transfer_workflow_id
from mutasi.tenants.config import load_tenant_config

TRANSFER_COLUMNS = (
    "id, tenant, target_tenant, employee_nip, employee_name, kind, origin_position_code,"
    " origin_unit_code, target_position_code, target_unit_code, status, decree_number,"
    " effective_date, created_at, updated_at, return_note, returned_by_role, returned_at,"
    " self_application"
)


def visibility_filter(principal: Principal, first_param: int) -> tuple[str, list[Any]]:
    """SQL condition (and its parameters) limiting transfers to what the caller may see."""
    n = first_param
    params: list[Any] = [principal.tenant]
    cond = f"(tenant = ${n} OR target_tenant = ${n})"
    if principal.has("bkn_officer") and principal.tenant == BKN_TENANT:
        cond = f"(kind <> 'within_government' OR {cond})"  # BKN sees every inter-government one
    staff = principal.has("hr_officer", "approver", "panel_member", "auditor", "bkn_officer")
    if not staff and principal.has("supervisor"):
        # A unit code names a unit only within its government (codes repeat across them):
        # the origin unit is the origin government's, the target unit the receiving one's.
        params.append(principal.unit)
        cond = (
            f"((tenant = ${n} AND origin_unit_code = ${n + 1})"
            f" OR (target_tenant = ${n} AND target_unit_code = ${n + 1}))"
        )
    elif not staff:
        params.append(principal.nip)
        cond += f" AND employee_nip = ${n + 1}"
    return cond, params


async def transfer_visible(
    db: asyncpg.Connection | asyncpg.Pool, principal: Principal, transfer_id: UUID
) -> bool:
    cond, params = visibility_filter(principal, 2)
    return bool(
        await db.fetchval(
            f"SELECT EXISTS (SELECT 1 FROM transfers WHERE id = $1 AND {cond})",
            transfer_id,
            *params,
        )
    )


async def load_visible(
    conn: asyncpg.Connection | asyncpg.Pool, principal: Principal, transfer_id: UUID
) -> asyncpg.Record:
    cond, params = visibility_filter(principal, 2)
    row = await conn.fetchrow(
        f"SELECT {TRANSFER_COLUMNS} FROM transfers WHERE id = $1 AND {cond}", transfer_id, *params
    )
    if row is None:
        raise NotFound("Usulan mutasi tidak ditemukan", "Transfer not found")
    return row


_REFUSALS: dict[str, type[MutasiError]] = {
    "not-found": NotFound,
    "forbidden": Forbidden,
    "invalid-input": InvalidInput,
    "illegal-transition": IllegalTransition,
    "justification-required": JustificationRequired,
    "unavailable": Unavailable,
}


async def run_update(
    temporal: Client, transfer_id: UUID, update: str, arg: Any, idempotency_key: str | None = None
) -> TransferState:
    """Execute a transfer workflow's Update; a validator's refusal becomes the problem."""
    result: TransferState = await execute_update(
        temporal, transfer_workflow_id(transfer_id), update, arg, idempotency_key, TransferState
    )
    return result


async def execute_update(
    temporal: Client,
    workflow_id: str,
    update: str,
    arg: Any,
    idempotency_key: str | None,
    result_type: type,
) -> Any:
    """Execute any workflow Update (transfer or meeting), mapping refusals to problems.

    The Idempotency-Key becomes the Update id (per update name), so a retried request gets
    the first answer back and the step is taken once.
    """
    handle = temporal.get_workflow_handle(workflow_id)
    update_id = f"{update}:{idempotency_key}" if idempotency_key else None
    try:
        return await handle.execute_update(update, arg, id=update_id, result_type=result_type)
    except WorkflowUpdateFailedError as exc:
        cause = exc.cause
        if isinstance(cause, ActivityError):  # the log refused the step's data (issue 15)
            cause = cause.cause
        if isinstance(cause, ApplicationError) and cause.type in _REFUSALS:
            message_id, _, message_en = str(cause.message).partition(" / ")
            raise _REFUSALS[cause.type](message_id, message_en or message_id) from exc
        raise
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            raise IllegalTransition(
                "Proses ini sudah selesai atau tidak aktif", "This workflow is closed or absent"
            ) from exc
        raise


async def query_transfer(temporal: Client, transfer_id: UUID) -> TransferState:
    """The workflow's own view: status, pending step, who acts, and the deadline."""
    handle = temporal.get_workflow_handle(transfer_workflow_id(transfer_id))
    try:
        state: TransferState = await handle.query("state", result_type=TransferState)
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            raise NotFound("Usulan mutasi tidak ditemukan", "Transfer not found") from exc
        raise Unavailable(
            "Proses mutasi sementara tidak dapat ditanyakan",
            "The transfer's workflow cannot be queried now",
        ) from exc
    return state


async def check_effective_date(
    db: asyncpg.Connection | asyncpg.Pool, tenant: str, tmt: date
) -> date:
    """Refuse (422) a TMT out of the government's bounds (mutasi.domain.effective_date);
    return the latest TMT a later revision may set."""
    config = await load_tenant_config(db, tenant)
    if config is None:
        raise NotFound("Instansi tidak ditemukan", "Government not found")
    problem = bounds(tmt, clock.today(config.iana_time_zone), config.max_effective_days)
    if problem is not None:
        raise InvalidInput(problem.message_id, problem.message_en, field="effective_date")
    return latest_revision(tmt, config.max_effective_days)
