"""MeetingWorkflow: one meeting of the Tim Penilai Kinerja, from scheduling to its minutes.

BKPSDM schedules it with its members and quorum and puts verified transfers on its agenda;
each member casts one vote per item (abstaining where they have a conflict of interest, R7);
closing it decides every item, tells each transfer, and records the minutes (berita acara).
Updates are validated like the transfer's: a refused one records nothing.

A meeting with a long agenda and many votes continues as new when its history grows large,
carrying its agenda and votes, so replay stays fast; the workflow id stays the same.
"""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from mutasi.auth.policy import acting_role
    from mutasi.domain.events import MeetingEvent
    from mutasi.domain.rules import panel_member_conflict
    from mutasi.lifecycle import (
        SEARCH_STATUS,
        AgendaItem,
        AgendaRequest,
        Ballot,
        Caller,
        CloseMeetingInput,
        MeetingInput,
        MeetingState,
    )
    from workflows.common.records import LogActivities, RecordInput
    from workflows.common.refusals import check_proof
    from workflows.common.timing import LOG_RETRY, SHORT
    from workflows.meeting import rules, tally
    from workflows.meeting.activities import (
        AgendaEntry,
        Delivery,
        MeetingActivities,
        OutcomeInput,
        PlaceInput,
    )

# Placing an item answers a person waiting on HTTP: a few quick tries, then a clear error.
# The action each event records a step of (the log names the role that authorised it).
ACTION_OF = {
    MeetingEvent.SCHEDULED: "meeting.create",
    MeetingEvent.AGENDA_ITEM_ADDED: "meeting.add_item",
    MeetingEvent.VOTE_CAST: "meeting.vote",
    MeetingEvent.CLOSED: "meeting.close",
}
AGENDA_RETRY = RetryPolicy(
    initial_interval=timedelta(milliseconds=500),
    maximum_interval=timedelta(seconds=5),
    maximum_attempts=5,
)


@workflow.defn(name="MeetingWorkflow")
class MeetingWorkflow:
    @workflow.init
    def __init__(self, meeting: MeetingInput) -> None:
        # Set from the input before any Update is validated: one may arrive with the start.
        self.m = meeting
        self.items: dict[str, AgendaItem] = {item.transfer_id: item for item in meeting.items}
        self.status = "open"
        self.step = meeting.step
        self.minutes: str | None = None
        self.placing: set[str] = set()  # transfers being put on the agenda right now
        self.casting: set[tuple[str, str]] = set()  # (member, transfer) votes being recorded

    @workflow.query
    def state(self) -> MeetingState:
        m = self.m
        return MeetingState(
            m.meeting_id,
            m.tenant,
            m.title,
            m.scheduled_on,
            m.place,
            self.status,
            m.quorum,
            m.members,
            list(self.items.values()),
            self.minutes,
        )

    @workflow.run
    async def run(self, meeting: MeetingInput) -> MeetingState:
        if meeting.step == 0:
            await self._record(
                MeetingEvent.SCHEDULED,
                meeting.created_by,
                {
                    "title": meeting.title,
                    "scheduled_on": meeting.scheduled_on,
                    "place": meeting.place,
                    "quorum": meeting.quorum,
                    "members": [dataclasses.asdict(m) for m in meeting.members],
                },
            )
        await workflow.wait_condition(lambda: self.status == "closed" or self._grown())
        await workflow.wait_condition(workflow.all_handlers_finished)
        if self.status != "closed":
            workflow.continue_as_new(
                dataclasses.replace(meeting, items=list(self.items.values()), step=self.step)
            )
        return self.state()

    def _grown(self) -> bool:
        info = workflow.info()
        limit = self.m.continue_after_events
        return info.is_continue_as_new_suggested() or bool(
            limit and info.get_current_history_length() > limit
        )

    async def _record(
        self,
        event: MeetingEvent,
        caller: Caller | None,
        payload: dict[str, object],
        reason: str | None = None,
    ) -> None:
        self.step += 1
        actor_id, role = ("system", "system")
        if caller is not None:  # the role that authorised the step, not merely the first one
            actor_id, role = caller.sub, acting_role(caller.roles, [ACTION_OF[event]])
        await workflow.execute_local_activity_method(
            LogActivities.record_event,
            RecordInput(
                self.m.tenant,
                self.m.meeting_id,
                self.step,
                event.value,
                actor_id,
                role,
                reason,
                payload,
                aggregate="meeting",
            ),
            start_to_close_timeout=SHORT,
            retry_policy=LOG_RETRY,
        )

    # --- agenda ------------------------------------------------------------------------
    # No lock: each handler checks and marks its item in one step (no await in between), so
    # BKPSDM can put many transfers on the agenda at once and members vote at the same time.
    @workflow.update
    async def add_item(self, data: AgendaRequest) -> MeetingState:
        self._check_add_item(data)
        self.placing.add(data.transfer_id)
        try:
            entry = await self._place(data)
            conflicted = [
                member.sub
                for member in self.m.members
                if panel_member_conflict(member.nip, entry.employee_nip, entry.relatives)
            ]
            await self._record(
                MeetingEvent.AGENDA_ITEM_ADDED,
                data.caller,
                {
                    "transfer_id": data.transfer_id,
                    "employee_nip": entry.employee_nip,
                    "employee_name": entry.employee_name,
                    "conflicted_members": conflicted,
                },
            )
            self.items[data.transfer_id] = AgendaItem(
                data.transfer_id, entry.employee_nip, entry.employee_name, conflicted
            )
        finally:
            self.placing.discard(data.transfer_id)
        return self.state()

    @add_item.validator
    def _validate_add_item(self, data: AgendaRequest) -> None:
        # The caller's proof here only: the handler's own check is replayed (issue 15).
        self._check_add_item(data)
        check_proof(data.caller, workflow.now().timestamp())

    def _check_add_item(self, data: AgendaRequest) -> None:
        rules.check_open(self.m, self.status, "add_item", data.caller)
        if data.transfer_id in self.items or data.transfer_id in self.placing:
            raise rules.refuse(
                "Usulan ini sudah ada pada agenda rapat", "This transfer is already on the agenda"
            )

    async def _place(self, data: AgendaRequest) -> AgendaEntry:
        try:
            return await workflow.execute_activity_method(
                MeetingActivities.place_on_agenda,
                PlaceInput(self.m.meeting_id, data.transfer_id, data.caller),
                start_to_close_timeout=SHORT,
                retry_policy=AGENDA_RETRY,
            )
        except ActivityError as exc:
            cause = exc.cause
            if isinstance(cause, ApplicationError) and cause.type in rules.REFUSALS:
                raise ApplicationError(cause.message, type=cause.type, non_retryable=True) from exc
            raise rules.refuse(
                "Usulan belum dapat dimasukkan ke agenda; coba lagi",
                "The transfer could not be placed on the agenda; try again",
                "unavailable",
            ) from exc

    # --- votes -------------------------------------------------------------------------
    @workflow.update
    async def vote(self, data: Ballot) -> MeetingState:
        self._check_vote(data)
        cast = {(data.caller.sub, v.transfer_id) for v in data.votes}
        self.casting |= cast
        try:
            await self._record(
                MeetingEvent.VOTE_CAST,
                data.caller,
                {"member": data.caller.sub, "votes": [dataclasses.asdict(v) for v in data.votes]},
            )
            for v in data.votes:
                self.items[v.transfer_id].votes[data.caller.sub] = v.vote
        finally:
            self.casting -= cast
        return self.state()

    @vote.validator
    def _validate_vote(self, data: Ballot) -> None:
        # The caller's proof here only: the handler's own check is replayed (issue 15).
        self._check_vote(data)
        check_proof(data.caller, workflow.now().timestamp())

    def _check_vote(self, data: Ballot) -> None:
        rules.check_open(self.m, self.status, "vote", data.caller)
        rules.check_ballot(self.m, self.items, data, self.casting)

    # --- closing -----------------------------------------------------------------------
    @workflow.update
    async def close(self, data: CloseMeetingInput) -> MeetingState:
        self._check_close(data)
        self.status = "closing"  # from here on, nothing is added and no one votes
        await workflow.wait_condition(lambda: not self.placing and not self.casting)
        outcomes = [
            tally.decide_item(item, self.m.quorum, item.transfer_id in data.deferred)
            for item in self.items.values()
        ]
        deliveries = await asyncio.gather(*(self._deliver(o) for o in outcomes))
        for outcome, delivery in zip(outcomes, deliveries, strict=True):
            item = self.items[outcome.transfer_id]
            item.outcome = outcome.outcome if delivery.delivered else "withdrawn"
            item.note = outcome.reason if delivery.delivered else delivery.note
        self.minutes = tally.minutes(self.m, list(self.items.values()), data.note)
        await self._record(
            MeetingEvent.CLOSED,
            data.caller,
            {
                "minutes": self.minutes,
                "items": [dataclasses.asdict(i) for i in self.items.values()],
            },
            reason=data.note,
        )
        self.status = "closed"
        workflow.upsert_search_attributes([SEARCH_STATUS.value_set("closed")])
        return self.state()

    @close.validator
    def _validate_close(self, data: CloseMeetingInput) -> None:
        # The caller's proof here only: the handler's own check is replayed (issue 15).
        self._check_close(data)
        check_proof(data.caller, workflow.now().timestamp())

    def _check_close(self, data: CloseMeetingInput) -> None:
        rules.check_open(self.m, self.status, "close", data.caller)
        unknown = [t for t in data.deferred if t not in self.items]
        if unknown:
            raise rules.refuse(
                f"Usulan {', '.join(unknown)} tidak ada pada agenda rapat",
                f"Not on the agenda: {', '.join(unknown)}",
                "not-found",
            )

    async def _deliver(self, outcome: tally.ItemOutcome) -> Delivery:
        return await workflow.execute_activity_method(
            MeetingActivities.deliver_outcome,
            OutcomeInput(
                self.m.meeting_id,
                self.m.tenant,
                outcome.transfer_id,
                outcome.outcome,
                outcome.reason,
                outcome.votes,
            ),
            start_to_close_timeout=SHORT,
            retry_policy=LOG_RETRY,
        )
