"""Objective placement in the browser (issue 13): transfer plans (Rencana mutasi), the ranked
candidates for one post (Kandidat), and aspirations (Aspirasi). Every page and button goes
through the public APIs with the person's token; a button shows only when the policy table
allows its action, and the API decides again.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query
from fastapi.responses import RedirectResponse, Response

from services.web.api import NotVisible, Refused
from services.web.deps import Page, Posted, Signed
from services.web.navigation import Entry, register

router = APIRouter()
PLAN_STATUS = {
    "draft": "Konsep", "optimised": "Teroptimalkan", "approved": "Disetujui",
    "in_progress": "Berjalan", "completed": "Selesai", "cancelled": "Dibatalkan",
}  # fmt: skip
PARTS = {"fit": "Kesesuaian", "workload": "Beban kerja", "aspiration": "Aspirasi",
         "distance": "Jarak", "performance": "SKP"}  # fmt: skip
MEDIA = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "pdf": "application/pdf"}  # fmt: skip

register(Entry("/rencana", "Rencana mutasi", lambda p: p.can("plan.read")), before="/audit")
register(Entry("/kandidat", "Kandidat", lambda p: p.can("candidate.read")), before="/audit")
register(
    Entry("/aspirasi", "Aspirasi", lambda p: p.can("aspiration.list") or p.has("employee")),
    before="/audit",
)


async def _plans_page(page: Page, error: str | None = None, status: int = 200) -> Response:
    plans = await page.get("proposal", "/plans", limit=50)
    units = await page.get("proposal", "/units", limit=200) if page.person.can("plan.draft") else {}
    return page.render("planning_plans.html", status, plans=plans["items"], error=error,
                       units=units.get("items", []), labels=PLAN_STATUS)  # fmt: skip


@router.get("/rencana", name="plans")
async def plans(page: Signed) -> Response:
    page.require(page.person.can("plan.read"))
    return await _plans_page(page)


@router.post("/rencana", name="plan_draft")
async def draft(
    page: Posted,
    title: Annotated[str, Form()],
    period_start: Annotated[str, Form()],
    idempotency_key: Annotated[str, Form()],
    units: Annotated[list[str] | None, Form()] = None,
    max_moves: Annotated[str, Form()] = "",
    max_out: Annotated[str, Form()] = "",
    min_staffing: Annotated[str, Form()] = "",
) -> Response:
    page.require(page.person.can("plan.draft"))
    rules = {"max_moves": max_moves, "max_moves_out_per_unit": max_out,
             "min_staffing_ratio": min_staffing.replace(",", ".")}  # fmt: skip
    body = {"title": title, "scope": {"units": units or [], "period_start": period_start},
            "rules": {k: v for k, v in rules.items() if v.strip()}}  # fmt: skip
    try:
        plan = await page.post("proposal", "/plans", body, key=idempotency_key)
    except Refused as refused:
        return await _plans_page(page, str(refused), status=422)
    return RedirectResponse(f"/rencana/{plan['id']}", status_code=303)


async def _plan_context(page: Page, plan_id: str) -> dict[str, Any]:
    plan = await page.get("proposal", f"/plans/{plan_id}")
    lines = await page.get("proposal", f"/plans/{plan_id}/lines", limit=200)
    return {"plan": plan, "lines": lines["items"], "labels": PLAN_STATUS, "parts": PARTS}


@router.get("/rencana/{plan_id}", name="plan")
async def plan(plan_id: str, page: Signed) -> Response:
    page.require(page.person.can("plan.read"))
    context = await _plan_context(page, plan_id)
    if page.request.headers.get("HX-Request") and not _optimising(context["plan"]):
        # The poll while optimising ends here: the whole page again, with the lines and the
        # steps that are now possible (the partial holds only the status).
        return Response(status_code=204, headers={"HX-Refresh": "true"})
    meetings = []
    if page.person.can("plan.approve") and page.person.can("meeting.read"):
        listed = await page.get("approval", "/meetings", limit=50)
        meetings = [m for m in listed["items"] if m["status"] == "open"]
    template = "planning_plan_status.html" if page.request.headers.get("HX-Request") else None
    return page.render(template or "planning_plan.html", meetings=meetings, **context)


def _optimising(plan: dict[str, Any]) -> bool:
    """Drafted and not yet optimised (nor found infeasible): what the page polls for."""
    return plan["status"] == "draft" and not plan.get("objective")


@router.post("/rencana/{plan_id}/{step}", name="plan_step")
async def plan_step(
    plan_id: str,
    step: str,
    page: Posted,
    idempotency_key: Annotated[str, Form()],
    reason: Annotated[str, Form()] = "",
    effective_date: Annotated[str, Form()] = "",
    meeting_id: Annotated[str, Form()] = "",
) -> Response:
    actions = {"optimalkan": ("plan.optimise", "optimise"), "setujui": ("plan.approve", "approve"),
               "batalkan": ("plan.cancel", "cancel")}  # fmt: skip
    page.require(step in actions and page.person.can(actions[step][0]))
    body: dict[str, Any] = {"reason": reason.strip() or None}
    if step == "setujui":
        body |= {"effective_date": effective_date or None, "meeting_id": meeting_id or None}
    try:
        await page.post("proposal", f"/plans/{plan_id}/{actions[step][1]}", body,
                        key=idempotency_key)  # fmt: skip
    except Refused as refused:
        context = await _plan_context(page, plan_id)
        return page.render("planning_plan.html", 422, error=str(refused), meetings=[], **context)
    return RedirectResponse(f"/rencana/{plan_id}", status_code=303)


@router.get("/rencana/{plan_id}/dokumen.{kind}", name="plan_document")
async def document(plan_id: str, kind: str, page: Signed) -> Response:
    page.require(kind in MEDIA and page.person.can("plan.read"))
    found = await page.api.request("proposal", "GET", f"/plans/{plan_id}/document.{kind}",
                                   page.token)  # fmt: skip
    disposition = f'attachment; filename="rencana-mutasi-{plan_id}.{kind}"'
    return Response(found.content, media_type=MEDIA[kind],
                    headers={"Content-Disposition": disposition})  # fmt: skip


@router.get("/kandidat", name="candidates")
async def candidates(
    page: Signed,
    jabatan: Annotated[str, Query(max_length=120)] = "",
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> Response:
    page.require(page.person.can("candidate.read"))
    positions = await page.get("proposal", "/positions", limit=200)
    ranked, error = None, None
    if jabatan:
        try:
            ranked = await page.get("proposal", f"/vacancies/{jabatan}/candidates", limit=20,
                                    offset=offset)  # fmt: skip
        except NotVisible:
            error = "Jabatan tidak ditemukan di instansi Anda"
    return page.render("planning_candidates.html", positions=positions["items"], chosen=jabatan,
                       ranked=ranked, error=error, offset=offset)  # fmt: skip


async def _aspirations_page(page: Page, error: str | None = None, status: int = 200) -> Response:
    person = page.person
    context: dict[str, Any] = {"error": error}
    if person.has("employee") and person.nip:
        history = await page.get("proposal", f"/employees/{person.nip}/aspirations")
        vacancies = await page.get("proposal", "/vacancies", qualified_only="false", limit=200)
        units = {v["unit_code"]: v["unit_name"] for v in vacancies["items"]}
        context |= {"history": history["items"], "vacancies": vacancies["items"],
                    "units": sorted(units.items(), key=lambda u: u[1])}  # fmt: skip
    if person.can("aspiration.list"):
        context["listed"] = (await page.get("proposal", "/aspirations", limit=100))["items"]
    return page.render("planning_aspirations.html", status, **context)


@router.get("/aspirasi", name="aspirations")
async def aspirations(page: Signed) -> Response:
    page.require(page.person.can("aspiration.list") or page.person.has("employee"))
    return await _aspirations_page(page)


@router.post("/aspirasi", name="aspiration_record")
async def record_aspiration(
    page: Posted,
    reason: Annotated[str, Form()],
    positions: Annotated[list[str] | None, Form()] = None,
    units: Annotated[list[str] | None, Form()] = None,
    cities: Annotated[str, Form()] = "",
) -> Response:
    person = page.person
    page.require(person.has("employee") and bool(person.nip))
    body = {"positions": positions or [], "units": units or [], "reason": reason,
            "cities": [c.strip() for c in cities.split(",") if c.strip()]}  # fmt: skip
    try:
        await page.post("proposal", f"/employees/{person.nip}/aspirations", body)
    except Refused as refused:
        return await _aspirations_page(page, str(refused), status=422)
    return RedirectResponse("/aspirasi", status_code=303)
