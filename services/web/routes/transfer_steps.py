"""The forms on a transfer's page: decisions (verify, consent, pertek, decide), agenda,
revision, withdrawal, a cancelling decree, document upload; and the downloads (decree, attachments).

Each post carries the CSRF token and an Idempotency-Key rendered with the form, so a double
click records one step. A refusal by the API shows the page again with its message.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from services.web.api import Refused
from services.web.deps import Page, PageNotFound, Posted, Signed
from services.web.routes.transfer_detail import detail_context, transfer_id
from services.web.steps import BY_SLUG

router = APIRouter()


def _text(form: Any, name: str) -> str | None:
    value = form.get(name)
    return value.strip() or None if isinstance(value, str) else None


async def _done(page: Page, tid: str, flash: str, call: Any) -> Response:
    try:
        await call
    except Refused as refused:
        context = await detail_context(page, transfer_id(tid))
        return page.render("transfer.html", status=422, error=refused, **context)
    return RedirectResponse(f"/usulan/{tid}?ok={flash}", status_code=303)


@router.post("/usulan/{tid}/langkah/{slug}", name="transfer_step")
async def decide(tid: str, slug: str, page: Posted) -> Response:
    if slug not in BY_SLUG:
        raise PageNotFound()
    _, action, service, suffix, _outcomes = BY_SLUG[slug]
    page.require(page.person.can(action))
    form = await page.request.form()
    body: dict[str, Any] = {"outcome": _text(form, "outcome")}
    note = _text(form, "reason")
    body["note" if suffix == "verify" else "reason"] = note
    if suffix in ("consent", "pertek"):
        body["reference"] = _text(form, "reference")
    path = f"/transfers/{transfer_id(tid)}/{suffix}"
    return await _done(page, tid, "langkah", page.post(service, path, body, key=_text(form, "key")))


@router.post("/usulan/{tid}/perbaiki", name="transfer_revise")
async def revise(tid: str, page: Posted) -> Response:
    form = await page.request.form()
    body = {
        "reason": _text(form, "reason"),
        "justification": _text(form, "justification"),
        "effective_date": _text(form, "effective_date"),
    }
    path = f"/transfers/{transfer_id(tid)}/revise"
    call = page.post("proposal", path, body, key=_text(form, "key"))
    return await _done(page, tid, "perbaiki", call)


@router.post("/usulan/{tid}/tarik", name="transfer_withdraw")
async def withdraw(tid: str, page: Posted) -> Response:
    form = await page.request.form()
    path = f"/transfers/{transfer_id(tid)}/withdraw"
    call = page.post("proposal", path, {"reason": _text(form, "reason")}, key=_text(form, "key"))
    return await _done(page, tid, "tarik", call)


@router.post("/usulan/{tid}/batalkan-sk", name="transfer_cancel_decree")
async def cancel_decree(tid: str, page: Posted) -> Response:
    page.require(page.person.can("transfer.cancel_decree"))
    form = await page.request.form()
    path = f"/transfers/{transfer_id(tid)}/cancel-decree"
    call = page.post("approval", path, {"reason": _text(form, "reason")}, key=_text(form, "key"))
    return await _done(page, tid, "batal-sk", call)


@router.post("/usulan/{tid}/agenda", name="transfer_agenda")
async def place_on_agenda(tid: str, page: Posted) -> Response:
    form = await page.request.form()
    meeting = _text(form, "meeting_id") or ""
    body = {"transfer_id": str(transfer_id(tid))}
    call = page.post("approval", f"/meetings/{quote(meeting)}/agenda", body, key=_text(form, "key"))
    return await _done(page, tid, "agenda", call)


@router.post("/usulan/{tid}/lampiran", name="transfer_upload")
async def upload(tid: str, page: Posted) -> Response:
    form = await page.request.form()
    file = form.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        refused = Refused(422, "Pilih berkas yang akan diunggah (PDF, JPEG atau PNG)")
        context = await detail_context(page, transfer_id(tid))
        return page.render("transfer.html", status=422, error=refused, **context)
    data = await file.read()
    files = {"file": (file.filename, data, file.content_type or "application/octet-stream")}
    call = page.post(
        "proposal",
        f"/transfers/{transfer_id(tid)}/attachments",
        files=files,
        data={"document_code": _text(form, "document_code") or ""},
        key=_text(form, "key"),
    )
    return await _done(page, tid, "lampiran", call)


async def _download(page: Page, service: str, path: str) -> Response:
    upstream = await page.api.request(service, "GET", path, page.token)
    keep = ("content-type", "content-disposition", "x-document-sha256", "x-content-sha256")
    headers = {k: v for k, v in upstream.headers.items() if k.lower() in keep}
    return Response(upstream.content, headers=headers | {"Cache-Control": "no-store"})


@router.get("/usulan/{tid}/sk", name="transfer_decree")
async def decree(tid: str, page: Signed) -> Response:
    return await _download(page, "approval", f"/transfers/{transfer_id(tid)}/decree")


@router.get("/usulan/{tid}/lampiran/{aid}", name="transfer_attachment")
async def attachment(tid: str, aid: str, page: Signed) -> Response:
    path = f"/transfers/{transfer_id(tid)}/attachments/{transfer_id(aid)}"
    return await _download(page, "proposal", path)
