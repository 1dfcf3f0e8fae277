"""Tugas saya: what waits for me, the working days left (overdue marked), counts per step,
and my unread notices."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from services.web.deadlines import describe, working_days_left
from services.web.deps import Page, Signed

router = APIRouter()
FINISHED = {"rejected", "withdrawn", "completed"}
LIST_LIMIT = 200
# Progress is asked of each open transfer's workflow; a few at a time per page view, so 20
# people opening the page at once do not open hundreds of connections to the API.
PROGRESS_FANOUT = 6


async def bounded(calls: list[Any], limit: int = PROGRESS_FANOUT) -> list[Any]:
    gate = asyncio.Semaphore(limit)

    async def one(call: Any) -> Any:
        async with gate:
            return await call

    return await asyncio.gather(*(one(c) for c in calls))


async def waiting_for(page: Page) -> list[dict[str, Any]]:
    """Open transfers whose pending step is this person's to take, soonest deadline first."""
    listed = await page.get("proposal", "/transfers", limit=LIST_LIMIT)
    open_ = [t for t in listed["items"] if t["status"] not in FINISHED]
    states = await bounded([page.get("approval", f"/transfers/{t['id']}/progress") for t in open_])
    zone = page.session.claims.get("zoneinfo") or "Asia/Jakarta"
    now = datetime.now(UTC)
    tasks = []
    for transfer, state in zip(open_, states, strict=True):
        if state.get("pending_role") not in page.person.roles:
            continue
        if state.get("pending_tenant") != page.person.tenant:
            continue
        days = working_days_left(state.get("due_at"), zone, now)
        tasks.append(
            transfer
            | {
                "pending_step": state["pending_step"],
                "due_at": state.get("due_at"),
                "days_left": days,
                "days_text": describe(days),
            }
        )
    tasks.sort(key=lambda t: (t["days_left"] is None, t["days_left"] or 0))
    return tasks


@router.get("/tugas", name="tasks")
async def tasks(page: Signed) -> Response:
    page.require(not page.person.is_employee_only)
    mine, unread = await asyncio.gather(
        waiting_for(page), page.get("notification", "/notifications/unread-count")
    )
    counts = Counter(t["pending_step"] for t in mine)
    return page.render(
        "tasks.html",
        tasks=mine,
        counts=sorted(counts.items()),
        overdue=sum(1 for t in mine if (t["days_left"] or 0) < 0),
        unread=unread["unread"],
    )
