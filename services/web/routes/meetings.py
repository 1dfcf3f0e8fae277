"""Rapat Tim Penilai Kinerja: schedule, agenda, a vote per member with a note, close with
minutes (berita acara). Members are named by NIP or name and found through the API."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response

from services.web.api import NotVisible, Refused
from services.web.deps import Page, PageNotFound, Posted, Signed

router = APIRouter()
NIP = re.compile(r"\d{18}")


def _meeting_id(value: str) -> str:
    try:
        return str(UUID(value))
    except ValueError:
        raise PageNotFound() from None


def _text(form: Any, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


@router.get("/rapat", name="meetings")
async def meetings(page: Signed) -> Response:
    page.require(page.person.can("meeting.read"))
    listed = await page.get("approval", "/meetings", limit=50)
    return page.render("meetings.html", meetings=listed["items"])


@router.get("/rapat/baru", name="meeting_new")
async def new(page: Signed) -> Response:
    page.require(page.person.can("meeting.create"))
    return page.render("meeting_new.html", today=page.person.today().isoformat())


async def _members(page: Page, lines: list[str]) -> list[dict[str, str]]:
    """Each line a NIP or a name that matches exactly one employee."""
    members: list[dict[str, str]] = []
    for line in lines:
        if NIP.fullmatch(line):
            try:
                found = [await page.get("proposal", f"/employees/{line}")]
            except NotVisible:
                found = []
        else:
            found = (await page.get("proposal", "/employees", q=line, limit=5))["items"]
            exact = [e for e in found if e["name"].lower() == line.lower()]
            found = exact or found
        if len(found) != 1:
            what = "tidak ditemukan" if not found else "cocok dengan lebih dari satu pegawai"
            raise Refused(422, f"Anggota “{line}” {what}; tulis NIP-nya")
        e = found[0]
        members.append({"sub": f"nip:{e['nip']}", "name": e["name"], "nip": e["nip"]})
    return members


@router.post("/rapat/baru", name="meeting_create")
async def create(page: Posted) -> Response:
    page.require(page.person.can("meeting.create"))
    form = await page.request.form()
    lines = [line.strip() for line in _text(form, "members").splitlines() if line.strip()]
    body: dict[str, Any] = {
        "title": _text(form, "title"),
        "scheduled_on": _text(form, "scheduled_on"),
        "place": _text(form, "place"),
        "quorum": int(_text(form, "quorum")) if _text(form, "quorum").isdigit() else None,
    }
    try:
        if not lines:
            raise Refused(422, "Sebutkan paling sedikit satu anggota")
        body["members"] = await _members(page, lines)
        meeting = await page.post("approval", "/meetings", body, key=_text(form, "key"))
    except Refused as refused:
        today = page.person.today().isoformat()
        return page.render("meeting_new.html", status=422, error=refused, form=form, today=today)
    return RedirectResponse(f"/rapat/{meeting['id']}?ok=1", status_code=303)


@router.get("/rapat/{mid}", name="meeting")
async def meeting(mid: str, page: Signed, ok: str | None = None) -> Response:
    page.require(page.person.can("meeting.read"))
    return page.render("meeting.html", flash=ok, **await _meeting_context(page, mid))


async def _meeting_context(page: Page, mid: str) -> dict[str, Any]:
    state = await page.get("approval", f"/meetings/{_meeting_id(mid)}")
    is_member = any(m["sub"] == page.person.sub for m in state["members"])
    verified: list[dict[str, Any]] = []
    if page.person.can("meeting.add_item") and state["status"] == "open":
        listed = await page.get("proposal", "/transfers", status="verified", limit=100)
        on_agenda = {i["transfer_id"] for i in state["items"]}
        verified = [t for t in listed["items"] if t["id"] not in on_agenda]
    return {
        "m": state,
        "may_vote": is_member and page.person.can("meeting.vote") and state["status"] == "open",
        "may_close": page.person.can("meeting.close") and state["status"] == "open",
        "verified": verified,
    }


async def _step(page: Page, mid: str, suffix: str, body: dict[str, Any], key: str) -> Response:
    try:
        await page.post("approval", f"/meetings/{_meeting_id(mid)}/{suffix}", body, key=key)
    except Refused as refused:
        context = await _meeting_context(page, mid)
        return page.render("meeting.html", status=422, error=refused, **context)
    return RedirectResponse(f"/rapat/{mid}?ok={suffix}", status_code=303)


@router.post("/rapat/{mid}/agenda", name="meeting_agenda")
async def agenda(mid: str, page: Posted) -> Response:
    form = await page.request.form()
    body = {"transfer_id": _text(form, "transfer_id")}
    return await _step(page, mid, "agenda", body, _text(form, "key"))


@router.post("/rapat/{mid}/suara", name="meeting_vote")
async def vote(mid: str, page: Posted) -> Response:
    form = await page.request.form()
    votes = []
    for item in form.getlist("item"):
        choice = _text(form, f"vote-{item}")
        if choice:
            votes.append(
                {"transfer_id": item, "vote": choice, "note": _text(form, f"note-{item}") or None}
            )
    if not votes:
        context = await _meeting_context(page, mid)
        refused = Refused(422, "Pilih suara Anda untuk paling sedikit satu usulan")
        return page.render("meeting.html", status=422, error=refused, **context)
    return await _step(page, mid, "votes", {"votes": votes}, _text(form, "key"))


@router.post("/rapat/{mid}/tutup", name="meeting_close")
async def close(mid: str, page: Posted) -> Response:
    form = await page.request.form()
    deferred = [d for d in form.getlist("deferred") if isinstance(d, str)]
    body = {"deferred": deferred, "note": _text(form, "note") or None}
    return await _step(page, mid, "close", body, _text(form, "key"))
