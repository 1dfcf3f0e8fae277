"""What was true of a transfer when an event happened, read from the log itself.

Folding the transfer's stream up to the event (not reading today's read model) keeps a
redelivered or late event's text the same as it would have been on time: a notice of the
proposal never shows an SK number issued since. Payloads are read defensively: a key a newer
workflow adds or an older one lacks never breaks the fold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import asyncpg

from mutasi.domain.events import TransferEvent
from mutasi.lifecycle import BKN_TENANT, WITHIN_GOVERNMENT

_SUMMARY_EVENTS = (TransferEvent.SUBMITTED, TransferEvent.REVISED)
_SUMMARY_KEYS = (
    "employee_nip",
    "employee_name",
    "kind",
    "target_tenant",
    "origin_position_code",
    "origin_unit_code",
    "target_position_code",
    "target_unit_code",
    "reasons",
    "expectations",
    "effective_date",
)


@dataclass
class TransferFacts:
    transfer_id: str
    tenant: str  # the employee's (origin) government, whose log holds the stream
    proposer_sub: str = ""
    proposer_role: str = ""
    values: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str) -> Any:
        return self.values.get(key)

    @property
    def target_tenant(self) -> str:
        return str(self.values.get("target_tenant") or self.tenant)

    @property
    def inter_government(self) -> bool:
        return (self.values.get("kind") or WITHIN_GOVERNMENT) != WITHIN_GOVERNMENT

    @property
    def parties(self) -> list[str]:
        """Governments (and BKN) entitled to see this transfer."""
        tenants = {self.tenant, self.target_tenant}
        if self.inter_government:
            tenants.add(BKN_TENANT)
        return sorted(tenants)

    def apply(
        self, event_type: str, actor_id: str, actor_role: str, payload: dict[str, Any]
    ) -> None:
        if event_type == TransferEvent.SUBMITTED:
            self.proposer_sub, self.proposer_role = actor_id, actor_role
        if event_type in _SUMMARY_EVENTS:
            self.values |= {k: payload[k] for k in _SUMMARY_KEYS if payload.get(k) is not None}
        for key in ("decree_number", "effective_date", "incentives", "meeting_id"):
            if payload.get(key):
                self.values[key] = payload[key]
        if event_type == TransferEvent.DEFERRED:
            self.values.pop("meeting_id", None)


async def transfer_facts(
    conn: asyncpg.Connection, transfer_id: str, up_to_sequence: int | None
) -> TransferFacts | None:
    """The transfer as of `up_to_sequence` (inclusive); None if the log never heard of it."""
    rows = await conn.fetch(
        "SELECT tenant, event_type, actor_id, actor_role, payload FROM event_log"
        " WHERE stream = $1 AND ($2::bigint IS NULL OR sequence <= $2) ORDER BY version",
        f"transfer/{transfer_id}",
        up_to_sequence,
    )
    if not rows or rows[0]["event_type"] != TransferEvent.SUBMITTED:
        return None
    facts = TransferFacts(transfer_id, rows[0]["tenant"])
    for row in rows:
        payload = row["payload"] if isinstance(row["payload"], dict) else {}
        facts.apply(row["event_type"], row["actor_id"], row["actor_role"], payload)
    return facts


@dataclass
class Meeting:
    meeting_id: str
    tenant: str
    members: list[dict[str, Any]] = field(default_factory=list)
    when: str | None = None
    place: str | None = None


def _member(value: Any) -> dict[str, Any] | None:
    if isinstance(value, str) and value:
        return {"sub": value}
    if isinstance(value, dict) and (value.get("sub") or value.get("nip")):
        return value
    return None


def meeting_from_payload(meeting_id: str, tenant: str, payload: dict[str, Any]) -> Meeting:
    members = [m for m in (_member(v) for v in payload.get("members") or []) if m]
    when = (
        payload.get("meeting_at")
        or payload.get("scheduled_at")
        or payload.get("scheduled_on")
        or payload.get("date")
    )
    return Meeting(
        meeting_id,
        tenant,
        members,
        str(when) if when else None,
        payload.get("place") or payload.get("meeting_place"),
    )


async def meeting(conn: asyncpg.Connection, meeting_id: str | None) -> Meeting | None:
    """A meeting's members, time and place, as its first (scheduling) event recorded them."""
    if not meeting_id:
        return None
    row = await conn.fetchrow(
        "SELECT tenant, payload FROM event_log WHERE stream = $1 ORDER BY version LIMIT 1",
        f"meeting/{meeting_id}",
    )
    if row is None or not isinstance(row["payload"], dict):
        return None
    return meeting_from_payload(str(meeting_id), row["tenant"], row["payload"])
