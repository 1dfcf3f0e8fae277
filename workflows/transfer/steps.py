"""What a transfer waits for in each status, who may take that step, and why one is refused.

Pure and deterministic: the workflow calls it from its run loop and its Update validators.
A refusal is a non-retryable ApplicationError whose type the services map to problem+json
(mutasi.transfers), with the message in Indonesian and English: "<id> / <en>".
"""

from __future__ import annotations

from dataclasses import dataclass

from temporalio.exceptions import ApplicationError

from mutasi.auth.policy import acting_role
from mutasi.domain import lifecycle
from mutasi.domain.lifecycle import (
    EVENT_OF,
    OUTCOMES,
    POSITIVE,
    STATUS_LABELS,
    STEP_LABELS,
    Party,
    Step,
    TransferStatus,
    may_take,
)
from mutasi.lifecycle import BKN_TENANT, WITHIN_GOVERNMENT, Caller, TransferInput
from workflows.common.refusals import check_role, refuse

S = TransferStatus
APPOINTMENT_WORKING_DAYS = 30  # after an inter-government decree, the post is filled within 30
ROLE_NAMES = {
    "hr_officer": "BKPSDM",
    "approver": "PPK",
    "panel_member": "Tim Penilai Kinerja",
    "bkn_officer": "BKN",
    "supervisor": "atasan langsung",
    "employee": "pegawai",
}
# The event of each (update, outcome): the lifecycle's table, keyed by the Update's name.
EVENT_FOR = {(str(step), outcome): event for (step, outcome), event in EVENT_OF.items()}
# The Updates each event records (a returned transfer: verify, pertek or decide).
UPDATES_OF: dict[str, frozenset[str]] = {
    str(event): frozenset(u for (u, _), e in EVENT_FOR.items() if e == event)
    for event in set(EVENT_FOR.values())
}


def proposing_role(caller: Caller) -> str:
    """The role in which the proposer proposed (a token may carry several)."""
    return acting_role(caller.roles, ["transfer.propose"])


@dataclass(frozen=True)
class PendingStep:
    name: str  # the Update that moves the transfer on
    role: str  # who is expected to take it
    tenant: str  # in which government (or BKN)
    working_days: int | None  # its deadline; None: the tenant's SLA
    escalate_to: str  # who hears when the deadline passes
    escalate_tenant: str


def is_inter_government(t: TransferInput) -> bool:
    return t.kind != WITHIN_GOVERNMENT


def pending_step(t: TransferInput, status: TransferStatus, unjustified: bool) -> PendingStep | None:
    """The human step the transfer waits for in `status`, or None while the system works."""
    waits = lifecycle.pending_step(
        status, inter_government=is_inter_government(t), unjustified=unjustified
    )
    if waits is None:
        return None
    tenant = {
        Party.ORIGIN: t.tenant,
        Party.RECEIVING: t.target_tenant,
        Party.BKN: BKN_TENANT,
        Party.PROPOSER: t.proposer.tenant,
    }[waits.party]
    role = waits.role or proposing_role(t.proposer)
    return PendingStep(
        str(waits.step), role, tenant, waits.working_days, waits.escalate_to, t.target_tenant
    )


def check_party(t: TransferInput, caller: Caller) -> None:
    """Another government's people do not learn that the transfer exists."""
    parties = {t.tenant, t.target_tenant}
    if is_inter_government(t):
        parties.add(BKN_TENANT)
    if caller.tenant not in parties:
        raise refuse("Usulan mutasi tidak ditemukan", "Transfer not found", "not-found")


def check_step(
    update: str,
    caller: Caller,
    t: TransferInput,
    status: TransferStatus,
    pending: PendingStep | None,
    busy: bool = False,
) -> None:
    """The caller may take `update` now: a party, the right role, status and government.

    `busy`: the workflow is recording a change right now, so its status is about to move;
    only what cannot change is checked here, the rest again once the change is recorded.
    """
    check_party(t, caller)
    check_role(update, caller)
    if busy:
        return
    if pending is None or pending.name != update:
        if (
            update == "verify"
            and pending is not None
            and pending.name == "revise"
            and status is S.CHECKED
        ):
            raise refuse(
                "Pembenaran tertulis wajib diisi sebelum verifikasi",
                "A written justification is required before verification",
                "justification-required",
            )
        raise not_now(update, status)
    if caller.tenant != pending.tenant:
        who = ROLE_NAMES.get(pending.role, pending.role)
        raise refuse(
            f"Langkah ini hanya dapat dilakukan oleh {who}{_of(t, pending.tenant)}",
            f"Only the {pending.role} of {pending.tenant} may take this step",
            "forbidden",
        )


def _of(t: TransferInput, tenant: str) -> str:
    """ " instansi asal" / " instansi penerima" where it tells apart, else nothing."""
    if tenant == BKN_TENANT or not is_inter_government(t):
        return ""
    return " instansi asal" if tenant == t.tenant else " instansi penerima"


def not_now(update: str, status: TransferStatus) -> ApplicationError:
    step = STEP_LABELS[Step(update)]
    return refuse(
        f"Langkah {step} tidak dapat dilakukan karena usulan berstatus {STATUS_LABELS[status]}",
        f"Step '{update}' is not allowed in status '{status}'",
    )


def check_outcome(update: str, outcome: str, reason: str | None) -> None:
    if outcome not in OUTCOMES[update]:
        choices = ", ".join(OUTCOMES[update])
        raise refuse(
            f"Hasil '{outcome}' tidak dikenal; pilihan: {choices}",
            f"Unknown outcome '{outcome}'; one of {choices}",
            "invalid-input",
        )
    if outcome not in POSITIVE:
        need_reason(reason)


def need_reason(reason: str | None) -> None:
    if not reason or not reason.strip():
        raise refuse("Alasan wajib diisi", "A reason is required", "invalid-input")


def check_withdraw(
    t: TransferInput, caller: Caller, status: TransferStatus, reason: str | None, busy: bool = False
) -> None:
    check_party(t, caller)
    check_role("withdraw", caller)
    if not busy and not may_take(Step.WITHDRAW, status, inter_government=is_inter_government(t)):
        raise not_now("withdraw", status)
    need_reason(reason)
    is_party = caller.sub == t.proposer.sub or (
        caller.nip is not None and caller.nip == t.employee_nip
    )
    is_home_hr = "hr_officer" in caller.roles and caller.tenant == t.target_tenant
    if not (is_party or is_home_hr):
        raise refuse(
            "Hanya pengusul atau pegawai yang bersangkutan yang dapat menarik usulan",
            "Only the proposer or the employee may withdraw",
            "forbidden",
        )


def check_revise(
    t: TransferInput,
    caller: Caller,
    status: TransferStatus,
    busy: bool = False,
    effective_date: str | None = None,
) -> None:
    check_party(t, caller)
    check_role("revise", caller)
    if not busy and not may_take(Step.REVISE, status, inter_government=is_inter_government(t)):
        raise not_now("revise", status)
    is_home_hr = "hr_officer" in caller.roles and caller.tenant == t.target_tenant
    if caller.sub != t.proposer.sub and not is_home_hr:
        raise refuse(
            "Hanya pengusul atau BKPSDM yang dapat memperbaiki usulan",
            "Only the proposer or the HR officer may revise",
            "forbidden",
        )
    latest = t.latest_effective_date
    if effective_date and latest and effective_date > latest:
        raise refuse(
            f"TMT baru melewati batas masa berlaku usulan ini ({latest}); tarik usulan ini"
            " dan ajukan usulan baru",
            f"The new TMT lies beyond this proposal's lifetime ({latest}); withdraw it and"
            " propose anew",
            "invalid-input",
        )


def check_cancel_decree(
    t: TransferInput, caller: Caller, status: TransferStatus, reason: str | None, busy: bool = False
) -> None:
    """The issuing government's BKPSDM annuls a decree, with a reason, before its TMT."""
    check_party(t, caller)
    check_role("cancel_decree", caller)
    if not busy and not may_take(
        Step.CANCEL_DECREE, status, inter_government=is_inter_government(t)
    ):
        raise not_now("cancel_decree", status)
    need_reason(reason)
    if caller.tenant != t.target_tenant:
        raise refuse(
            "Hanya BKPSDM instansi penerbit SK yang dapat membatalkannya",
            "Only the HR office of the government that issued the decree may annul it",
            "forbidden",
        )


def summary(t: TransferInput, with_incentives: bool = True) -> dict[str, object]:
    """What `transfer.submitted` and `transfer.revised` record of the proposal (incentives
    since the change `incentives-recorded`: transfers begun before it record none)."""
    incentives = {"incentives": t.incentives or None} if with_incentives else {}
    return incentives | {
        "employee_nip": t.employee_nip,
        "employee_name": t.employee_name,
        "kind": t.kind,
        "target_tenant": t.target_tenant,
        "origin_position_code": t.origin_position_code,
        "origin_unit_code": t.origin_unit_code,
        "target_position_code": t.target_position_code,
        "target_unit_code": t.target_unit_code,
        "reasons": t.reasons,
        "expectations": t.expectations,
        "effective_date": t.effective_date,
        "justification": t.justification,
        "documents": t.documents,
        "self_application": t.self_application,
    }


def deadline_facts(pending: PendingStep, working_days: int, due_at: str) -> dict[str, object]:
    """The payload of `transfer.reminder_sent` and `transfer.escalated`."""
    return {
        "step": pending.name,
        "pending_role": pending.role,
        "pending_tenant": pending.tenant,
        "working_days": working_days,
        "due_at": due_at,
        "escalated_to": pending.escalate_to,
        "escalated_tenant": pending.escalate_tenant,
    }
