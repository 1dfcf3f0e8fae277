"""Analisis beban kerja (needed vs filled per unit, as a chart and a table) and Data induk
(upload a CSV import and read its row report)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from services.web.api import Refused
from services.web.deps import PageNotFound, Posted, Signed

router = APIRouter()
KINDS = {"employees": "Pegawai", "positions": "Jabatan", "units": "Unit kerja"}
BAR_HEIGHT = 12


def chart(units: list[dict[str, Any]]) -> dict[str, Any]:
    """Geometry of a horizontal bar chart drawn as inline SVG (no script, no chart library)."""
    top = max([max(u["needed"], u["filled"]) for u in units] or [1]) or 1
    rows = []
    for i, u in enumerate(units):
        rows.append(
            {
                "y": i * (BAR_HEIGHT * 2 + 10),
                "label": u["unit_name"],
                "needed": u["needed"],
                "filled": u["filled"],
                "needed_w": round(100 * u["needed"] / top, 2),
                "filled_w": round(100 * u["filled"] / top, 2),
                "status": u["status"],
            }
        )
    return {"rows": rows, "height": len(rows) * (BAR_HEIGHT * 2 + 10), "bar": BAR_HEIGHT}


@router.get("/beban-kerja", name="workload")
async def workload(page: Signed) -> Response:
    page.require(page.person.can("workload.read"))
    data = await page.get("proposal", "/workload", limit=200)
    return page.render("workload.html", w=data, chart=chart(data["items"]))


@router.get("/data-induk", name="master_data")
async def master_data(page: Signed) -> Response:
    page.require(page.person.can("master.import"))
    runs = await page.get("proposal", "/imports", limit=20)
    return page.render("master_data.html", runs=runs["items"], kinds=KINDS)


@router.post("/data-induk", name="master_data_upload")
async def upload(page: Posted) -> Response:
    page.require(page.person.can("master.import"))
    form = await page.request.form()
    kind = form.get("kind")
    file = form.get("file")
    error: Refused | None = None
    if kind not in KINDS:
        error = Refused(422, "Pilih jenis data yang diimpor")
    elif not isinstance(file, UploadFile) or not file.filename:
        error = Refused(422, "Pilih berkas CSV yang akan diimpor")
    else:
        files = {"file": (file.filename, await file.read(), "text/csv")}
        key = form.get("key")
        try:
            report = await page.post(
                "proposal", f"/imports/{kind}", files=files, data={},
                key=key if isinstance(key, str) else None,
            )  # fmt: skip
        except Refused as refused:
            error = refused
        else:
            return page.render("import_report.html", report=report, kinds=KINDS)
    runs = await page.get("proposal", "/imports", limit=20)
    return page.render("master_data.html", status=422, error=error, runs=runs["items"], kinds=KINDS)


@router.get("/data-induk/laporan/{run_id}", name="import_report")
async def report(run_id: str, page: Signed) -> Response:
    page.require(page.person.can("master.import"))
    try:
        run = UUID(run_id)
    except ValueError:
        raise PageNotFound() from None
    data = await page.get("proposal", f"/imports/reports/{run}")
    return page.render("import_report.html", report=data, kinds=KINDS)


@router.get("/beban-kerja/unit", name="workload_unit_redirect")
async def unit_redirect(unit: Annotated[str, Query(max_length=120)]) -> Response:
    return RedirectResponse(f"/beban-kerja#unit-{unit}", status_code=303)
