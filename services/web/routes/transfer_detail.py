"""Detail usulan: from → to, reasons, TMT, the rule check explained, documents, the timeline
from the audit log with each entry's hash, the decree, and the forms of the steps I may take.
"""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import Response

from services.web.deps import Page, PageNotFound, Signed
from services.web.labels import RULE
from services.web.steps import DECISIONS, forms_for, proposer_of

router = APIRouter()
FLASH = {
    "langkah": "Langkah Anda tercatat.",
    "perbaiki": "Usulan diperbaiki dan diajukan kembali; pemeriksaan aturan berjalan lagi.",
    "tarik": "Usulan ditarik.",
    "batal-sk": "SK dibatalkan dengan SK pembatalan; pegawai tetap pada jabatannya.",
    "agenda": "Usulan dimasukkan ke agenda rapat.",
    "lampiran": "Dokumen diunggah dan tercatat di log.",
    "baru": "Usulan diajukan. Sistem sedang memeriksa aturan R1–R10.",
}


def transfer_id(value: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        raise PageNotFound() from None


def proposal_text(timeline: dict[str, Any]) -> dict[str, Any]:
    """Reasons, expectations, TMT and justification as last submitted or revised."""
    text: dict[str, Any] = {}
    for entry in timeline["items"]:
        if entry["action"] in ("transfer.submitted", "transfer.revised"):
            text.update({k: v for k, v in entry["payload"].items() if v not in (None, "")})
    return text


def rule_rows(check: dict[str, Any] | None) -> list[dict[str, Any]]:
    """R1–R10 each with its outcome and the fact that decided it. A check recorded before
    every rule's outcome was kept (2026-11-30) holds only failures and warnings: its other
    rules were met, but their facts were not recorded, and the page says so."""
    if check is None:
        return []
    outcomes = {r["code"]: ("terpenuhi" if r["passed"] else "catatan", r)
                for r in check.get("rules") or []}  # fmt: skip
    outcomes |= {f["code"]: ("gagal", f) for f in check["failures"]}
    outcomes |= {w["code"]: ("peringatan", w) for w in check["warnings"]}
    rows = []
    for code, name in RULE.items():
        outcome, finding = outcomes.get(code, ("terpenuhi", None))
        rows.append({"code": code, "name": name, "outcome": outcome, "finding": finding})
    return rows


async def detail_context(page: Page, tid: UUID) -> dict[str, Any]:
    path = f"/transfers/{tid}"
    transfer = await page.get("proposal", path)
    checks, attachments, progress, timeline, governments = await asyncio.gather(
        page.get("proposal", f"{path}/checks"),
        page.get("proposal", f"{path}/attachments"),
        page.get("approval", f"{path}/progress"),
        page.get("approval", f"{path}/timeline", limit=200),
        page.api.government_names(),
    )
    forms = forms_for(page.person, transfer, progress, proposer_of(timeline))
    meetings = []
    if forms.place_on_agenda:
        listed = await page.get("approval", "/meetings", limit=50)
        meetings = [m for m in listed["items"] if m["status"] == "open"]
    check = checks["items"][-1] if checks["items"] else None
    return {
        "t": transfer,
        "progress": progress,
        "check": check,
        "rules": rule_rows(check),
        "attachments": attachments,
        "timeline": timeline,
        "text": proposal_text(timeline),
        "forms": forms,
        "decision": DECISIONS.get(forms.decision or ""),
        "meetings": meetings,
        "governments": governments,
        "can_upload": page.person.can("attachment.upload") and forms.withdraw,
    }


@router.get("/usulan/{tid}", name="transfer")
async def transfer(tid: str, page: Signed, ok: str | None = None) -> Response:
    context = await detail_context(page, transfer_id(tid))
    return page.render("transfer.html", flash=FLASH.get(ok or ""), **context)
