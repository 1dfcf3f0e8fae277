"""The front door and the inbox: `/` sends each person to their first page; notices."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from services.web.deps import COOKIE, Posted, Signed, render
from services.web.person import Person

router = APIRouter()


@router.get("/", name="home")
async def home(request: Request) -> Response:
    session = request.app.state.sessions.get(request.cookies.get(COOKIE))
    if session is not None:
        return RedirectResponse(Person.of(session.claims).first_page, status_code=303)
    return render(
        request,
        request.app.state.templates,
        "landing.html",
        signed_out="keluar" in request.query_params,
    )


@router.get("/notifikasi", name="notices")
async def notices(
    page: Signed,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
    unread: bool = False,
) -> Response:
    inbox = await page.get(
        "notification", "/notifications", limit=25, offset=offset, unread_only=unread or None
    )
    return page.render("notices.html", inbox=inbox, offset=offset, unread=unread)


@router.post("/notifikasi/{notification_id}/dibaca", name="notice_read")
async def mark_read(notification_id: int, page: Posted) -> Response:
    await page.post("notification", f"/notifications/{notification_id}/read")
    return RedirectResponse("/notifikasi", status_code=303)
