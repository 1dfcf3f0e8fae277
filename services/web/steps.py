"""Which step forms a person sees on a transfer's page: only the ones they may take now.

The workflow's own answer (the pending step, its role and government, from /progress) says
what the transfer waits for; the policy table says whether this person's role may do it.
Withdrawal and revision follow the workflow's rules for the proposer, the employee and the
receiving government's BKPSDM. The API checks every step again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mutasi.domain.lifecycle import BEFORE_DECREE, Step, TransferStatus, may_take
from services.web.person import Person

# pending step -> (page slug, policy action, API service, API path suffix, outcomes)
DECISIONS: dict[str, tuple[str, str, str, str, tuple[tuple[str, str], ...]]] = {
    "verify": ("verifikasi", "transfer.verify", "approval", "verify",
               (("verified", "Verifikasi: berkas lengkap dan benar"),
                ("returned", "Kembalikan kepada pengusul"))),
    "consent": ("persetujuan-asal", "transfer.consent", "approval", "consent",
                (("given", "Setujui sebagai instansi asal"), ("refused", "Tolak"))),
    "pertek": ("pertek", "transfer.pertek", "approval", "pertek",
               (("given", "Berikan pertimbangan teknis"),
                ("returned", "Kembalikan (berkas belum lengkap)"), ("refused", "Tolak"))),
    "decide": ("keputusan", "transfer.decide", "approval", "decision",
               (("approved", "Setujui mutasi"), ("returned", "Kembalikan"),
                ("rejected", "Tolak"))),
}  # fmt: skip
BY_SLUG = {spec[0]: (step, *spec[1:]) for step, spec in DECISIONS.items()}


@dataclass(frozen=True)
class Forms:
    decision: str | None = None  # a key of DECISIONS
    place_on_agenda: bool = False
    revise: bool = False
    withdraw: bool = False
    cancel_decree: bool = False  # a cancelling decree, by the issuing government's BKPSDM

    @property
    def any(self) -> bool:
        return bool(
            self.decision
            or self.place_on_agenda
            or self.revise
            or self.withdraw
            or self.cancel_decree
        )


def proposer_of(timeline: dict[str, Any]) -> str | None:
    first = next(
        (e for e in timeline.get("items", []) if e["action"] == "transfer.submitted"), None
    )
    return first["actor_id"] if first else None


def forms_for(
    person: Person, transfer: dict[str, Any], progress: dict[str, Any], proposer: str | None
) -> Forms:
    step = progress.get("pending_step")
    mine = progress.get("pending_tenant") == person.tenant and (
        progress.get("pending_role") in person.roles
    )
    decision = None
    if step in DECISIONS and mine and person.can(DECISIONS[step][1]):
        decision = step
    receiving_hr = person.has("hr_officer") and person.tenant == transfer["target_tenant"]
    is_proposer = proposer is not None and proposer == person.sub
    is_employee = person.nip is not None and person.nip == transfer["employee_nip"]
    status = TransferStatus(transfer["status"])
    return Forms(
        decision=decision,
        place_on_agenda=step == "place_on_agenda" and mine and person.can("meeting.add_item"),
        revise=step == "revise" and (is_proposer or receiving_hr) and person.can("transfer.revise"),
        withdraw=status in BEFORE_DECREE
        and (is_proposer or is_employee or receiving_hr)
        and person.can("transfer.withdraw"),
        cancel_decree=receiving_hr
        and may_take(Step.CANCEL_DECREE, status, inter_government=False)
        and person.can("transfer.cancel_decree"),
    )
