"""The contract between the proposal service and the plan workflow: ids, inputs, states.

A transfer plan (rencana mutasi) is one PlanWorkflow. BKPSDM drafts it (the workflow starts
and optimises at once), edits or re-optimises it, and approves it; the workflow then makes
each line a proposal (its own TransferWorkflow, started as a child that outlives the plan),
verifies it for BKPSDM, puts it on the panel's meeting, and waits for every line to finish.
`spec` travels as the JSON of mutasi.planning.spec.PlanSpec.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from mutasi.lifecycle import Caller

PLAN_WORKFLOW_NAME = "PlanWorkflow"


def plan_workflow_id(plan_id: UUID | str) -> str:
    return f"plan-{plan_id}"


@dataclass
class PlanInput:
    plan_id: str
    tenant: str
    created_by: Caller
    spec: dict[str, Any]  # PlanSpec, as JSON
    reason: str | None = None


@dataclass
class PlanEditInput:
    caller: Caller
    spec: dict[str, Any]
    reason: str | None = None


@dataclass
class PlanStepInput:
    caller: Caller
    reason: str | None = None


@dataclass
class PlanApproveInput:
    caller: Caller
    effective_date: str | None = None  # ISO; default: the plan's period start
    meeting_id: str | None = None  # the panel's meeting that reviews the plan's lines
    reason: str | None = None


@dataclass
class PlanSummary:
    """What an optimisation found; the lines themselves are in the log and read model."""

    revision: int
    value: str  # points, two decimals (strings: no floats leave the planning code)
    status_quo: str
    greedy_value: str
    moves: int
    greedy_moves: int
    method: str
    gap: str
    seconds: str
    problem: str | None = None  # no plan keeps every constraint: why


@dataclass
class LineOutcome:
    line: int
    transfer_id: str
    status: str  # the transfer's status when last seen


@dataclass
class PlanState:
    plan_id: str
    tenant: str
    status: str  # draft | optimised | approved | in_progress | completed | cancelled
    revision: int
    summary: PlanSummary | None = None
    meeting_id: str | None = None
    lines: list[LineOutcome] = field(default_factory=list)
    problem: str | None = None  # why the last optimisation found no plan, if it did not
