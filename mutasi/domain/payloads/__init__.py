"""One typed, versioned payload model per event type; the log validates every append with it.

`EVENTS` below is the registry: event type -> (model, one-line summary). `validate_payload`
is what `mutasi.log.store.append` calls for each new entry: an unknown type or a payload
that does not fit its model is refused before anything is written. docs/asyncapi.yaml is
generated from this registry (`mutasi asyncapi`, module mutasi.messaging.asyncapi), and
tests/unit/test_asyncapi_generated.py fails when the committed file differs.

Adding an event type:
1. its name in mutasi/domain/events.py (a member of the aggregate's enum, e.g. `PlanEvent`;
   a new aggregate also goes into ALL_EVENT_TYPES there and, for its channel's title, into
   `CHANNELS` in mutasi/messaging/asyncapi.py);
2. its payload model (a frozen `Payload` subclass, in the module of its aggregate here or in
   the domain module that owns the concept) and one line in `EVENTS`;
3. `.venv/bin/mutasi asyncapi` to regenerate docs/asyncapi.yaml; commit both.

Versioning: stored entries are never rewritten (the hash chain covers them). A model may gain
optional fields freely. A change an old reader could not take (a renamed or retyped field, a
new required one) is a new model with `VERSION = 2` under the same event type, and readers
of the log convert older payloads forward where they read them (an upcaster), never in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from mutasi.domain.events import (
    AspirationEvent,
    AttachmentEvent,
    AuditEvent,
    EmployeeEvent,
    MasterDataEvent,
    MeetingEvent,
    PlanEvent,
    PlanningEvent,
    TenantEvent,
    TransferEvent,
    UnitEvent,
)
from mutasi.domain.payloads import meeting, planning, records, transfer
from mutasi.domain.payloads.base import Payload
from mutasi.domain.tenant_config import TenantConfigured, TenantRegistered

__all__ = ["EVENTS", "EventSpec", "InvalidPayload", "Payload", "validate_payload"]


@dataclass(frozen=True)
class EventSpec:
    model: type[BaseModel]  # Payload, or a domain model that is its own payload
    summary: str  # Indonesian / English, for the AsyncAPI message


T, M = TransferEvent, MeetingEvent
EVENTS: dict[str, EventSpec] = {
    T.SUBMITTED: EventSpec(
        transfer.TransferSubmitted, "Usulan diajukan / a transfer was proposed."
    ),
    T.CHECKED: EventSpec(transfer.TransferChecked, "Diperiksa terhadap R1–R10 / rules checked."),
    T.RETURNED: EventSpec(
        transfer.TransferReturned, "Dikembalikan kepada pengusul / returned to the proposer."
    ),
    T.REVISED: EventSpec(transfer.TransferRevised, "Diperbaiki / revised by the proposer."),
    T.VERIFIED: EventSpec(transfer.TransferVerified, "Diverifikasi BKPSDM / verified."),
    T.PLACED_ON_AGENDA: EventSpec(
        transfer.TransferPlacedOnAgenda, "Masuk agenda rapat / placed on a meeting's agenda."
    ),
    T.RECOMMENDED: EventSpec(
        transfer.TransferRecommended, "Direkomendasikan rapat / recommended by the meeting."
    ),
    T.NOT_RECOMMENDED: EventSpec(
        transfer.TransferNotRecommended,
        "Tidak direkomendasikan / not recommended by the meeting (ends the transfer).",
    ),
    T.DEFERRED: EventSpec(transfer.TransferDeferred, "Ditunda oleh rapat / deferred."),
    T.CONSENT_GIVEN: EventSpec(
        transfer.TransferConsentGiven,
        "Persetujuan PPK instansi asal / the origin government consented.",
    ),
    T.PERTEK_GIVEN: EventSpec(
        transfer.TransferPertekGiven,
        "Pertimbangan teknis BKN diberikan / BKN's technical consideration given.",
    ),
    T.APPROVED: EventSpec(transfer.TransferApproved, "Disetujui PPK / approved."),
    T.REJECTED: EventSpec(transfer.TransferRejected, "Ditolak / rejected."),
    T.WITHDRAWN: EventSpec(
        transfer.TransferWithdrawn, "Ditarik kembali / withdrawn by the proposer or employee."
    ),
    T.DECREE_ISSUED: EventSpec(
        transfer.TransferDecreeIssued, "SK diterbitkan / the decree was issued."
    ),
    T.NOTIFIED: EventSpec(
        transfer.TransferNotified, "Pihak terkait diberi tahu / everyone affected was notified."
    ),
    T.EFFECTIVE: EventSpec(transfer.TransferEffective, "Berlaku (TMT) / the transfer took effect."),
    T.COMPLETED: EventSpec(transfer.TransferCompleted, "Selesai / completed."),
    T.DECREE_CANCELLED: EventSpec(
        transfer.TransferDecreeCancelled,
        "SK dibatalkan dengan SK pembatalan / the decree was annulled before TMT.",
    ),
    T.REMINDER_SENT: EventSpec(
        transfer.TransferReminderSent, "Pengingat tenggat / a deadline reminder."
    ),
    T.ESCALATED: EventSpec(
        transfer.TransferEscalated, "Tenggat lewat, dieskalasi / the deadline passed."
    ),
    M.SCHEDULED: EventSpec(meeting.MeetingScheduled, "Rapat dijadwalkan / a meeting scheduled."),
    M.AGENDA_ITEM_ADDED: EventSpec(
        meeting.MeetingAgendaItemAdded, "Usulan masuk agenda / an agenda item added."
    ),
    M.VOTE_CAST: EventSpec(meeting.MeetingVoteCast, "Suara diberikan / a member voted."),
    M.CLOSED: EventSpec(
        meeting.MeetingClosed, "Rapat ditutup, berita acara / closed, with its minutes."
    ),
    EmployeeEvent.REGISTERED: EventSpec(
        records.EmployeeRegistered, "Pegawai didaftarkan / an employee registered."
    ),
    EmployeeEvent.UPDATED: EventSpec(
        records.EmployeeUpdated, "Data pegawai diperbarui / an employee's record changed."
    ),
    EmployeeEvent.ASSESSED: EventSpec(
        planning.EmployeeAssessed,
        "Hasil penilaian kompetensi tercatat / an assessment-centre result was recorded.",
    ),
    EmployeeEvent.PERFORMANCE_RATED: EventSpec(
        planning.EmployeePerformanceRated,
        "Predikat SKP satu tahun tercatat / a year's SKP predicate was recorded.",
    ),
    AuditEvent.CHECKPOINT: EventSpec(
        records.AuditCheckpoint, "Checkpoint bertanda tangan / a signed chain checkpoint."
    ),
    AttachmentEvent.ADDED: EventSpec(
        records.AttachmentAdded, "Lampiran ditambahkan / a document attached to a transfer."
    ),
    MasterDataEvent.IMPORTED: EventSpec(
        records.MasterDataImported, "Impor data induk / a master data import run."
    ),
    AspirationEvent.RECORDED: EventSpec(
        planning.AspirationRecorded, "Aspirasi pegawai dicatat / an employee's wishes recorded."
    ),
    UnitEvent.LOCATED: EventSpec(
        planning.UnitLocated, "Lokasi unit kerja dicatat / where a unit's office is."
    ),
    PlanningEvent.SETTINGS_CHANGED: EventSpec(
        planning.PlanningSettingsChanged,
        "Pengaturan profile matching diubah / the profile-matching settings changed.",
    ),
    PlanEvent.DRAFTED: EventSpec(
        planning.PlanDrafted, "Rencana mutasi disusun / a transfer plan was drafted."
    ),
    PlanEvent.EDITED: EventSpec(planning.PlanEdited, "Rencana diubah / the plan was edited."),
    PlanEvent.OPTIMISED: EventSpec(
        planning.PlanOptimised,
        "Rencana dioptimalkan, dibandingkan dengan cara greedy / optimised, beside greedy.",
    ),
    PlanEvent.APPROVED: EventSpec(
        planning.PlanApproved, "Rencana disetujui BKPSDM / the plan was approved."
    ),
    PlanEvent.LINE_PROPOSED: EventSpec(
        planning.PlanLineProposed,
        "Baris rencana menjadi usulan mutasi / a line became a proposal.",
    ),
    PlanEvent.COMPLETED: EventSpec(
        planning.PlanCompleted, "Semua usulan rencana selesai / every line has finished."
    ),
    PlanEvent.CANCELLED: EventSpec(
        planning.PlanCancelled, "Rencana dibatalkan / the plan was cancelled."
    ),
    TenantEvent.REGISTERED: EventSpec(
        TenantRegistered, "Pemerintah daerah bergabung / a government joined."
    ),
    TenantEvent.CONFIGURED: EventSpec(
        TenantConfigured, "Konfigurasi diubah / a government's configuration changed."
    ),
}


class InvalidPayload(ValueError):
    """An event of a type the domain does not know, or a payload that does not fit its model."""


def validate_payload(event_type: str, payload: dict[str, Any]) -> None:
    """Refuse a payload that its event type's model does not accept, unknown keys included."""
    spec = EVENTS.get(event_type)
    if spec is None:
        raise InvalidPayload(f"unknown event type {event_type!r}")
    try:
        spec.model.model_validate(payload)
    except ValidationError as exc:
        raise InvalidPayload(f"{event_type}: {exc}") from exc
