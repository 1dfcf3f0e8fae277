"""Who a group of recipients is, for one transfer event: addresses, governments, template kind.

Each group name in the fan-out table has one resolver here. A resolver returns nobody when
the person cannot be known (a vacant head-of-unit post, a role no one holds) rather than
failing: the others are still told.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import asyncpg

from mutasi.documents.notifications import RECIPIENT_KINDS
from mutasi.lifecycle import BKN_TENANT
from services.notification import addresses
from services.notification.facts import Meeting, TransferFacts, meeting


@dataclass(frozen=True)
class Recipient:
    address: str
    tenant: str  # the government whose inbox shows it (and whose contacts hold its e-mail)
    kind: str  # the template's recipient kind
    name: str | None = None


@dataclass
class Subject:
    """What the resolvers may look at: the event, and the transfer as of it."""

    event_type: str
    payload: dict[str, Any]
    facts: TransferFacts | None = None
    meeting: Meeting | None = None


Resolver = Callable[[asyncpg.Connection, Subject], Awaitable[list[Recipient]]]


async def employee(conn: asyncpg.Connection, s: Subject) -> list[Recipient]:
    nip = s.facts.get("employee_nip") if s.facts else None
    if not nip or not s.facts:
        return []
    # After an inter-government move the employee belongs to (and logs in to) the new one.
    tenant = await conn.fetchval(
        "SELECT tenant FROM employees WHERE nip = $1 ORDER BY tenant = $2 DESC LIMIT 1",
        nip,
        s.facts.tenant,
    )
    return [
        Recipient(
            addresses.for_nip(nip),
            tenant or s.facts.tenant,
            "employee",
            s.facts.get("employee_name"),
        )
    ]


async def proposer(conn: asyncpg.Connection, s: Subject) -> list[Recipient]:
    f = s.facts
    if not f or not f.proposer_sub or f.proposer_sub == "system":
        return []
    # Between governments the receiving government proposes; an employee applies at home.
    tenant = f.tenant if f.proposer_role == "employee" else f.target_tenant
    return [Recipient(addresses.for_subject(f.proposer_sub), tenant, "proposer")]


async def _unit_head(
    conn: asyncpg.Connection, tenant: str, unit: str | None, kind: str
) -> list[Recipient]:
    if not unit:
        return []
    rows = await conn.fetch(
        "SELECT e.nip, e.name FROM units u JOIN employees e ON e.tenant = u.tenant"
        " AND e.position_code = u.head_position_code WHERE u.tenant = $1 AND u.code = $2"
        " ORDER BY e.nip",
        tenant,
        unit,
    )
    return [Recipient(addresses.for_nip(r["nip"]), tenant, kind, r["name"]) for r in rows]


async def origin_unit_head(conn: asyncpg.Connection, s: Subject) -> list[Recipient]:
    if not s.facts:
        return []
    return await _unit_head(
        conn, s.facts.tenant, s.facts.get("origin_unit_code"), "origin_unit_head"
    )


async def target_unit_head(conn: asyncpg.Connection, s: Subject) -> list[Recipient]:
    if not s.facts:
        return []
    return await _unit_head(
        conn, s.facts.target_tenant, s.facts.get("target_unit_code"), "target_unit_head"
    )


def _role(tenant: str, role: str) -> list[Recipient]:
    kind = role if role in RECIPIENT_KINDS else "proposer"
    return [Recipient(addresses.for_role(tenant, role), tenant, kind)]


async def hr_officer(conn: asyncpg.Connection, s: Subject) -> list[Recipient]:
    # BKPSDM of the receiving government runs the process (mutasi.lifecycle).
    return _role(s.facts.target_tenant, "hr_officer") if s.facts else []


async def approver(conn: asyncpg.Connection, s: Subject) -> list[Recipient]:
    return _role(s.facts.target_tenant, "approver") if s.facts else []


async def deciding_approver(conn: asyncpg.Connection, s: Subject) -> list[Recipient]:
    """After the meeting: between governments the origin's PPK consents first."""
    if not s.facts:
        return []
    tenant = s.facts.tenant if s.facts.inter_government else s.facts.target_tenant
    return _role(tenant, "approver")


async def origin_hr_officer(conn: asyncpg.Connection, s: Subject) -> list[Recipient]:
    """Between governments, the employee's own government's BKPSDM: its employee leaves."""
    return _role(s.facts.tenant, "hr_officer") if s.facts and s.facts.inter_government else []


async def origin_approver(conn: asyncpg.Connection, s: Subject) -> list[Recipient]:
    return _role(s.facts.tenant, "approver") if s.facts and s.facts.inter_government else []


async def bkn_officer(conn: asyncpg.Connection, s: Subject) -> list[Recipient]:
    # BKN never sees a transfer within one government.
    return _role(BKN_TENANT, "bkn_officer") if s.facts and s.facts.inter_government else []


async def meeting_members(conn: asyncpg.Connection, s: Subject) -> list[Recipient]:
    found = s.meeting or await meeting(conn, s.facts.get("meeting_id") if s.facts else None)
    s.meeting = found
    if found is None or not found.members:
        tenant = found.tenant if found else (s.facts.target_tenant if s.facts else None)
        return _role(tenant, "panel_member") if tenant else []
    # Members are known by the subject they log in (and vote) with; the NIP is a fallback.
    return [
        Recipient(
            addresses.for_subject(str(m["sub"]))
            if m.get("sub")
            else addresses.for_nip(str(m["nip"])),
            found.tenant,
            "panel_member",
            m.get("name"),
        )
        for m in found.members
    ]


async def pending_actor(conn: asyncpg.Connection, s: Subject) -> list[Recipient]:
    """Whoever a reminder or an escalation says must act (payload: step, pending_role/tenant)."""
    p = s.payload
    if p.get("step") == "revise":
        return await proposer(conn, s)
    role, tenant = p.get("pending_role"), p.get("pending_tenant")
    if role == "panel_member":
        return await meeting_members(conn, s)
    if not role or not tenant:
        return await hr_officer(conn, s)
    return _role(str(tenant), str(role))


async def escalation_target(conn: asyncpg.Connection, s: Subject) -> list[Recipient]:
    p = s.payload
    role = p.get("escalated_to")
    tenant = p.get("escalated_tenant") or (s.facts.target_tenant if s.facts else None)
    if not tenant:
        return []
    if not role:  # nobody named: BKPSDM runs the process; its own delay goes to the PPK
        role = "approver" if p.get("pending_role") == "hr_officer" else "hr_officer"
    return _role(str(tenant), str(role))


RESOLVERS: dict[str, Resolver] = {
    "employee": employee, "proposer": proposer,
    "origin_unit_head": origin_unit_head, "target_unit_head": target_unit_head,
    "hr_officer": hr_officer, "approver": approver, "deciding_approver": deciding_approver,
    "bkn_officer": bkn_officer, "meeting_members": meeting_members,
    "pending_actor": pending_actor, "escalation_target": escalation_target,
    "origin_hr_officer": origin_hr_officer, "origin_approver": origin_approver,
}  # fmt: skip


async def resolve(
    conn: asyncpg.Connection, groups: tuple[str, ...], subject: Subject
) -> list[tuple[str, Recipient]]:
    """(group, recipient) in priority order; a person reached twice keeps the first group."""
    seen: set[str] = set()
    found: list[tuple[str, Recipient]] = []
    for group in groups:
        for recipient in await RESOLVERS[group](conn, subject):
            if recipient.address not in seen:
                seen.add(recipient.address)
                found.append((group, recipient))
    # A proposer reads their own desk's notices too (a PPK who proposed, BKPSDM itself):
    # when that desk is told, the personal copy would be the same notice twice.
    role = subject.facts.proposer_role if subject.facts else ""
    return [
        (group, r)
        for group, r in found
        if not (group == "proposer" and addresses.for_role(r.tenant, role) in seen)
    ]
