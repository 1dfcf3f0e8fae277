"""Recipient addresses: how a notification names who it is for, and which a caller answers to.

- `nip:<nip>` — one civil servant, by NIP (national, so it follows them between governments);
- `user:<sub>` — one account without a NIP, by its token subject;
- `role:<tenant>:<role>` — everyone holding the role in that government (e.g. BKPSDM's desk).

A token whose subject is already `nip:<nip>` (the demo cast's convention) is the same person as
`nip:<nip>`, so one person is never addressed twice for one event.
"""

from __future__ import annotations

import re

from mutasi.auth.principal import Principal, Role

_NIP = re.compile(r"^\d{18}$")
_ADDRESS = re.compile(r"^(nip:\d{18}|user:[^\s]{1,200}|role:[a-z0-9-]{1,64}:[a-z_]{1,32})$")
ROLES = frozenset(r.value for r in Role)


def for_nip(nip: str) -> str:
    return f"nip:{nip}"


def for_subject(sub: str) -> str:
    """The address of a token subject: its NIP form when the subject is one."""
    if sub.startswith("nip:") and _NIP.match(sub[4:]):
        return sub
    if _NIP.match(sub):
        return for_nip(sub)
    return f"user:{sub}"


def for_role(tenant: str, role: str) -> str:
    return f"role:{tenant}:{role}"


def is_valid(address: str) -> bool:
    if not _ADDRESS.match(address):
        return False
    return not address.startswith("role:") or address.rsplit(":", 1)[1] in ROLES


def role_tenant(address: str) -> str | None:
    return address.split(":")[1] if address.startswith("role:") else None


def personal(principal: Principal) -> str:
    """The one address a caller's own preferences are kept under."""
    return for_nip(principal.nip) if principal.nip else for_subject(principal.sub)


def of_principal(principal: Principal) -> list[str]:
    """Every address whose notices this caller may read."""
    addresses = {for_subject(principal.sub), f"user:{principal.sub}"}
    if principal.nip:
        addresses.add(for_nip(principal.nip))
    addresses |= {for_role(principal.tenant, role) for role in principal.roles}
    return sorted(addresses)


def reader(principal: Principal) -> str:
    """Who marked a notice read: role notices are shared, read marks are per person."""
    return personal(principal)
