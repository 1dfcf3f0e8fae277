"""What the proposal service does: load and check a proposal, hand it to the intake (or
only run the rules on it, for the proposer's preview)."""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

import asyncpg

from mutasi import lookups
from mutasi.auth.principal import Principal
from mutasi.domain.model import Employee, TransferKind, determine_kind
from mutasi.domain.rule_context import RuleReport
from mutasi.eligibility import rule_report
from mutasi.errors import Forbidden, InvalidInput, NotFound
from mutasi.lifecycle import TransferInput, transfer_workflow_id
from mutasi.planning.incentives import posting_incentives
from mutasi.transfers import check_effective_date
from mutasi.web.deps import caller_of
from services.proposal import intake
from services.proposal.schemas import Accepted, ProposalIn

_KEY_NS = uuid5(NAMESPACE_URL, "https://mutasi.go.id/idempotency")


def transfer_id_for(principal: Principal, idempotency_key: str | None) -> UUID:
    # The same key from the same caller names the same transfer, so a retry starts nothing new.
    if idempotency_key:
        return uuid5(_KEY_NS, f"{principal.tenant}/{principal.sub}/{idempotency_key}")
    return uuid4()


async def _employee(conn: asyncpg.Connection, tenant: str, nip: str) -> asyncpg.Record:
    row = await lookups.employee(conn, tenant, nip)
    if row is None:
        raise NotFound("Pegawai tidak ditemukan", "Employee not found")
    return row


async def target_unit_of(db: lookups.Db, tenant: str, position_code: str) -> str:
    """The unit of the target post, which must be the receiving government's."""
    unit = await lookups.post_unit(db, tenant, position_code)
    if unit is None:
        raise InvalidInput(
            "Jabatan tujuan tidak ditemukan",
            "Target position not found",
            field="target_position_code",
        )
    return unit


def _check_proposer(principal: Principal, employee: asyncpg.Record) -> bool:
    """Return whether this is a self-application; refuse proposers outside their reach."""
    if principal.roles == ["employee"] or (
        principal.has("employee") and not principal.has("supervisor", "hr_officer", "approver")
    ):
        if principal.nip != employee["nip"]:
            raise NotFound("Pegawai tidak ditemukan", "Employee not found")
        return True
    if principal.has("supervisor") and not principal.has("hr_officer", "approver"):
        if principal.unit != employee["unit_code"]:
            # As if unknown: a 403 here told that the NIP exists in another unit.
            raise NotFound("Pegawai tidak ditemukan", "Employee not found")
    return False


async def _kind(conn: asyncpg.Connection, origin: str, target: str) -> TransferKind:
    tenants = await lookups.tenants(conn, [origin, target])
    if origin not in tenants:
        raise NotFound(
            "Instansi asal tidak ditemukan",
            "Origin government not found",
            field="origin_tenant",
        )
    return determine_kind(tenants[origin], tenants[target])


def _check_inter_government(principal: Principal) -> None:
    # PP 11/2017 Pasal 191-193: the receiving government's PPK asks for the employee.
    if not principal.has("approver"):
        raise Forbidden(
            "Mutasi antarinstansi diusulkan oleh PPK instansi penerima",
            "A transfer between governments is proposed by the receiving government's approver",
        )


async def incentives_of(
    pool: asyncpg.Pool, transfer: asyncpg.Record, target_unit: str
) -> list[str]:
    """The incentives of a revised proposal's new post (none between governments)."""
    if transfer["tenant"] != transfer["target_tenant"]:
        return []
    employee = await lookups.employee(pool, transfer["tenant"], transfer["employee_nip"])
    home = Employee.model_validate(employee["data"]).home_city if employee else None
    return await posting_incentives(pool, transfer["target_tenant"], home, target_unit)


async def proposal_input(
    pool: asyncpg.Pool, principal: Principal, body: ProposalIn, transfer_id: UUID
) -> TransferInput:
    """The transfer this proposal would start, once the proposer and its parts are checked."""
    origin_tenant = body.origin_tenant or principal.tenant
    inter_government = origin_tenant != principal.tenant
    if inter_government:
        _check_inter_government(principal)
    async with pool.acquire() as conn:
        kind = await _kind(conn, origin_tenant, principal.tenant)
        employee = await _employee(conn, origin_tenant, body.employee_nip)
        target_unit = await target_unit_of(conn, principal.tenant, body.target_position_code)
        # After the look-ups: an unknown employee answers 404 whatever the TMT (issue 15).
        latest = await check_effective_date(conn, principal.tenant, body.effective_date)
        incentives: list[str] = []
        if not inter_government:  # the distance tells the domicile: not before consent
            home = Employee.model_validate(employee["data"]).home_city
            incentives = await posting_incentives(conn, principal.tenant, home, target_unit)
    self_application = False if inter_government else _check_proposer(principal, employee)
    return TransferInput(
        transfer_id=str(transfer_id),
        tenant=origin_tenant,
        target_tenant=principal.tenant,
        kind=kind.value,
        employee_nip=employee["nip"],
        employee_name=employee["name"],
        origin_position_code=employee["position_code"],
        origin_unit_code=employee["unit_code"],
        target_position_code=body.target_position_code,
        target_unit_code=target_unit,
        reasons=body.reasons,
        expectations=body.expectations,
        effective_date=body.effective_date.isoformat(),
        proposer=caller_of(principal),
        justification=body.justification,
        documents=list(body.documents),
        self_application=self_application,
        incentives=incentives,
        latest_effective_date=latest.isoformat(),
    )


async def propose(
    pool: asyncpg.Pool,
    principal: Principal,
    body: ProposalIn,
    idempotency_key: str | None,
) -> Accepted:
    transfer_id = transfer_id_for(principal, idempotency_key)
    data = await proposal_input(pool, principal, body, transfer_id)
    # 202 once committed; the intake's starter starts the workflow (services/proposal/intake.py).
    await intake.accept(pool, data)
    return Accepted(
        id=transfer_id, status="submitted", workflow_id=transfer_workflow_id(data.transfer_id)
    )


async def dry_run(
    pool: asyncpg.Pool, principal: Principal, body: ProposalIn
) -> tuple[TransferInput, RuleReport]:
    """What the check would say of this proposal now, with nothing recorded or started."""
    data = await proposal_input(pool, principal, body, uuid4())
    async with pool.acquire() as conn:
        return data, await rule_report(conn, data)
