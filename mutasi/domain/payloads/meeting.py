"""Payloads of `meeting.*` events: a Tim Penilai Kinerja meeting, as its workflow records it."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from mutasi.domain.payloads.base import Nip, Payload

VoteChoice = Literal["recommend", "not_recommend", "abstain"]


class Member(Payload):
    sub: str = Field(description="The member's token subject: how their votes are recognised")
    name: str
    nip: Nip | None = Field(description="For the conflict-of-interest check (R7)")


class MeetingScheduled(Payload):
    """Payload of `meeting.scheduled`."""

    title: str
    scheduled_on: date
    place: str
    quorum: int = Field(ge=1)
    members: list[Member]


class MeetingAgendaItemAdded(Payload):
    """Payload of `meeting.agenda_item_added`."""

    transfer_id: str
    employee_nip: Nip
    employee_name: str
    conflicted_members: list[str] = Field(description="Subjects who must abstain (R7)")


class Vote(Payload):
    transfer_id: str
    vote: VoteChoice
    note: str | None


class MeetingVoteCast(Payload):
    """Payload of `meeting.vote_cast`: one member's ballot on one or more agenda items."""

    member: str
    votes: list[Vote]


class AgendaItemDecided(Payload):
    transfer_id: str
    employee_nip: Nip
    employee_name: str
    conflicted: list[str]
    votes: dict[str, VoteChoice] = Field(description="Member subject -> vote")
    outcome: Literal["recommended", "not_recommended", "deferred", "withdrawn"] | None
    note: str | None


class MeetingClosed(Payload):
    """Payload of `meeting.closed`: the minutes (berita acara) and each item's outcome."""

    minutes: str
    items: list[AgendaItemDecided]
