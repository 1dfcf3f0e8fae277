"""From one transfer event to the notifications of the people it concerns.

Each (event, recipient, channel) is unique in the database, so a redelivered event cannot
produce a second notification even if the processed-id record were lost.
"""

from __future__ import annotations

from typing import Any

import asyncpg

from mutasi.documents.notifications import render_notification
from mutasi.messaging.consumer import PoisonMessage

# Our event names -> the template names of mutasi.documents.notifications.
TEMPLATE_FOR = {
    "submitted": "submitted", "checked": "checked", "returned": "returned",
    "revised": "revised", "verified": "verified", "placed_on_agenda": "meeting_scheduled",
    "recommended": "meeting_decided", "not_recommended": "meeting_decided",
    "deferred": "meeting_decided", "consent_given": "consent_given",
    "pertek_given": "pertek_given", "approved": "approved", "rejected": "rejected",
    "withdrawn": "withdrawn", "decree_issued": "decree_issued", "notified": "notified",
    "effective": "effective", "completed": "completed", "reminder_sent": "reminder",
    "escalated": "escalated",
}

# Who hears of what. "employee" is the transfer's employee, "proposer" whoever proposed it.
RECIPIENTS: dict[str, tuple[str, ...]] = {
    "submitted": ("employee",),
    "returned": ("proposer",),
    "approved": ("employee", "proposer"),
    "rejected": ("employee", "proposer"),
    "not_recommended": ("employee", "proposer"),
    "withdrawn": ("employee", "proposer"),
    "notified": ("employee", "proposer"),
    "effective": ("employee",),
}


def _recipient_address(kind: str, transfer: asyncpg.Record) -> str:
    if kind == "employee":
        return f"nip:{transfer['employee_nip']}"
    return f"user:{transfer['proposer_id']}"


async def _context(conn: asyncpg.Connection, transfer: asyncpg.Record, event: dict[str, Any]
                   ) -> dict[str, Any]:
    names = await conn.fetch(
        "SELECT p.code, p.name AS position, u.name AS unit FROM positions p JOIN units u"
        " ON u.tenant = p.tenant AND u.code = p.unit_code"
        " WHERE (p.tenant, p.code) IN (($1, $2), ($3, $4))",
        transfer["tenant"], transfer["origin_position_code"], transfer["target_tenant"],
        transfer["target_position_code"])
    by_code = {r["code"]: r for r in names}
    origin = by_code.get(transfer["origin_position_code"])
    target = by_code.get(transfer["target_position_code"])
    submitted = await conn.fetchval(
        "SELECT payload FROM event_log WHERE stream = $1 AND version = 1",
        f"transfer/{transfer['id']}")
    data = event["data"]
    return {
        "employee_name": transfer["employee_name"], "nip": transfer["employee_nip"],
        "origin_position": origin["position"] if origin else None,
        "origin_unit": origin["unit"] if origin else None,
        "target_position": target["position"] if target else None,
        "target_unit": target["unit"] if target else None,
        "reasons": (submitted or {}).get("reasons"),
        "expectations": (submitted or {}).get("expectations"),
        "effective_date": transfer["effective_date"],
        "decree_number": transfer["decree_number"], "transfer_id": str(transfer["id"]),
        "reason": data.get("reason"), "actor_role": data.get("actor", {}).get("role"),
    }


async def notify(conn: asyncpg.Connection, event: dict[str, Any]) -> None:
    """Consumer handler: store the in-app notifications one event calls for."""
    aggregate, _, name = event["type"].removeprefix("id.go.mutasi.").partition(".")
    if not name:
        raise PoisonMessage(f"unknown event type {event['type']}")
    if aggregate != "transfer" or name not in RECIPIENTS:
        return
    transfer = await conn.fetchrow("SELECT * FROM transfers WHERE id = $1::uuid",
                                   event["subject"])
    if transfer is None:
        raise PoisonMessage(f"transfer {event['subject']} unknown")
    context = await _context(conn, transfer, event)
    for kind in RECIPIENTS[name]:
        message = render_notification(TEMPLATE_FOR[name], kind, context)
        await conn.execute(
            "INSERT INTO notifications (tenant, event_id, event_type, recipient, channel,"
            " subject, body, transfer_id) VALUES ($1, $2::uuid, $3, $4, 'in_app', $5, $6, $7)"
            " ON CONFLICT (event_id, recipient, channel) DO NOTHING",
            event["tenant"], event["id"], event["type"], _recipient_address(kind, transfer),
            message.subject, message.body_text, transfer["id"])
