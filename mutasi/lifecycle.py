"""The contract between the services and the workflows: ids, inputs, update names, states.

Services and the worker both import this; neither imports the other.

Who acts where (SPEC §3, §4):
- A transfer belongs to two governments: `tenant` is the employee's (origin) government,
  `target_tenant` the receiving one, which proposes, verifies, holds the meeting, decides and
  issues the decree. Within one government both are the same.
- BKN officers are not a regional government: their tokens carry the tenant `bkn`
  (`BKN_TENANT`) and the role `bkn_officer`. They see every inter-government transfer and
  give the technical consideration (pertek); they never see transfers within a government.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from temporalio.common import SearchAttributeKey

WORKFLOW_NAME = "TransferWorkflow"
MEETING_WORKFLOW_NAME = "MeetingWorkflow"
BKN_TENANT = "bkn"
WITHIN_GOVERNMENT = "within_government"

# Search attributes (Keyword) that make the Temporal UI filterable; registered by
# mutasi.embedded.temporal on the dev server and by the tests on the time-skipping server.
SEARCH_TENANT = SearchAttributeKey.for_keyword("MutasiTenant")
SEARCH_STATUS = SearchAttributeKey.for_keyword("MutasiStatus")
SEARCH_UNIT = SearchAttributeKey.for_keyword("MutasiUnit")
SEARCH_KIND = SearchAttributeKey.for_keyword("MutasiKind")


def transfer_workflow_id(transfer_id: UUID | str) -> str:
    return f"transfer-{transfer_id}"


def meeting_workflow_id(meeting_id: UUID | str) -> str:
    return f"meeting-{meeting_id}"


@dataclass
class Caller:
    """The caller's verified claims, as the service passes them to an Update."""

    sub: str
    tenant: str
    roles: list[str]
    unit: str | None = None
    nip: str | None = None
    # The service's seal over these claims (mutasi.auth.caller_proof): Temporal carries the
    # caller, it does not vouch for it; the Update validators check the seal.
    proof: str | None = None


@dataclass
class TransferInput:
    transfer_id: str
    tenant: str
    target_tenant: str
    kind: str
    employee_nip: str
    employee_name: str
    origin_position_code: str | None
    origin_unit_code: str | None
    target_position_code: str
    target_unit_code: str
    reasons: str
    expectations: str
    effective_date: str  # ISO date (TMT)
    proposer: Caller
    justification: str | None = None
    documents: list[str] = field(default_factory=list)
    self_application: bool = False
    # The receiving government's incentive policy applied to this posting (SPEC §11).
    incentives: list[str] = field(default_factory=list)
    # The latest TMT a revision may set (ISO date): the workflow's run ends some time after
    # it (the proposal service derives both from the first TMT). None: no limit (older runs).
    latest_effective_date: str | None = None


@dataclass
class StepInput:
    caller: Caller
    reason: str | None = None


@dataclass
class VerifyInput:
    caller: Caller
    outcome: str = "verified"  # verified | returned
    reason: str | None = None


@dataclass
class AgendaInput:
    """Put a verified transfer on a meeting's agenda (sent by the meeting workflow)."""

    caller: Caller
    meeting_id: str


@dataclass
class MeetingDecisionInput:
    caller: Caller
    outcome: str  # recommended | not_recommended | deferred
    reason: str | None = None
    meeting_id: str | None = None
    votes: dict[str, int] = field(default_factory=dict)


@dataclass
class DecisionInput:
    """The approver's decision (approved | rejected | returned), the origin's consent
    (given | refused), or BKN's pertek (given | returned | refused)."""

    caller: Caller
    outcome: str
    reason: str | None = None
    reference: str | None = None  # the consent letter's or the pertek's number


@dataclass
class ReviseInput:
    caller: Caller
    justification: str | None = None
    target_position_code: str | None = None
    target_unit_code: str | None = None
    effective_date: str | None = None
    reason: str | None = None
    documents: list[str] | None = None
    incentives: list[str] | None = None  # again for a new post (None: unchanged)


@dataclass
class TransferState:
    transfer_id: str
    tenant: str
    status: str
    pending_step: str | None
    decree_number: str | None = None
    rule_failures: list[str] = field(default_factory=list)
    history: list[str] = field(default_factory=list)
    target_tenant: str | None = None
    kind: str | None = None
    employee_nip: str | None = None
    pending_role: str | None = None
    pending_tenant: str | None = None
    due_at: str | None = None  # ISO datetime (UTC) the pending step is due
    meeting_id: str | None = None
    meetings_decided: list[str] = field(default_factory=list)


# --- meetings (Tim Penilai Kinerja) ---------------------------------------------------------


@dataclass
class MeetingMember:
    sub: str  # the member's token subject: how they are recognised when they vote
    name: str
    nip: str | None = None  # for the conflict-of-interest check (R7)


@dataclass
class AgendaItem:
    transfer_id: str
    employee_nip: str
    employee_name: str
    conflicted: list[str] = field(default_factory=list)  # subs who must abstain (R7)
    votes: dict[str, str] = field(default_factory=dict)  # sub -> recommend|not_recommend|abstain
    outcome: str | None = None
    note: str | None = None


@dataclass
class MeetingInput:
    meeting_id: str
    tenant: str
    title: str
    scheduled_on: str  # ISO date
    place: str
    members: list[MeetingMember]
    quorum: int
    created_by: Caller
    tenant_name: str = ""  # for the minutes: "Kota Sorong"
    # Carried over by continue-as-new, so a long meeting keeps its agenda and votes.
    items: list[AgendaItem] = field(default_factory=list)
    step: int = 0
    continue_after_events: int = 0  # 0: when the server suggests it


@dataclass
class AgendaRequest:
    caller: Caller
    transfer_id: str


@dataclass
class Vote:
    transfer_id: str
    vote: str  # recommend | not_recommend | abstain
    note: str | None = None


@dataclass
class Ballot:
    caller: Caller
    votes: list[Vote]


@dataclass
class CloseMeetingInput:
    caller: Caller
    deferred: list[str] = field(default_factory=list)  # transfer ids the meeting postpones
    note: str | None = None


@dataclass
class MeetingState:
    meeting_id: str
    tenant: str
    title: str
    scheduled_on: str
    place: str
    status: str  # open | closed
    quorum: int
    members: list[MeetingMember]
    items: list[AgendaItem]
    minutes: str | None = None
