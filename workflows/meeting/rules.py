"""Who may do what in a meeting, and why a step is refused (pure, used by validators)."""

from __future__ import annotations

from mutasi.lifecycle import AgendaItem, Ballot, Caller, MeetingInput
from workflows.common.refusals import check_role, refuse
from workflows.meeting.tally import VOTES

REFUSALS = frozenset(
    {
        "not-found",
        "forbidden",
        "invalid-input",
        "illegal-transition",
        "justification-required",
        "unavailable",
    }
)

__all__ = ["REFUSALS", "check_ballot", "check_open", "refuse"]


def check_open(meeting: MeetingInput, status: str, update: str, caller: Caller) -> None:
    if caller.tenant != meeting.tenant:
        raise refuse("Rapat tidak ditemukan", "Meeting not found", "not-found")
    check_role(update, caller)
    if status != "open":
        raise refuse("Rapat sudah ditutup", "The meeting is closed")


def check_ballot(
    meeting: MeetingInput,
    items: dict[str, AgendaItem],
    ballot: Ballot,
    casting: set[tuple[str, str]],
) -> None:
    """One vote per member per item; only members vote; a conflicted member abstains (R7)."""
    member = ballot.caller.sub
    if member not in {m.sub for m in meeting.members}:
        raise refuse(
            "Anda bukan anggota rapat ini", "You are not a member of this meeting", "forbidden"
        )
    if not ballot.votes:
        raise refuse("Surat suara kosong", "The ballot is empty", "invalid-input")
    seen: set[str] = set()
    for vote in ballot.votes:
        item = items.get(vote.transfer_id)
        if item is None:
            raise refuse(
                f"Usulan {vote.transfer_id} tidak ada pada agenda rapat",
                f"Transfer {vote.transfer_id} is not on the agenda",
                "not-found",
            )
        if vote.vote not in VOTES:
            raise refuse(
                f"Suara '{vote.vote}' tidak dikenal; pilihan: {', '.join(VOTES)}",
                f"Unknown vote '{vote.vote}'; one of {', '.join(VOTES)}",
                "invalid-input",
            )
        if (
            member in item.votes
            or vote.transfer_id in seen
            or (member, vote.transfer_id) in casting
        ):
            raise refuse(
                "Anda sudah memberikan suara untuk usulan ini",
                "You have already voted on this transfer",
            )
        if member in item.conflicted and vote.vote != "abstain":
            raise refuse(
                "R7: Anda memiliki benturan kepentingan atas usulan ini dan wajib abstain",
                "R7: you have a conflict of interest on this transfer and must abstain",
                "forbidden",
            )
        seen.add(vote.transfer_id)
