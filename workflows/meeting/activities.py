"""Activities of the meeting workflow: talking to the transfers on its agenda.

A meeting reaches a transfer through the transfer's own Updates, so the transfer's
validators decide what is allowed. Each call carries an Update id derived from the meeting,
so a retried activity gets the first call's answer back instead of acting twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import asyncpg
from temporalio import activity
from temporalio.client import Client, WorkflowHandle, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from mutasi.auth import caller_proof
from mutasi.domain.lifecycle import FINISHED
from mutasi.lifecycle import (
    AgendaInput,
    Caller,
    MeetingDecisionInput,
    TransferState,
    transfer_workflow_id,
)
from mutasi.logging import get_logger

log = get_logger(__name__)
REFUSALS = frozenset(
    {"not-found", "forbidden", "invalid-input", "illegal-transition", "justification-required"}
)


@dataclass
class PlaceInput:
    meeting_id: str
    transfer_id: str
    caller: Caller


@dataclass
class AgendaEntry:
    employee_nip: str
    employee_name: str
    relatives: list[str] = field(default_factory=list)  # NIPs HR recorded as relatives


@dataclass
class OutcomeInput:
    meeting_id: str
    tenant: str
    transfer_id: str
    outcome: str
    reason: str | None
    votes: dict[str, int]


@dataclass
class Delivery:
    transfer_id: str
    delivered: bool
    status: str
    note: str | None = None


def meeting_caller(meeting_id: str, tenant: str) -> Caller:
    """The panel as a whole, as the actor of its recommendation in the transfer's log;
    sealed by the worker, which holds the caller-proof secret too."""
    caller = Caller(f"meeting:{meeting_id}", tenant, ["panel_member"])
    return caller_proof.seal(caller, _now())


def _now() -> float:
    """The workflow's clock as this attempt was scheduled, which the validator that checks
    the seal reads too (equal to the wall clock but for time-skipping tests)."""
    return activity.info().current_attempt_scheduled_time.timestamp()


class MeetingActivities:
    def __init__(self, pool: asyncpg.Pool, client: Client) -> None:
        self.pool, self.client = pool, client

    def _transfer(self, transfer_id: str) -> WorkflowHandle[object, object]:
        return self.client.get_workflow_handle(transfer_workflow_id(transfer_id))

    @activity.defn
    async def place_on_agenda(self, data: PlaceInput) -> AgendaEntry:
        """Mark the transfer as on this meeting's agenda; refusals are final (not retried)."""
        row = await self.pool.fetchrow(
            "SELECT employee_name, data->'relatives' AS relatives FROM transfers t"
            " LEFT JOIN employees e ON e.tenant = t.tenant AND e.nip = t.employee_nip"
            " WHERE t.id = $1::uuid",
            data.transfer_id,
        )
        try:
            state = await self._transfer(data.transfer_id).execute_update(
                "place_on_agenda",
                # The meeting's validator checked this caller's proof; sealed afresh, since a
                # retried activity may outlive the one the service gave (caller_proof.TTL_S).
                AgendaInput(caller_proof.seal(data.caller, _now()), data.meeting_id),
                id=f"agenda-{data.meeting_id}",
                result_type=TransferState,
            )
        except WorkflowUpdateFailedError as exc:
            cause = exc.cause
            if isinstance(cause, ApplicationError) and cause.type in REFUSALS:
                raise ApplicationError(cause.message, type=cause.type, non_retryable=True) from exc
            raise
        except RPCError as exc:
            if exc.status is RPCStatusCode.NOT_FOUND:
                raise ApplicationError(
                    "Usulan mutasi tidak ditemukan atau prosesnya sudah selesai / Transfer not"
                    " found or its workflow is closed",
                    type="not-found",
                    non_retryable=True,
                ) from exc
            raise
        assert state.employee_nip is not None
        relatives = (row["relatives"] if row else None) or []
        return AgendaEntry(
            state.employee_nip,
            row["employee_name"] if row else "-",
            [str(nip) for nip in relatives],
        )

    @activity.defn
    async def deliver_outcome(self, data: OutcomeInput) -> Delivery:
        """Tell one transfer what the meeting decided; a withdrawn transfer is reported."""
        handle = self._transfer(data.transfer_id)
        state = await handle.query("state", result_type=TransferState)
        if data.meeting_id in state.meetings_decided:
            return Delivery(data.transfer_id, True, state.status)  # a retry after success
        if state.status in FINISHED or state.meeting_id != data.meeting_id:
            return Delivery(
                data.transfer_id,
                False,
                state.status,
                "Usulan ditarik atau tidak lagi menunggu keputusan rapat ini",
            )
        decision = MeetingDecisionInput(
            meeting_caller(data.meeting_id, data.tenant),
            data.outcome,
            data.reason,
            data.meeting_id,
            data.votes,
        )
        try:
            state = await handle.execute_update(
                "meeting_decide",
                decision,
                id=f"decision-{data.meeting_id}",
                result_type=TransferState,
            )
        except WorkflowUpdateFailedError as exc:
            # Withdrawn between the query and the update: the validator says so.
            message = (
                str(exc.cause.message) if isinstance(exc.cause, ApplicationError) else str(exc)
            )
            log.info("meeting_outcome_refused", transfer_id=data.transfer_id, error=message)
            return Delivery(data.transfer_id, False, state.status, message.partition(" / ")[0])
        except RPCError as exc:
            if exc.status is not RPCStatusCode.NOT_FOUND:
                raise
            return Delivery(
                data.transfer_id,
                False,
                state.status,
                "Proses usulan sudah selesai sebelum keputusan rapat diterima",
            )
        return Delivery(data.transfer_id, True, state.status)

    def all(self) -> list[Callable[..., Any]]:
        return [self.place_on_agenda, self.deliver_outcome]
