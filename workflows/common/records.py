"""Recording one workflow fact in the log: an activity every workflow calls.

Every recorded fact gets an event id derived from (workflow stream, step), so a retried
activity finds its event already in the log and returns it instead of appending a second one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

import asyncpg
from temporalio import activity
from temporalio.exceptions import ApplicationError

from mutasi.domain.payloads import InvalidPayload
from mutasi.log.canonical import NotCanonicalizable
from mutasi.log.projections import ReadModels
from mutasi.log.store import Actor, EventTooLarge, NewEvent, append
from mutasi.logging import bind, get_logger

log = get_logger(__name__)

_EVENT_NS = uuid5(NAMESPACE_URL, "https://mutasi.go.id/events")
# What the log refuses because of the data itself (NUL, a lone surrogate, a float, a payload
# off its event type's model), not because of an outage: these never succeed on a retry.
UNSTORABLE = (
    asyncpg.DataError,
    UnicodeEncodeError,
    NotCanonicalizable,
    InvalidPayload,
    EventTooLarge,
)


def step_event_id(transfer_id: str, step: int, aggregate: str = "transfer") -> UUID:
    return uuid5(_EVENT_NS, f"{aggregate}/{transfer_id}/{step}")


@dataclass
class RecordInput:
    tenant: str
    transfer_id: str
    step: int
    event_type: str
    actor_id: str
    actor_role: str
    reason: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    aggregate: str = "transfer"  # the stream is <aggregate>/<transfer_id>


@dataclass
class RecordResult:
    sequence: int
    event_id: str


async def record(
    conn: asyncpg.Connection, data: RecordInput, projector: ReadModels | None = None
) -> RecordResult:
    """Append one workflow fact in the caller's transaction; a retry returns the stored one."""
    bind(tenant=data.tenant, stream_id=data.transfer_id, workflow_id=activity.info().workflow_id)
    event = NewEvent(
        stream=f"{data.aggregate}/{data.transfer_id}",
        event_type=str(data.event_type),
        payload=data.payload,
        actor=Actor(data.actor_id, data.actor_role),
        reason=data.reason,
        event_id=step_event_id(data.transfer_id, data.step, data.aggregate),
    )
    try:
        [stored] = await append(conn, data.tenant, [event], projector=projector or ReadModels())
    except UNSTORABLE as exc:
        # Retrying cannot help and would hold the workflow's lock for ever (issue 15): the
        # step is refused instead, as invalid input, and the transfer goes on.
        log.warning("workflow_event_refused", event_type=data.event_type, error=str(exc))
        raise ApplicationError(
            "Data langkah ini tidak dapat dicatat (karakter tidak sah)"
            " / The step's data cannot be stored (invalid characters)",
            type="invalid-input",
            non_retryable=True,
        ) from exc
    log.info("workflow_event_recorded", event_type=data.event_type, sequence=stored.sequence)
    return RecordResult(stored.sequence, str(stored.event_id))


class LogActivities:
    """The `record_event` activity (by that name in every recorded history)."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool
        self.projector = ReadModels()

    @activity.defn
    async def record_event(self, data: RecordInput) -> RecordResult:
        async with self.pool.acquire() as conn, conn.transaction():
            return await record(conn, data, self.projector)
