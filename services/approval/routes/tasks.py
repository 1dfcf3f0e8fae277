"""GET /tasks: what waits for the caller — the open transfers whose pending step they may take,
soonest deadline first, with the working days left (services/approval/waiting.py)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from mutasi import clock
from mutasi.auth.principal import Principal
from mutasi.web.deps import PageQuery, require
from services.approval.waiting import waiting_for

router = APIRouter(prefix="/tasks", tags=["tasks"])


class TaskOut(BaseModel):
    id: UUID
    tenant: str
    target_tenant: str
    employee_nip: str
    employee_name: str
    kind: str
    status: str
    target_position_code: str
    target_position_name: str | None
    target_unit_code: str
    target_unit_name: str | None
    effective_date: date | None
    pending_step: str = Field(description="The step awaited: verify, consent, pertek, decide…")
    pending_role: str
    since: datetime = Field(description="When the transfer entered its status (the step began)")
    due_at: datetime = Field(description="End of the step's last working day")
    days_left: int = Field(description="Working days left; 0 due today; negative: overdue")
    overdue: bool


class TaskPage(BaseModel):
    items: list[TaskOut]
    next_offset: int | None
    total: int = Field(description="Everything that waits for the caller")
    overdue: int = Field(description="Of which past their deadline")
    counts: dict[str, int] = Field(description="How many wait at each step")


async def now() -> datetime:
    # async: FastAPI runs a plain `def` dependency in a thread, a hop on every request.
    return clock.now()  # the moved clock in tests and drills (mutasi/clock.py)


@router.get(
    "",
    response_model=TaskPage,
    summary="Tugas saya: usulan yang menunggu tindakan saya / what waits for me",
)
async def tasks(
    request: Request,
    principal: Annotated[Principal, Depends(require("task.list"))],
    query: Annotated[PageQuery, Query()],
    moment: Annotated[datetime, Depends(now)],
) -> dict[str, Any]:
    pool, page = request.app.state.pool, query.page  # not dependencies: see PageQuery
    found = await waiting_for(pool, principal, moment, page.limit, page.offset)
    # Plain dicts: FastAPI validates them against TaskPage once; building TaskOut models here
    # made it dump and validate them again.
    items = [
        found.details[task.id]
        | {
            "pending_step": task.step,
            "pending_role": task.role,
            "since": task.since,
            "due_at": task.due_at,
            "days_left": found.level.days_left(task.due_at, moment),
            "overdue": task.due_at < moment,
        }
        for task in found.tasks
    ]
    more = page.offset + page.limit < found.total
    return {
        "items": items,
        "next_offset": page.offset + page.limit if more else None,
        "total": found.total,
        "overdue": found.overdue,
        "counts": found.counts,
    }
