"""The caller, as the token describes them; passed into workflows so Updates can check it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    EMPLOYEE = "employee"
    SUPERVISOR = "supervisor"
    HR_OFFICER = "hr_officer"
    PANEL_MEMBER = "panel_member"
    APPROVER = "approver"
    BKN_OFFICER = "bkn_officer"
    AUDITOR = "auditor"
    # The deployment's own people (issue 16), across every government: the national
    # administrator onboards governments; an operator watches the platform (dead letters).
    NATIONAL_ADMIN = "national_admin"
    OPERATOR = "operator"


# Roles that act across governments, whatever the token's `tenant` says.
NATIONAL_ROLES = frozenset({Role.NATIONAL_ADMIN, Role.OPERATOR})

# Roles that act for the whole government; a supervisor is bound to a unit, an employee to
# their own records (SPEC §7).
TENANT_WIDE_ROLES = frozenset(
    {Role.HR_OFFICER, Role.PANEL_MEMBER, Role.APPROVER, Role.AUDITOR, Role.BKN_OFFICER}
)


@dataclass(frozen=True)
class Principal:
    sub: str
    tenant: str
    roles: list[str] = field(default_factory=list)
    unit: str | None = None
    nip: str | None = None
    # The role that authorised the action of the request (mutasi.web.deps.require): what the
    # log records as the actor's role — a token may carry several (issue 15, finding 14).
    acting: str | None = None

    def has(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    @property
    def reach(self) -> str:
        """How far the caller sees: "tenant", "unit" (supervisor) or "self" (employee)."""
        if self.has(*TENANT_WIDE_ROLES):
            return "tenant"
        return "unit" if self.has(Role.SUPERVISOR) else "self"

    @property
    def is_national(self) -> bool:
        """Reaches every government (national administrator, operator)."""
        return self.has(*NATIONAL_ROLES)

    @property
    def main_role(self) -> str:
        return self.acting or (self.roles[0] if self.roles else "none")
