"""Tugas saya: what waits for me (the approval service's GET /tasks: the working days left,
overdue marked, counts per step), and my unread notices."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from services.web.deps import Signed

router = APIRouter()
PAGE_SIZE = 50


@router.get("/tugas", name="tasks")
async def tasks(page: Signed, offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> Response:
    page.require(not page.person.is_employee_only)
    mine, unread = await asyncio.gather(
        page.get("approval", "/tasks", limit=PAGE_SIZE, offset=offset),
        page.get("notification", "/notifications/unread-count"),
    )
    return page.render(
        "tasks.html",
        tasks=mine["items"],
        total=mine["total"],
        counts=sorted(mine["counts"].items()),
        overdue=mine["overdue"],
        unread=unread["unread"],
        offset=offset,
        next_offset=mine["next_offset"],
        previous=max(offset - PAGE_SIZE, 0) if offset else None,
    )
