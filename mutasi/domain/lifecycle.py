"""The transfer lifecycle in one place: statuses, steps, what each status waits for, and
which event each step records (SPEC §4).

Everything that needs to know a status reads it here: the workflow (its run loop and its
Update validators, through workflows/transfer/steps.py), the projections (STATUS_AFTER), the
rule check R8 (OPEN), attachments and withdrawal (BEFORE_DECREE), the policy table (Step) and
the notification facts. tests/unit/test_lifecycle_pairs.py enumerates every (status, step)
pair against this module.

Adding a status: add it to TransferStatus, to STATUS_AFTER for the event that leads to it, to
exactly one of the sets below, and to `_WAITS_FOR` if people act in it; the enumeration test
then names every pair to decide.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from mutasi.domain.events import TransferEvent

E = TransferEvent


class TransferStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHECKED = "checked"
    RETURNED = "returned"
    VERIFIED = "verified"
    ON_AGENDA = "on_agenda"
    RECOMMENDED = "recommended"
    CONSENTED = "consented"
    PERTEK_GIVEN = "pertek_given"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    DECREE_ISSUED = "decree_issued"
    NOTIFIED = "notified"
    EFFECTIVE = "effective"
    COMPLETED = "completed"
    CANCELLED = "cancelled"  # its decree was annulled by a cancelling decree before TMT


S = TransferStatus


class Step(StrEnum):
    """What people do to a transfer; each is a workflow Update of the same name."""

    REVISE = "revise"
    VERIFY = "verify"
    PLACE_ON_AGENDA = "place_on_agenda"
    MEETING_DECIDE = "meeting_decide"
    CONSENT = "consent"
    PERTEK = "pertek"
    DECIDE = "decide"
    WITHDRAW = "withdraw"
    CANCEL_DECREE = "cancel_decree"  # BKPSDM annuls a wrong decree before it takes effect


class Party(StrEnum):
    """Where the one who takes a step works."""

    ORIGIN = "origin"  # the employee's government (`tenant`)
    RECEIVING = "receiving"  # the government that proposes, decides and issues the decree
    BKN = "bkn"
    PROPOSER = "proposer"  # the proposer themself, in their own government


# Nothing more happens to these; the employee may be proposed again (R8).
FINISHED = frozenset({S.REJECTED, S.WITHDRAWN, S.COMPLETED, S.CANCELLED})
# Every other status is open: at most one open transfer per employee (R8).
OPEN = frozenset(S) - FINISHED
# Before the decree a proposal can still be withdrawn and documents added; once approved,
# the decree follows at once.
BEFORE_DECREE = frozenset(
    {S.SUBMITTED, S.CHECKED, S.RETURNED, S.VERIFIED, S.ON_AGENDA, S.RECOMMENDED}
    | {S.CONSENTED, S.PERTEK_GIVEN}
)
# From here on the system works alone: decree, notice, the wait for TMT, the move.
DECIDED = frozenset({S.APPROVED, S.DECREE_ISSUED, S.NOTIFIED, S.EFFECTIVE})
# A decree issued but not yet in effect can still be annulled by a cancelling decree.
DECREE_CANCELLABLE = frozenset({S.DECREE_ISSUED, S.NOTIFIED})
# Reached only by a transfer between governments (consent and pertek).
BETWEEN_GOVERNMENTS_ONLY = frozenset({S.CONSENTED, S.PERTEK_GIVEN})
# No person is awaited any more.
PEOPLE_DONE = FINISHED | DECIDED

OUTCOMES: dict[Step, tuple[str, ...]] = {
    Step.VERIFY: ("verified", "returned"),
    Step.CONSENT: ("given", "refused"),
    Step.PERTEK: ("given", "returned", "refused"),
    Step.DECIDE: ("approved", "rejected", "returned"),
    Step.MEETING_DECIDE: ("recommended", "not_recommended", "deferred"),
}
# Outcomes that need no reason; every other outcome must say why.
POSITIVE = frozenset({"verified", "given", "approved", "recommended"})

# The event each step's outcome records.
EVENT_OF: dict[tuple[Step, str], TransferEvent] = {
    (Step.VERIFY, "verified"): E.VERIFIED, (Step.VERIFY, "returned"): E.RETURNED,
    (Step.CONSENT, "given"): E.CONSENT_GIVEN, (Step.CONSENT, "refused"): E.REJECTED,
    (Step.PERTEK, "given"): E.PERTEK_GIVEN, (Step.PERTEK, "returned"): E.RETURNED,
    (Step.PERTEK, "refused"): E.REJECTED,
    (Step.DECIDE, "approved"): E.APPROVED, (Step.DECIDE, "rejected"): E.REJECTED,
    (Step.DECIDE, "returned"): E.RETURNED,
    (Step.MEETING_DECIDE, "recommended"): E.RECOMMENDED,
    (Step.MEETING_DECIDE, "not_recommended"): E.NOT_RECOMMENDED,
    (Step.MEETING_DECIDE, "deferred"): E.DEFERRED,
    (Step.PLACE_ON_AGENDA, ""): E.PLACED_ON_AGENDA,
    (Step.REVISE, ""): E.REVISED,
    (Step.WITHDRAW, ""): E.WITHDRAWN,
    (Step.CANCEL_DECREE, ""): E.DECREE_CANCELLED,
}  # fmt: skip

# The status a transfer is in after each event; events absent here leave it unchanged.
STATUS_AFTER: dict[str, TransferStatus] = {
    E.SUBMITTED: S.SUBMITTED,
    E.CHECKED: S.CHECKED,
    E.RETURNED: S.RETURNED,
    E.REVISED: S.SUBMITTED,
    E.VERIFIED: S.VERIFIED,
    E.PLACED_ON_AGENDA: S.ON_AGENDA,
    E.RECOMMENDED: S.RECOMMENDED,
    E.NOT_RECOMMENDED: S.REJECTED,
    E.DEFERRED: S.VERIFIED,
    E.CONSENT_GIVEN: S.CONSENTED,
    E.PERTEK_GIVEN: S.PERTEK_GIVEN,
    E.APPROVED: S.APPROVED,
    E.REJECTED: S.REJECTED,
    E.WITHDRAWN: S.WITHDRAWN,
    E.DECREE_ISSUED: S.DECREE_ISSUED,
    E.NOTIFIED: S.NOTIFIED,
    E.EFFECTIVE: S.EFFECTIVE,
    E.COMPLETED: S.COMPLETED,
    E.DECREE_CANCELLED: S.CANCELLED,
}

# In the words a BKPSDM officer uses (messages and pages never show the code names).
STATUS_LABELS: dict[TransferStatus, str] = {
    S.DRAFT: "draf",
    S.SUBMITTED: "diajukan",
    S.CHECKED: "sudah diperiksa sistem",
    S.RETURNED: "dikembalikan kepada pengusul",
    S.VERIFIED: "terverifikasi BKPSDM",
    S.ON_AGENDA: "dalam agenda rapat Tim Penilai Kinerja",
    S.RECOMMENDED: "direkomendasikan rapat",
    S.CONSENTED: "disetujui PPK instansi asal",
    S.PERTEK_GIVEN: "pertimbangan teknis BKN diberikan",
    S.APPROVED: "disetujui PPK",
    S.REJECTED: "ditolak",
    S.WITHDRAWN: "ditarik",
    S.DECREE_ISSUED: "SK diterbitkan",
    S.NOTIFIED: "SK disampaikan",
    S.EFFECTIVE: "berlaku (TMT)",
    S.COMPLETED: "selesai",
    S.CANCELLED: "SK dibatalkan",
}
STEP_LABELS: dict[Step, str] = {
    Step.REVISE: "perbaikan usulan",
    Step.VERIFY: "verifikasi",
    Step.PLACE_ON_AGENDA: "memasukkan ke agenda rapat",
    Step.MEETING_DECIDE: "keputusan rapat",
    Step.CONSENT: "persetujuan PPK instansi asal",
    Step.PERTEK: "pertimbangan teknis BKN",
    Step.DECIDE: "keputusan PPK",
    Step.WITHDRAW: "penarikan usulan",
    Step.CANCEL_DECREE: "pembatalan SK",
}

PERTEK_WORKING_DAYS = 15  # BKN answers a complete file within 15 working days (SPEC §3)


@dataclass(frozen=True)
class Pending:
    """The step a transfer waits for, who takes it, and who hears when it is late."""

    step: Step
    role: str | None  # None: the proposer, in whatever role they proposed
    party: Party
    working_days: int | None  # its deadline; None: the government's own service level
    escalate_to: str  # a role of the receiving government


# status -> (step, role, party, working days, escalated to); RECOMMENDED depends on the kind.
_WAITS_FOR: dict[TransferStatus, Pending] = {
    S.RETURNED: Pending(Step.REVISE, None, Party.PROPOSER, None, "hr_officer"),
    S.CHECKED: Pending(Step.VERIFY, "hr_officer", Party.RECEIVING, None, "approver"),
    S.VERIFIED: Pending(Step.PLACE_ON_AGENDA, "hr_officer", Party.RECEIVING, None, "approver"),
    S.ON_AGENDA: Pending(Step.MEETING_DECIDE, "panel_member", Party.RECEIVING, None, "approver"),
    S.CONSENTED: Pending(Step.PERTEK, "bkn_officer", Party.BKN, PERTEK_WORKING_DAYS, "hr_officer"),
    S.PERTEK_GIVEN: Pending(Step.DECIDE, "approver", Party.RECEIVING, None, "hr_officer"),
}
_CONSENT = Pending(Step.CONSENT, "approver", Party.ORIGIN, None, "hr_officer")
_DECIDE = Pending(Step.DECIDE, "approver", Party.RECEIVING, None, "hr_officer")


def pending_step(
    status: TransferStatus, *, inter_government: bool, unjustified: bool = False
) -> Pending | None:
    """The human step a transfer waits for in `status`, or None while the system works.

    `unjustified`: the check found soft rules broken with no written justification, so a
    checked proposal goes back to its proposer for one before BKPSDM can verify it.
    """
    if status is S.CHECKED and unjustified:
        return _WAITS_FOR[S.RETURNED]
    if status is S.RECOMMENDED:
        # Between governments the origin's PPK consents and BKN gives its pertek first.
        return _CONSENT if inter_government else _DECIDE
    if status in BETWEEN_GOVERNMENTS_ONLY and not inter_government:
        return None
    return _WAITS_FOR.get(status)


def may_take(
    step: Step, status: TransferStatus, *, inter_government: bool, unjustified: bool = False
) -> bool:
    """Whether `step` can be taken in `status` (by someone of the right role and party).

    Withdrawal is open until the decree, a cancelling decree from the decree until TMT; a
    revision also while checked (the proposer adds a justification a soft rule asks for);
    every other step only when it is the pending one.
    """
    if step is Step.WITHDRAW:
        return status in BEFORE_DECREE
    if step is Step.CANCEL_DECREE:
        return status in DECREE_CANCELLABLE
    if step is Step.REVISE:
        return status in (S.RETURNED, S.CHECKED)
    pending = pending_step(status, inter_government=inter_government, unjustified=unjustified)
    return pending is not None and pending.step is step


def status_after(step: Step, outcome: str = "") -> TransferStatus:
    """Where an accepted step leads (a revision: back to submitted, to be checked again)."""
    return STATUS_AFTER[EVENT_OF[(step, outcome)]]
