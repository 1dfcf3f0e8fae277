"""Audit: the chain status of my government with "verify now", a transfer's trail, export."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import Response, StreamingResponse

from services.web.deps import PageNotFound, Signed

router = APIRouter()


@router.get("/audit", name="audit")
async def audit(page: Signed, periksa: bool = False, usulan: str | None = None) -> Response:
    page.require(page.person.can("audit.read"))
    if usulan:
        try:
            return Response(status_code=303, headers={"Location": f"/audit/usulan/{UUID(usulan)}"})
        except ValueError:
            pass
    result = await page.get("approval", "/audit/verify") if periksa else None
    checkpoints = await page.get("approval", "/audit/checkpoints", limit=200)
    latest = checkpoints["items"][-5:][::-1]
    return page.render(
        "audit.html", result=result, checkpoints=latest, bad_id=bool(usulan), periksa=periksa
    )


@router.get("/audit/usulan/{tid}", name="audit_trail")
async def trail(tid: str, page: Signed) -> Response:
    page.require(page.person.can("audit.read"))
    try:
        transfer = UUID(tid)
    except ValueError:
        raise PageNotFound() from None
    data = await page.get("approval", f"/audit/transfers/{transfer}/trail", limit=200)
    return page.render("audit_trail.html", trail=data)


@router.get("/audit/ekspor", name="audit_export")
async def export(
    page: Signed, format: Annotated[Literal["jsonl", "csv"], Query()] = "csv"
) -> Response:
    page.require(page.person.can("audit.read"))
    api = page.api
    request = api.client.build_request(
        "GET",
        api.urls["approval"] + "/audit/export",
        params={"format": format},
        headers={"Authorization": f"Bearer {page.token}"},
    )
    upstream = await api.client.send(request, stream=True)
    if upstream.status_code != 200:
        await upstream.aclose()
        raise PageNotFound()

    async def body() -> AsyncIterator[bytes]:
        try:
            async for chunk in upstream.aiter_bytes():
                yield chunk
        finally:
            await upstream.aclose()

    headers = {
        k: v
        for k, v in upstream.headers.items()
        if k.lower() in ("content-type", "content-disposition")
    }
    return StreamingResponse(body(), headers=headers)
