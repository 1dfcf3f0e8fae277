"""Payloads of `transfer.*` events: what the transfer workflow records at each step."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from mutasi.domain.lifecycle import TransferStatus
from mutasi.domain.payloads.base import Nip, Payload, Sha256

Kind = Literal["within_government", "between_governments_same_province", "between_provinces"]


class TransferSummary(Payload):
    """The proposal as a whole, as submitted or as revised."""

    employee_nip: Nip
    employee_name: str
    kind: Kind
    target_tenant: str = Field(description="Pemerintah penerima / the receiving government")
    origin_position_code: str | None
    origin_unit_code: str | None
    target_position_code: str
    target_unit_code: str
    reasons: str = Field(description="Alasan mutasi / why the move")
    expectations: str = Field(description="Harapan / what is expected of the employee")
    effective_date: date = Field(description="TMT, the day the transfer takes effect")
    justification: str | None = Field(description="Pembenaran tertulis for soft rules")
    documents: list[str] = Field(description="Codes of the documents the proposal declares")
    self_application: bool = Field(description="Atas permintaan sendiri: the employee applied")
    incentives: list[str] | None = Field(
        default=None, description="Insentif (tunjangan transport, rumah dinas) for a far posting"
    )


class TransferSubmitted(TransferSummary):
    """Payload of `transfer.submitted`."""


class TransferRevised(TransferSummary):
    """Payload of `transfer.revised`: the whole proposal after the revision."""


class RuleFinding(Payload):
    code: str = Field(description="R1–R10")
    severity: Literal["hard", "soft"]
    message: str = Field(description="Pesan / the finding in Indonesian")
    message_en: str


class RuleWarning(RuleFinding):
    justified: bool = Field(description="A written justification was given")


class RuleOutcome(RuleFinding):
    passed: bool = Field(description="The rule is met")


class TransferChecked(Payload):
    """Payload of `transfer.checked`: rules R1–R10 as the system checked them."""

    passed: bool = Field(description="No hard rule failed")
    failures: list[RuleFinding]
    warnings: list[RuleWarning] = Field(description="Soft rules that need a justification")
    match_score: int = Field(ge=0, le=100, description="Kesesuaian kompetensi (R5), 0–100")
    rules: list[RuleOutcome] = Field(
        default=[],
        description="Every rule R1–R10, met or not, with the fact that decided it (empty in"
        " checks recorded before 2026-11-30, which kept only failures and warnings)",
    )


class StepTaken(Payload):
    step: str = Field(description="The step that recorded it (verify, consent, pertek, decide…)")


class ReferencedStep(StepTaken):
    reference: str | None = Field(
        default=None, description="Nomor surat persetujuan or pertek, where the step has one"
    )


class TransferReturned(ReferencedStep):
    """Payload of `transfer.returned`: by the check (with its failures) or by a person."""

    failures: list[RuleFinding] = Field(default=[], description="The check's hard failures")


class TransferVerified(StepTaken):
    """Payload of `transfer.verified`."""


class TransferConsentGiven(ReferencedStep):
    """Payload of `transfer.consent_given` (the origin government's PPK)."""


class TransferPertekGiven(ReferencedStep):
    """Payload of `transfer.pertek_given` (BKN)."""


class TransferApproved(StepTaken):
    """Payload of `transfer.approved`."""


class TransferRejected(ReferencedStep):
    """Payload of `transfer.rejected`: by the PPK, the origin's PPK or BKN."""


class TransferPlacedOnAgenda(Payload):
    """Payload of `transfer.placed_on_agenda`."""

    meeting_id: str


class MeetingOutcome(Payload):
    meeting_id: str | None
    votes: dict[str, int] = Field(description="Votes per choice: recommend, not_recommend…")


class TransferRecommended(MeetingOutcome):
    """Payload of `transfer.recommended`."""


class TransferNotRecommended(MeetingOutcome):
    """Payload of `transfer.not_recommended` (ends the transfer)."""


class TransferDeferred(MeetingOutcome):
    """Payload of `transfer.deferred` (back to the next meeting's agenda)."""


class TransferWithdrawn(Payload):
    """Payload of `transfer.withdrawn`."""

    from_status: TransferStatus


class TransferDecreeIssued(Payload):
    """Payload of `transfer.decree_issued`."""

    decree_number: str
    document_sha256: Sha256
    effective_date: date
    issuing_tenant: str
    signed_by: str = Field(description="Jabatan penanda tangan / the signatory's title")


class TransferNotified(Payload):
    """Payload of `transfer.notified`."""

    decree_number: str
    effective_date: date


class TransferEffective(Payload):
    """Payload of `transfer.effective`: the move itself, applied to the employee's records."""

    employee_nip: Nip
    target_tenant: str
    origin_position_code: str | None
    origin_unit_code: str | None
    target_position_code: str
    target_unit_code: str
    effective_date: date


class TransferDecreeCancelled(Payload):
    """Payload of `transfer.decree_cancelled`: a cancelling decree annulled the decree before
    its TMT; the transfer ends and the employee stays where they are."""

    decree_number: str = Field(description="The decree annulled")
    cancelling_decree_number: str = Field(description="The cancelling decree (SK pembatalan)")
    issuing_tenant: str


class TransferCompleted(Payload):
    """Payload of `transfer.completed` (empty)."""


class Deadline(Payload):
    step: str = Field(
        description="The step awaited (or `appointment` after an inter-government SK)"
    )
    pending_role: str
    pending_tenant: str
    working_days: int = Field(ge=0)
    due_at: datetime
    escalated_to: str
    escalated_tenant: str


class TransferReminderSent(Deadline):
    """Payload of `transfer.reminder_sent`: the working day before the deadline."""


class TransferEscalated(Deadline):
    """Payload of `transfer.escalated`: the deadline passed."""
