"""Beranda pegawai: my data, vacancies ranked for me with what I lack, apply online, my
transfers, my notices (SPEC §10: employees mostly on phones)."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response

from mutasi.domain.model import TransferKind, required_documents
from services.web.api import Refused
from services.web.deps import Page, Posted, Signed

router = APIRouter()
TMT_MAX_DAYS = 366


async def _context(page: Page) -> dict[str, Any]:
    nip = page.person.nip
    me, vacancies, transfers, inbox = await asyncio.gather(
        page.get("proposal", f"/employees/{nip}"),
        page.get("proposal", "/vacancies", qualified_only="false", limit=30),
        page.get("proposal", "/transfers", limit=20),
        page.get("notification", "/notifications", limit=5),
    )
    today = page.person.today()
    return {
        "me": me,
        "vacancies": vacancies,
        "transfers": transfers["items"],
        "inbox": inbox,
        "tmt_min": today.isoformat(),
        "tmt_max": (today + timedelta(days=TMT_MAX_DAYS)).isoformat(),
        # What an employee applying for themself attaches (their own request letter).
        "documents": required_documents(TransferKind.WITHIN_GOVERNMENT, self_application=True),
    }


@router.get("/pegawai", name="employee_home")
async def home(page: Signed, ok: str | None = None) -> Response:
    page.require(page.person.has("employee") and page.person.nip is not None)
    return page.render("employee.html", applied=ok == "lamar", **await _context(page))


@router.post("/pegawai/lamar", name="employee_apply")
async def apply(page: Posted) -> Response:
    page.require(page.person.has("employee") and page.person.nip is not None)
    form = await page.request.form()

    def text(name: str) -> str:
        value = form.get(name)
        return value.strip() if isinstance(value, str) else ""

    body = {
        "employee_nip": page.person.nip,
        "target_position_code": text("target_position_code"),
        "reasons": text("reasons"),
        "expectations": text("expectations"),
        "effective_date": text("effective_date"),
        "documents": [d for d in form.getlist("documents") if isinstance(d, str)],
    }
    error: Refused | None = None
    if not all(body[k] for k in ("target_position_code", "reasons", "expectations")):
        error = Refused(422, "Pilih jabatan dan isi alasan serta harapan Anda")
    elif not _in_range(body["effective_date"], page.person.today()):
        error = Refused(422, "TMT harus antara hari ini dan satu tahun ke depan")
    else:
        try:
            accepted = await page.post("proposal", "/transfers", body, key=text("key"))
        except Refused as refused:
            error = refused
        else:
            await page.until_visible(accepted["id"])
            return RedirectResponse(f"/usulan/{accepted['id']}?ok=baru", status_code=303)
    context = await _context(page)
    return page.render("employee.html", status=422, error=error, chosen=body, **context)


def _in_range(value: str, today: date) -> bool:
    try:
        tmt = date.fromisoformat(value)
    except ValueError:
        return False
    return today <= tmt <= today + timedelta(days=TMT_MAX_DAYS)
