"""The public page of each government, without sign-in: open vacancies and the transfers
decided (decree number and date, post, name as announced)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from services.web.api import Api
from services.web.deps import render

router = APIRouter()
Slug = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]


@router.get("/publik", name="public")
async def governments(request: Request) -> Response:
    api: Api = request.app.state.api
    listed = await api.get("proposal", "/public/governments", None)
    return render(request, request.app.state.templates, "public_list.html", governments=listed)


@router.get("/publik/{slug}", name="public_government")
async def government(slug: Slug, request: Request) -> Response:
    api: Api = request.app.state.api
    data = await api.get("proposal", f"/public/governments/{slug}", None)
    return render(request, request.app.state.templates, "public.html", g=data)
