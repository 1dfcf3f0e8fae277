"""The contract between the services and the transfer workflow: ids, inputs, update names.

Services and the worker both import this; neither imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

WORKFLOW_NAME = "TransferWorkflow"


def transfer_workflow_id(transfer_id: UUID | str) -> str:
    return f"transfer-{transfer_id}"


@dataclass
class Caller:
    """The caller's verified claims, as the service passes them to an Update."""

    sub: str
    tenant: str
    roles: list[str]
    unit: str | None = None
    nip: str | None = None


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


@dataclass
class StepInput:
    caller: Caller
    reason: str | None = None


@dataclass
class MeetingDecisionInput:
    caller: Caller
    outcome: str  # recommended | not_recommended | deferred
    reason: str | None = None
    meeting_id: str | None = None


@dataclass
class DecisionInput:
    caller: Caller
    outcome: str  # approved | rejected | returned
    reason: str | None = None


@dataclass
class ReviseInput:
    caller: Caller
    justification: str | None = None
    target_position_code: str | None = None
    target_unit_code: str | None = None
    effective_date: str | None = None
    reason: str | None = None


@dataclass
class TransferState:
    transfer_id: str
    tenant: str
    status: str
    pending_step: str | None
    decree_number: str | None = None
    rule_failures: list[str] = field(default_factory=list)
    history: list[str] = field(default_factory=list)
