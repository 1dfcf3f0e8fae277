"""Employees as the caller may see them (an employee sees only themself)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from mutasi.auth.principal import Principal
from mutasi.errors import NotFound
from mutasi.web.deps import Pool, require
from services.proposal.queries import master
from services.proposal.schemas import EmployeeOut

router = APIRouter(prefix="/employees", tags=["employees"])


@router.get("/{nip}", response_model=EmployeeOut, summary="Data pegawai / an employee")
async def read(
    nip: str, pool: Pool, principal: Annotated[Principal, Depends(require("employee.read"))]
) -> EmployeeOut:
    row = await master.employee(pool, principal.tenant, nip)
    only_self = not principal.has(
        "supervisor", "hr_officer", "panel_member", "approver", "auditor", "bkn_officer"
    )
    if row is None or (only_self and principal.nip != nip):
        raise NotFound("Pegawai tidak ditemukan", "Employee not found")
    return EmployeeOut(**dict(row))
