"""Usulan baru (supervisor, BKPSDM, receiving PPK): find the employee, pick a vacancy ranked
by fit, see what the rules already say, tick the documents, choose a TMT in range, submit.

A PPK may also ask for an employee of another government (SPEC §3: the receiving PPK
proposes a move between governments): the origin government and the NIP, nothing more is
shown of that employee — their data stays the origin's until it consents (SPEC §7).
"""

from __future__ import annotations

import asyncio
import re
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import RedirectResponse, Response

from mutasi.domain.model import INTER_GOVERNMENT_DOCUMENTS, TransferKind, required_documents
from services.web.api import NotVisible, Refused
from services.web.deps import Page, PageNotFound, Posted, Signed

router = APIRouter()
NIP = re.compile(r"\d{18}")
TMT_MAX_DAYS = 366  # a TMT more than a year ahead is a plan, not a proposal


def tmt_range(today: date) -> tuple[date, date]:
    return today, today + timedelta(days=TMT_MAX_DAYS)


async def _candidates(page: Page, q: str, unit: str | None) -> list[dict[str, Any]]:
    """Employees matching a name or NIP, within the unit a supervisor is bound to."""
    if NIP.fullmatch(q):
        try:
            return [await page.get("proposal", f"/employees/{q}")]
        except NotVisible:
            return []
    found = await page.get("proposal", "/employees", q=q, unit=unit, limit=50)
    return list(found["items"])


def _documents(inter_government: bool = False) -> list[dict[str, str]]:
    kind = TransferKind.WITHIN_GOVERNMENT
    found = INTER_GOVERNMENT_DOCUMENTS if inter_government else required_documents(kind)
    return [{"code": d.code, "label": d.label_id} for d in found]


async def _governments(page: Page) -> list[dict[str, str]]:
    """The other governments a PPK may ask an employee of (the public list, own one left out)."""
    listed = await page.api.get("proposal", "/public/governments", None)
    return [g for g in listed if g["slug"] != page.person.tenant]


async def _form_context(page: Page, nip: str, origin: str | None = None) -> dict[str, Any]:
    low, high = tmt_range(page.person.today())
    common = {"tmt_min": low.isoformat(), "tmt_max": high.isoformat()}
    if origin:
        governments = {g["slug"]: g for g in await _governments(page)}
        if origin not in governments:
            raise PageNotFound()
        vacancies = await page.get("proposal", "/vacancies", limit=100)
        employee = {"nip": nip, "origin": governments[origin]}
        return common | {"employee": employee, "vacancies": vacancies, "inter": True,
                         "documents": _documents(inter_government=True)}  # fmt: skip
    employee, vacancies = await asyncio.gather(
        page.get("proposal", f"/employees/{nip}"),
        page.get("proposal", "/vacancies", nip=nip, qualified_only="false", limit=100),
    )
    return common | {"employee": employee, "vacancies": vacancies, "documents": _documents()}


@router.get("/usulan/baru", name="propose")
async def propose(
    page: Signed,
    q: Annotated[str | None, Query(max_length=100)] = None,
    nip: Annotated[str | None, Query(pattern=r"^\d{18}$")] = None,
    asal: Annotated[str | None, Query(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")] = None,
) -> Response:
    page.require(page.person.has("supervisor", "hr_officer", "approver"))
    page.require(page.person.can("transfer.propose"))
    if asal and asal != page.person.tenant:
        page.require(page.person.has("approver"))  # the receiving PPK asks (PP 11/2017)
    if nip:
        origin = asal if asal != page.person.tenant else None
        return page.render("propose.html", q=q, **await _form_context(page, nip, origin))
    unit = page.person.unit if page.person.has("supervisor") else None
    candidates = await _candidates(page, q.strip(), unit) if q and q.strip() else []
    governments = await _governments(page) if page.person.has("approver") else []
    return page.render(
        "propose.html", q=q, candidates=candidates, searched=bool(q), governments=governments
    )


async def _posted(page: Page) -> dict[str, Any]:
    """The proposal as the form holds it (empty texts as empty strings)."""
    form = await page.request.form()

    def text(name: str) -> str:
        value = form.get(name)
        return value.strip() if isinstance(value, str) else ""

    body: dict[str, Any] = {
        "employee_nip": text("nip"),
        "target_position_code": text("target_position_code"),
        "reasons": text("reasons"),
        "expectations": text("expectations"),
        "effective_date": text("effective_date"),
        "justification": text("justification") or None,
        "documents": [d for d in form.getlist("documents") if isinstance(d, str)],
        "key": text("key"),
    }
    if text("origin_tenant"):
        body["origin_tenant"] = text("origin_tenant")
    return body


@router.post("/usulan/baru/periksa", name="propose_check")
async def check(page: Posted) -> Response:
    """The rule check of the proposal as filled in so far, before it is submitted: a
    fragment under the form (htmx), or the whole page again with the form as it was."""
    page.require(page.person.can("transfer.propose"))
    body = await _posted(page)
    if not NIP.fullmatch(body["employee_nip"]):
        return RedirectResponse("/usulan/baru", status_code=303)
    preview, problem = await _preview(page, body)
    if page.request.headers.get("HX-Request"):
        return page.render("rule_preview.html", preview=preview, preview_problem=problem)
    context = await _form_context(page, body["employee_nip"], body.get("origin_tenant"))
    return page.render(
        "propose.html", chosen=body, preview=preview, preview_problem=problem, **context
    )


async def _preview(page: Page, body: dict[str, Any]) -> tuple[Any, str | None]:
    if not body["target_position_code"]:
        return None, "Pilih jabatan tujuan dahulu, lalu periksa aturan."
    wanted = ("employee_nip", "target_position_code", "origin_tenant", "justification",
              "documents")  # fmt: skip
    request = {k: body[k] for k in wanted if body.get(k) is not None}
    if body["effective_date"]:
        request["effective_date"] = body["effective_date"]
    try:
        return await page.post("proposal", "/rule-checks", request), None
    except NotVisible:
        return None, "Pegawai atau jabatan tidak ditemukan."
    except Refused as refused:
        return None, refused.message


@router.post("/usulan/baru", name="propose_submit")
async def submit(page: Posted) -> Response:
    page.require(page.person.can("transfer.propose"))
    body = await _posted(page)
    nip, key, origin = body["employee_nip"], body.pop("key"), body.get("origin_tenant")
    if not NIP.fullmatch(nip):
        return RedirectResponse("/usulan/baru", status_code=303)
    problem = _check_form(body, page.person.today())
    if problem is None:
        try:
            accepted = await page.post("proposal", "/transfers", body, key=key)
        except Refused as refused:
            problem = refused
        else:
            await page.until_visible(accepted["id"])
            return RedirectResponse(f"/usulan/{accepted['id']}?ok=baru", status_code=303)
    context = await _form_context(page, nip, origin)
    return page.render("propose.html", status=422, error=problem, chosen=body, **context)


def _check_form(body: dict[str, Any], today: date) -> Refused | None:
    """What the person can fix before anything is sent, said in their words."""
    missing = [
        label
        for key, label in (
            ("target_position_code", "jabatan tujuan"),
            ("reasons", "alasan"),
            ("expectations", "harapan"),
            ("effective_date", "TMT"),
        )
        if not body[key]
    ]
    if missing:
        return Refused(422, "Lengkapi dahulu: " + ", ".join(missing))
    try:
        tmt = date.fromisoformat(body["effective_date"])
    except ValueError:
        return Refused(422, "TMT harus berupa tanggal")
    low, high = tmt_range(today)
    if not low <= tmt <= high:
        return Refused(422, "TMT harus antara hari ini dan satu tahun ke depan")
    return None
