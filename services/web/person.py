"""The signed-in person as the pages see them: who, which government, what they may do.

`can(action)` reads the one policy table (mutasi.auth.policy), so a page shows a link or a
button only where the API would allow the action; the API still checks every call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from mutasi import clock
from mutasi.auth.policy import allowed
from services.web.labels import ROLE

# Where each role starts after sign-in (SPEC §10).
FIRST_PAGE = {
    "employee": "/pegawai",
    "panel_member": "/rapat",
    "auditor": "/audit",
}


@dataclass(frozen=True)
class Person:
    sub: str
    tenant: str
    roles: tuple[str, ...]
    name: str
    tenant_name: str
    unit: str | None = None
    unit_name: str | None = None
    nip: str | None = None
    zone: str = clock.WIB  # the government's time zone (the OIDC `zoneinfo` claim)

    @classmethod
    def of(cls, claims: dict[str, Any]) -> Person:
        return cls(
            sub=claims["sub"],
            tenant=claims["tenant"],
            roles=tuple(claims.get("roles") or ()),
            name=claims.get("name") or claims["sub"],
            tenant_name=claims.get("tenant_name") or claims["tenant"],
            unit=claims.get("unit"),
            unit_name=claims.get("unit_name"),
            nip=claims.get("nip"),
            zone=claims.get("zoneinfo") or clock.WIB,
        )

    def today(self) -> date:
        """Today where this person's government is: in Sorong (WIT) the date changes two
        hours before Jakarta's, and a form must not offer yesterday as the earliest TMT."""
        return clock.today(self.zone)

    def has(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    def can(self, action: str) -> bool:
        return allowed(action, list(self.roles))

    @property
    def role_label(self) -> str:
        return ", ".join(ROLE.get(r, r) for r in self.roles)

    @property
    def first_page(self) -> str:
        for role in self.roles:
            if role in FIRST_PAGE:
                return FIRST_PAGE[role]
        return "/tugas"

    @property
    def is_employee_only(self) -> bool:
        return set(self.roles) <= {"employee"}
