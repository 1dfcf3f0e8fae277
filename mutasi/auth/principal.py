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


@dataclass(frozen=True)
class Principal:
    sub: str
    tenant: str
    roles: list[str] = field(default_factory=list)
    unit: str | None = None
    nip: str | None = None

    def has(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    @property
    def main_role(self) -> str:
        return self.roles[0] if self.roles else "none"
