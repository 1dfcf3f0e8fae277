"""Meetings of the Tim Penilai Kinerja: schedule, agenda, votes, closing with minutes.

Each meeting is a MeetingWorkflow; its log stream `meeting/<id>` is what the list reads, so a
meeting is listed as soon as it is scheduled and shows as closed once its minutes are recorded.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from mutasi.auth.principal import Principal
from mutasi.errors import Unavailable
from mutasi.lifecycle import (
    AgendaRequest,
    Ballot,
    CloseMeetingInput,
    MeetingState,
    Vote,
    meeting_workflow_id,
)
from mutasi.transfers import execute_update, load_visible
from mutasi.web.deps import IdempotencyKey, Paging, Pool, Temporal, caller_of, require
from mutasi.web.text import ShortText, Text
from services.approval import meetings as handlers

router = APIRouter(prefix="/meetings", tags=["meetings"])
Note = Text


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MemberIn(Strict):
    sub: ShortText = Field(description="Subjek token anggota (cara anggota dikenali saat memilih)")
    name: ShortText
    nip: Annotated[str, StringConstraints(pattern=r"^\d{18}$")] | None = None


class MeetingIn(Strict):
    title: ShortText
    scheduled_on: date = Field(description="Tanggal rapat")
    place: ShortText
    members: list[MemberIn] = Field(min_length=1, max_length=50)
    quorum: int | None = Field(
        None, ge=1, description="Suara minimal per usulan; bawaan: mayoritas anggota"
    )

    @model_validator(mode="after")
    def _consistent(self) -> MeetingIn:
        if len({m.sub for m in self.members}) != len(self.members):
            raise ValueError("setiap anggota hanya boleh tercantum sekali / duplicate member")
        if self.quorum is not None and self.quorum > len(self.members):
            raise ValueError("kuorum melebihi jumlah anggota / quorum exceeds the members")
        return self


class AgendaIn(Strict):
    transfer_id: UUID


class VoteIn(Strict):
    transfer_id: UUID
    vote: Literal["recommend", "not_recommend", "abstain"]
    note: Note | None = None


class BallotIn(Strict):
    votes: list[VoteIn] = Field(min_length=1, max_length=500)


class CloseIn(Strict):
    deferred: list[UUID] = Field(
        default_factory=list, max_length=500, description="Usulan yang ditunda ke rapat berikutnya"
    )
    note: Note | None = None


Reader = Annotated[Principal, Depends(require("meeting.read"))]


@router.post(
    "",
    status_code=201,
    response_model=handlers.MeetingOut,
    summary="Jadwalkan rapat tim penilai / schedule a meeting",
)
async def create(
    body: MeetingIn,
    request: Request,
    response: Response,
    pool: Pool,
    temporal: Temporal,
    key: IdempotencyKey,
    principal: Annotated[Principal, Depends(require("meeting.create"))],
) -> handlers.MeetingOut:
    meeting = await handlers.schedule(
        pool, temporal, request.app.state.settings.task_queue, principal, body.model_dump(), key
    )
    response.headers["Location"] = f"/meetings/{meeting.id}"
    return meeting


@router.get("", response_model=handlers.MeetingPage, summary="Daftar rapat / list meetings")
async def list_meetings(pool: Pool, page: Paging, principal: Reader) -> handlers.MeetingPage:
    return await handlers.list_meetings(pool, principal.tenant, page.limit, page.offset)


@router.get(
    "/{meeting_id}",
    response_model=MeetingState,
    summary="Rapat: agenda, suara, berita acara / a meeting",
)
async def read(meeting_id: UUID, pool: Pool, temporal: Temporal, principal: Reader) -> MeetingState:
    await handlers.load_meeting(pool, principal.tenant, meeting_id)
    try:
        state: MeetingState = await temporal.get_workflow_handle(
            meeting_workflow_id(meeting_id)
        ).query("state", result_type=MeetingState)
    except Exception as exc:  # noqa: BLE001 - the worker or server is unreachable
        raise Unavailable(
            "Data rapat sementara tidak dapat dibaca", "The meeting cannot be read now"
        ) from exc
    return state


@router.post(
    "/{meeting_id}/agenda",
    response_model=MeetingState,
    summary="Masukkan usulan terverifikasi ke agenda / put a transfer on the agenda",
)
async def add_item(
    meeting_id: UUID,
    body: AgendaIn,
    pool: Pool,
    temporal: Temporal,
    key: IdempotencyKey,
    principal: Annotated[Principal, Depends(require("meeting.add_item"))],
) -> MeetingState:
    await handlers.load_meeting(pool, principal.tenant, meeting_id)
    await load_visible(pool, principal, body.transfer_id)
    arg = AgendaRequest(caller_of(principal), str(body.transfer_id))
    return await _update(temporal, meeting_id, "add_item", arg, key)


@router.post(
    "/{meeting_id}/votes",
    response_model=MeetingState,
    summary="Suara anggota atas usulan pada agenda / a member's ballot",
)
async def vote(
    meeting_id: UUID,
    body: BallotIn,
    pool: Pool,
    temporal: Temporal,
    key: IdempotencyKey,
    principal: Annotated[Principal, Depends(require("meeting.vote"))],
) -> MeetingState:
    await handlers.load_meeting(pool, principal.tenant, meeting_id)
    votes = [Vote(str(v.transfer_id), v.vote, v.note) for v in body.votes]
    return await _update(temporal, meeting_id, "vote", Ballot(caller_of(principal), votes), key)


@router.post(
    "/{meeting_id}/close",
    response_model=MeetingState,
    summary="Tutup rapat: putuskan agenda, catat berita acara / close the meeting",
)
async def close(
    meeting_id: UUID,
    body: CloseIn,
    pool: Pool,
    temporal: Temporal,
    key: IdempotencyKey,
    principal: Annotated[Principal, Depends(require("meeting.close"))],
) -> MeetingState:
    await handlers.load_meeting(pool, principal.tenant, meeting_id)
    await handlers.check_closable(pool, principal.tenant, meeting_id)
    arg = CloseMeetingInput(caller_of(principal), [str(t) for t in body.deferred], body.note)
    return await _update(temporal, meeting_id, "close", arg, key)


async def _update(
    temporal: Temporal, meeting_id: UUID, update: str, arg: object, key: str | None
) -> MeetingState:
    state: MeetingState = await execute_update(
        temporal, meeting_workflow_id(meeting_id), update, arg, key, MeetingState
    )
    return state
