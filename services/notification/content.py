"""The words of a notice: the template context of one event, and one recipient's deadline.

Names of posts, units and governments come from master data; everything about the transfer
from the log as of the event (facts.py); the deadline of whoever must act next from the
event's own due time or, failing that, the government's service level in working days.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg

from mutasi import disclosure
from mutasi.calendar import WIB, WorkingCalendar
from mutasi.domain.lifecycle import PERTEK_WORKING_DAYS
from mutasi.lifecycle import BKN_TENANT
from services.notification.facts import Meeting, TransferFacts

_CALENDAR = WorkingCalendar()
DEFAULT_SLA_WORKING_DAYS = 5


async def _post_names(conn: asyncpg.Connection, facts: TransferFacts) -> dict[str, Any]:
    rows = await conn.fetch(
        "SELECT k.side, p.name AS position, u.name AS unit"
        " FROM (VALUES ('origin', $1::text, $2::text, $3::text),"
        "              ('target', $4::text, $5::text, $6::text)) AS k(side, tenant, pos, unit)"
        " LEFT JOIN positions p ON p.tenant = k.tenant AND p.code = k.pos"
        " LEFT JOIN units u ON u.tenant = k.tenant AND u.code = k.unit",
        facts.tenant,
        facts.get("origin_position_code"),
        facts.get("origin_unit_code"),
        facts.target_tenant,
        facts.get("target_position_code"),
        facts.get("target_unit_code"),
    )
    names: dict[str, Any] = {}
    for row in rows:
        names[f"{row['side']}_position"] = row["position"]
        names[f"{row['side']}_unit"] = row["unit"]
    return names


def _data(event: dict[str, Any]) -> dict[str, Any]:
    data = event.get("data")
    return data if isinstance(data, dict) else {}


def payload_of(event: dict[str, Any]) -> dict[str, Any]:
    payload = _data(event).get("payload")
    return payload if isinstance(payload, dict) else {}


async def event_context(
    conn: asyncpg.Connection,
    event: dict[str, Any],
    facts: TransferFacts | None,
    meeting: Meeting | None,
) -> dict[str, Any]:
    """Everything every recipient of this event may be told (templates pick what they need)."""
    if facts and facts.inter_government:
        # The receiving side hears of a check as pass/fail per rule (mutasi.disclosure).
        event = disclosure.cloudevent(event)
    payload, data = payload_of(event), _data(event)
    actor = data.get("actor")
    actor = actor if isinstance(actor, dict) else {}
    home = facts.target_tenant if facts else str(event.get("tenant") or "")
    tenant = await conn.fetchrow("SELECT name, timezone FROM tenants WHERE slug = $1", home)
    context: dict[str, Any] = {
        "reason": data.get("reason"),
        "actor_role": actor.get("role"),
        "tenant_name": tenant["name"] if tenant else None,
        "timezone": tenant["timezone"] if tenant else WIB,
        "pending_role": payload.get("pending_role"),
        "cancelling_decree_number": payload.get("cancelling_decree_number"),
    }
    if facts:
        context |= await _post_names(conn, facts)
        context |= {
            "transfer_id": facts.transfer_id,
            "employee_name": facts.get("employee_name"),
            "nip": facts.get("employee_nip"),
            "reasons": facts.get("reasons"),
            "expectations": facts.get("expectations"),
            "incentives": facts.get("incentives"),
            "effective_date": facts.get("effective_date"),
            "decree_number": facts.get("decree_number"),
        }
    if meeting:
        context |= {"meeting_at": meeting.when, "meeting_place": meeting.place}
    return context


async def deadline_for(
    conn: asyncpg.Connection, event: dict[str, Any], tenant: str, from_payload: bool = True
) -> datetime | str | None:
    """When the recipient who must act next has to have acted."""
    payload = payload_of(event)
    named = payload.get("due_at") or payload.get("due_date")
    if named and from_payload:
        return str(named)
    try:
        start = datetime.fromisoformat(str(event.get("time")))
    except ValueError:
        return None
    if start.tzinfo is None:
        return None
    row = await conn.fetchrow(
        "SELECT sla_working_days, timezone FROM tenants WHERE slug = $1", tenant
    )
    days = PERTEK_WORKING_DAYS if tenant == BKN_TENANT else DEFAULT_SLA_WORKING_DAYS
    if row:
        days = row["sla_working_days"]
    return _CALENDAR.deadline_at(start, days, row["timezone"] if row else WIB)
