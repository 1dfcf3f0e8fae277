"""From one event to the notices of everyone it concerns, on every channel they want.

The table FANOUT says, per event type, which groups of people hear of it (in priority order:
a person reached through two groups gets the first group's text, once) and which of them must
act next (they are told by when). Adding an event is one line here, and a template in
mutasi/documents/templates/events/ if none of the existing ones fits. A domain event with no
line here (employee.*, attachment.added, master_data.imported, …) tells no one and is simply
acknowledged; only a type the domain never defined is poison. Every event, noticed or not,
also goes to the webhook subscriptions whose filter matches it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import asyncpg

from mutasi.documents.notifications import render_notification
from mutasi.domain.events import ALL_EVENT_TYPES, CLOUDEVENTS_PREFIX
from mutasi.messaging.consumer import PoisonMessage
from mutasi.settings import Settings
from services.notification import content, records, webhooks
from services.notification.facts import meeting_from_payload, transfer_facts
from services.notification.recipients import Recipient, Subject, resolve


@dataclass(frozen=True)
class Notice:
    recipients: tuple[str, ...]  # groups, resolved by recipients.RESOLVERS
    acts: tuple[str, ...] = ()  # the groups that must act next: they get a deadline
    template: str | None = None  # default: the event's own name
    # The event's own due time is the deadline (a reminder's); False: a fresh service level
    # from the event on (an escalation hands the step to someone new).
    due_from_payload: bool = True
    when: Callable[[dict[str, Any]], bool] | None = None  # on the payload


def _passed(payload: dict[str, Any]) -> bool:
    return payload.get("passed") is not False  # a failed check is told by `returned`


# Between governments the employee's own government (its BKPSDM and PPK) hears of the decision
# and of the day its employee leaves, as the receiving one does (empty within a government).
ORIGIN = ("origin_hr_officer", "origin_approver")
FANOUT: dict[str, Notice] = {
    "transfer.submitted": Notice(("proposer", "employee", "hr_officer")),
    "transfer.checked": Notice(("hr_officer",), acts=("hr_officer",), when=_passed),
    "transfer.returned": Notice(("proposer", "employee"), acts=("proposer",)),
    "transfer.revised": Notice(("hr_officer",)),
    "transfer.verified": Notice(("employee", "proposer")),
    "transfer.placed_on_agenda": Notice(("meeting_members", "employee", "proposer")),
    "transfer.recommended": Notice(("deciding_approver", "employee", "proposer"),
                                   acts=("deciding_approver",)),
    "transfer.not_recommended": Notice(("employee", "proposer", "hr_officer")),
    "transfer.deferred": Notice(("employee", "proposer")),
    "transfer.consent_given": Notice(("bkn_officer", "proposer", "hr_officer"),
                                     acts=("bkn_officer",)),
    "transfer.pertek_given": Notice(("approver", "proposer", "hr_officer"), acts=("approver",)),
    "transfer.approved": Notice(("employee", "proposer", *ORIGIN)),
    "transfer.rejected": Notice(("employee", "proposer", "hr_officer", *ORIGIN)),
    "transfer.withdrawn": Notice(("employee", "proposer", "hr_officer")),
    "transfer.decree_issued": Notice(("employee", "origin_unit_head", "target_unit_head",
                                      "hr_officer", *ORIGIN)),
    "transfer.notified": Notice(("proposer",)),
    "transfer.effective": Notice(("employee", "origin_unit_head", "target_unit_head", *ORIGIN)),
    "transfer.completed": Notice(("hr_officer", "bkn_officer", *ORIGIN)),
    "transfer.decree_cancelled": Notice(("employee", "origin_unit_head", "target_unit_head",
                                         "proposer", "hr_officer", *ORIGIN)),
    "transfer.reminder_sent": Notice(("pending_actor",), acts=("pending_actor",)),
    "transfer.escalated": Notice(("escalation_target", "pending_actor"),
                                 acts=("escalation_target",), due_from_payload=False),
    "meeting.scheduled": Notice(("meeting_members",), template="meeting_scheduled"),
}  # fmt: skip

KNOWN_EVENT_TYPES = frozenset(ALL_EVENT_TYPES) | frozenset(FANOUT)


def event_type_of(event: dict[str, Any]) -> str:
    """`transfer.approved` from the CloudEvents type; a type we never defined is poison."""
    name = str(event.get("type", ""))
    event_type = name.removeprefix(CLOUDEVENTS_PREFIX)
    if event_type == name or event_type not in KNOWN_EVENT_TYPES:
        raise PoisonMessage(f"unknown event type {name!r}")
    return event_type


async def _subject(conn: asyncpg.Connection, event: dict[str, Any], event_type: str) -> Subject:
    subject = Subject(event_type, content.payload_of(event))
    aggregate = event_type.split(".", 1)[0]
    ident = event.get("subject")
    if aggregate == "transfer":
        sequence = event.get("sequence")
        subject.facts = await transfer_facts(
            conn, str(ident), sequence if isinstance(sequence, int) else None
        )
        if subject.facts is None:
            raise PoisonMessage(f"transfer {ident!r} is not in the log")
    elif aggregate == "meeting" and ident:
        subject.meeting = meeting_from_payload(str(ident), str(event["tenant"]), subject.payload)
    return subject


class Fanout:
    """The consumer's handler: runs inside the transaction that marks the event processed."""

    def __init__(self, settings: Settings) -> None:
        self.max_attempts = settings.delivery_max_attempts
        self.web_url = settings.web_url  # each notice links to its case in the web application

    async def __call__(self, conn: asyncpg.Connection, event: dict[str, Any]) -> None:
        event_type = event_type_of(event)
        subject = await _subject(conn, event, event_type)
        notice = FANOUT.get(event_type)
        queued = 0
        if notice and (notice.when is None or notice.when(subject.payload)):
            queued += await self._notify(conn, event, event_type, notice, subject)
        parties = subject.facts.parties if subject.facts else [str(event["tenant"])]
        queued += await webhooks.enqueue(conn, event, event_type, parties, self.max_attempts)
        if queued:
            await records.wake_delivery(conn)

    async def _notify(
        self,
        conn: asyncpg.Connection,
        event: dict[str, Any],
        event_type: str,
        notice: Notice,
        subject: Subject,
    ) -> int:
        reached = await resolve(conn, notice.recipients, subject)
        if not reached:
            return 0
        context = await content.event_context(conn, event, subject.facts, subject.meeting)
        if context.get("transfer_id"):
            # The case's page; sign-in, if needed, comes back to it (services/web).
            context["url"] = f"{self.web_url}/usulan/{context['transfer_id']}"
        wanted = await records.preferences(conn, [(r.tenant, r.address) for _, r in reached])
        template = notice.template or event_type.split(".", 1)[1]
        queued = 0
        for group, recipient in reached:
            personal: dict[str, Any] = {
                "recipient_name": recipient.name if recipient.kind != "employee" else None
            }
            if group in notice.acts:
                personal["due_date"] = await content.deadline_for(
                    conn, event, recipient.tenant, notice.due_from_payload
                )
            message = render_notification(template, recipient.kind, context | personal)
            row = records.Row(
                recipient.tenant,
                str(event["id"]),
                event_type,
                recipient.address,
                recipient.kind,
                subject.facts.transfer_id if subject.facts else None,
            )
            queued += await self._store(
                conn,
                row,
                message,
                wanted.get((recipient.tenant, recipient.address), records.Preference()),
            )
        return queued

    async def _store(
        self,
        conn: asyncpg.Connection,
        row: records.Row,
        message: Any,
        preference: records.Preference,
    ) -> int:
        if preference.in_app:
            await records.insert_notification(conn, row, "in_app", message)
        if not (preference.email_enabled and preference.email):
            return 0
        notification_id = await records.insert_notification(conn, row, "email", message)
        if notification_id is None:
            return 0
        await records.queue_email(conn, row, notification_id, preference.email, self.max_attempts)
        return 1


__all__ = ["FANOUT", "Fanout", "Notice", "Recipient", "event_type_of"]
