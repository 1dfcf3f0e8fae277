"""What the meeting routes do: schedule a meeting (start its workflow), find and list them."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

import asyncpg
from pydantic import BaseModel
from temporalio.client import Client
from temporalio.common import (
    SearchAttributePair,
    TypedSearchAttributes,
    WorkflowIDReusePolicy,
)
from temporalio.exceptions import WorkflowAlreadyStartedError

from mutasi import clock, lookups
from mutasi.auth.principal import Principal
from mutasi.domain.id_dates import indonesian_date
from mutasi.errors import IllegalTransition, InvalidInput, NotFound, Unavailable
from mutasi.lifecycle import (
    MEETING_WORKFLOW_NAME,
    SEARCH_STATUS,
    SEARCH_TENANT,
    MeetingInput,
    MeetingMember,
    meeting_workflow_id,
)
from mutasi.tenants.config import load_tenant_config
from mutasi.web.deps import caller_of
from services.approval import queries

_KEY_NS = uuid5(NAMESPACE_URL, "https://mutasi.go.id/idempotency/meetings")
RECORD_WAIT_STEPS = 300  # × 50 ms


class MeetingOut(BaseModel):
    id: UUID
    workflow_id: str
    title: str
    scheduled_on: date
    place: str
    quorum: int
    status: str


class MeetingPage(BaseModel):
    items: list[MeetingOut]
    next_offset: int | None


async def schedule(
    pool: asyncpg.Pool,
    temporal: Client,
    task_queue: str,
    principal: Principal,
    body: dict[str, Any],
    idempotency_key: str | None,
) -> MeetingOut:
    # The same key from the same caller names the same meeting, so a retry starts nothing.
    meeting_id = (
        uuid5(_KEY_NS, f"{principal.tenant}/{principal.sub}/{idempotency_key}")
        if idempotency_key
        else uuid4()
    )
    await _check_schedule(pool, principal.tenant, body)
    members = [MeetingMember(m["sub"], m["name"], m.get("nip")) for m in body["members"]]
    quorum = body["quorum"] or len(members) // 2 + 1
    tenant_name = await lookups.tenant_name(pool, principal.tenant)
    data = MeetingInput(
        str(meeting_id),
        principal.tenant,
        body["title"],
        body["scheduled_on"].isoformat(),
        body["place"],
        members,
        quorum,
        caller_of(principal),
        tenant_name or principal.tenant,
    )
    workflow_id = meeting_workflow_id(meeting_id)
    try:
        await temporal.start_workflow(
            MEETING_WORKFLOW_NAME,
            data,
            id=workflow_id,
            task_queue=task_queue,
            execution_timeout=timedelta(days=365),
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            search_attributes=TypedSearchAttributes(
                [
                    SearchAttributePair(SEARCH_TENANT, principal.tenant),
                    SearchAttributePair(SEARCH_STATUS, "open"),
                ]
            ),
        )
    except WorkflowAlreadyStartedError:
        pass  # the same Idempotency-Key: this meeting exists already
    await _until_recorded(pool, principal.tenant, meeting_id)
    return MeetingOut(
        id=meeting_id,
        workflow_id=workflow_id,
        title=data.title,
        scheduled_on=body["scheduled_on"],
        place=data.place,
        quorum=quorum,
        status="open",
    )


async def _check_schedule(pool: asyncpg.Pool, tenant: str, body: dict[str, Any]) -> None:
    """A meeting is held today or later, by members who are the government's employees."""
    config = await load_tenant_config(pool, tenant)
    today = clock.today(config.iana_time_zone if config else clock.WIB)
    if body["scheduled_on"] < today:
        raise InvalidInput(
            f"Tanggal rapat {indonesian_date(body['scheduled_on'])} sudah lewat; rapat dijadwalkan"
            " paling cepat hari ini",
            "The meeting's date has passed",
            field="scheduled_on",
        )
    unknown = [
        m["nip"]
        for m in body["members"]
        if m.get("nip") and await lookups.employee(pool, tenant, m["nip"]) is None
    ]
    if unknown:
        raise InvalidInput(
            "NIP anggota tidak terdaftar sebagai pegawai instansi ini: " + ", ".join(unknown),
            "Member NIPs not employees of this government: " + ", ".join(unknown),
            field="members",
        )


async def check_closable(pool: asyncpg.Pool, tenant: str, meeting_id: UUID) -> None:
    """A meeting is closed on or after its date: its minutes say it took place."""
    held_on = await queries.meeting_date(pool, meeting_id)
    config = await load_tenant_config(pool, tenant)
    today = clock.today(config.iana_time_zone if config else clock.WIB)
    if held_on is not None and today < held_on:
        raise IllegalTransition(
            "Rapat belum dapat ditutup sebelum tanggal pelaksanaannya"
            f" ({indonesian_date(held_on)})",
            "The meeting cannot be closed before its date",
        )


async def load_meeting(pool: asyncpg.Pool, tenant: str, meeting_id: UUID) -> None:
    """The meeting exists in the caller's government, else 404 (another's is invisible)."""
    if not await lookups.meeting_held_by(pool, tenant, meeting_id):
        raise NotFound("Rapat tidak ditemukan", "Meeting not found")


async def _until_recorded(pool: asyncpg.Pool, tenant: str, meeting_id: UUID) -> None:
    """A scheduled meeting answers 201 once its first entry is in the log, so the next call
    (its agenda) finds it; the worker records it within milliseconds when it runs."""
    for _ in range(RECORD_WAIT_STEPS):
        if await lookups.meeting_held_by(pool, tenant, meeting_id):
            return
        await asyncio.sleep(0.05)
    raise Unavailable(
        "Rapat sudah dijadwalkan tetapi belum tercatat; ulangi dengan Idempotency-Key yang sama",
        "The meeting is scheduled but not recorded yet; retry with the same Idempotency-Key",
    )


async def list_meetings(pool: asyncpg.Pool, tenant: str, limit: int, offset: int) -> MeetingPage:
    rows = await queries.meetings(pool, tenant, limit + 1, offset)
    items = [
        MeetingOut(
            id=UUID(r["stream"].split("/", 1)[1]),
            workflow_id=meeting_workflow_id(r["stream"].split("/", 1)[1]),
            title=r["payload"]["title"],
            scheduled_on=date.fromisoformat(r["payload"]["scheduled_on"]),
            place=r["payload"]["place"],
            quorum=r["payload"]["quorum"],
            status="closed" if r["closed"] else "open",
        )
        for r in rows[:limit]
    ]
    return MeetingPage(items=items, next_offset=offset + limit if len(rows) > limit else None)
