"""Event types of the log: past-tense facts (what each does to a transfer's status is in
mutasi.domain.lifecycle).

Stored as `<aggregate>.<fact>` (e.g. `transfer.approved`); published as the CloudEvents type
`id.go.mutasi.<aggregate>.<fact>` on the subject `mutasi.<tenant>.<aggregate>.<fact>`.
"""

from __future__ import annotations

from enum import StrEnum

CLOUDEVENTS_PREFIX = "id.go.mutasi."


class TransferEvent(StrEnum):
    SUBMITTED = "transfer.submitted"
    CHECKED = "transfer.checked"
    RETURNED = "transfer.returned"
    REVISED = "transfer.revised"
    VERIFIED = "transfer.verified"
    PLACED_ON_AGENDA = "transfer.placed_on_agenda"
    RECOMMENDED = "transfer.recommended"
    NOT_RECOMMENDED = "transfer.not_recommended"
    DEFERRED = "transfer.deferred"
    CONSENT_GIVEN = "transfer.consent_given"
    PERTEK_GIVEN = "transfer.pertek_given"
    APPROVED = "transfer.approved"
    REJECTED = "transfer.rejected"
    WITHDRAWN = "transfer.withdrawn"
    DECREE_ISSUED = "transfer.decree_issued"
    NOTIFIED = "transfer.notified"
    EFFECTIVE = "transfer.effective"
    COMPLETED = "transfer.completed"
    DECREE_CANCELLED = "transfer.decree_cancelled"
    REMINDER_SENT = "transfer.reminder_sent"
    ESCALATED = "transfer.escalated"


class MeetingEvent(StrEnum):
    SCHEDULED = "meeting.scheduled"
    AGENDA_ITEM_ADDED = "meeting.agenda_item_added"
    VOTE_CAST = "meeting.vote_cast"
    CLOSED = "meeting.closed"


class EmployeeEvent(StrEnum):
    REGISTERED = "employee.registered"
    UPDATED = "employee.updated"
    ASSESSED = "employee.assessed"  # an assessment-centre result: competency levels
    PERFORMANCE_RATED = "employee.performance_rated"  # the SKP predicate of one year


class AspirationEvent(StrEnum):
    RECORDED = "aspiration.recorded"  # on stream `employee/<nip>`: where they wish to go


class UnitEvent(StrEnum):
    LOCATED = "unit.located"  # on stream `unit/<tenant>/<code>`: its city and coordinates


class PlanningEvent(StrEnum):
    # On stream `planning/<tenant>`: the government's profile-matching settings.
    SETTINGS_CHANGED = "planning.settings_changed"


class PlanEvent(StrEnum):
    """A transfer plan (rencana mutasi), on stream `plan/<id>`."""

    DRAFTED = "plan.drafted"
    OPTIMISED = "plan.optimised"
    EDITED = "plan.edited"
    APPROVED = "plan.approved"
    LINE_PROPOSED = "plan.line_proposed"
    COMPLETED = "plan.completed"
    CANCELLED = "plan.cancelled"


class AuditEvent(StrEnum):
    CHECKPOINT = "audit.checkpoint"


class AttachmentEvent(StrEnum):
    # On stream `attachment/<transfer id>`: the transfer's own stream is its workflow's alone.
    ADDED = "attachment.added"


class MasterDataEvent(StrEnum):
    IMPORTED = "master_data.imported"  # one per import run, on stream `import/<run id>`


class TenantEvent(StrEnum):
    # On stream `tenant/<slug>` of that government's own chain; the payload is the whole
    # TenantConfiguration (mutasi.domain.tenant_config) after the fact.
    REGISTERED = "tenant.registered"
    CONFIGURED = "tenant.configured"


def cloudevents_type(event_type: str) -> str:
    return CLOUDEVENTS_PREFIX + event_type


ALL_EVENT_TYPES: tuple[str, ...] = tuple(
    e.value
    for group in (
        TransferEvent,
        MeetingEvent,
        EmployeeEvent,
        AuditEvent,
        AttachmentEvent,
        MasterDataEvent,
        TenantEvent,
        AspirationEvent,
        UnitEvent,
        PlanningEvent,
        PlanEvent,
    )
    for e in group
)
