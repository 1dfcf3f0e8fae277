"""Daftar usulan: search, filters, sorting and paging in the query string (a URL can be
shared), and the current list as .xlsx."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query
from fastapi.responses import Response
from openpyxl import Workbook
from openpyxl.styles import Font

from services.web.api import Refused
from services.web.deps import Page, Signed
from services.web.labels import KIND, STATUS
from services.web.templating import tanggal

router = APIRouter()
PAGE_SIZE = 25
EXPORT_MAX = 5000
SORTS = {
    "baru": "Terbaru diajukan",
    "lama": "Terlama diajukan",
    "nama": "Nama pegawai",
    "status": "Status",
    "tmt": "TMT",
    "diperbarui": "Terakhir berubah",
}
Text = Annotated[str | None, Query(max_length=100)]


def _params(**values: Any) -> dict[str, Any]:
    """The filters as the API names them; empty ones left out."""
    return {k: v for k, v in values.items() if v not in (None, "")}


async def _fetch(page: Page, filters: dict[str, Any], limit: int, offset: int) -> Any:
    api_filters = {("from" if k == "dari" else "to" if k == "sampai" else k): v
                   for k, v in filters.items()}  # fmt: skip
    return await page.get("proposal", "/transfers", limit=limit, offset=offset, **api_filters)


@router.get("/usulan", name="transfers")
async def transfers(
    page: Signed,
    q: Text = None,
    status: Text = None,
    unit: Text = None,
    kind: Text = None,
    dari: Text = None,
    sampai: Text = None,
    sort: Text = "baru",
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Response:
    page.require(not page.person.is_employee_only)
    filters = _params(q=q, status=status, unit=unit, kind=kind, dari=dari, sampai=sampai, sort=sort)
    error: Refused | None = None
    try:
        found = await _fetch(page, filters, PAGE_SIZE, offset)
    except Refused as refused:
        error, found = refused, {"items": [], "next_offset": None}
    governments = await page.api.government_names()
    query = urlencode(filters)
    return page.render(
        "transfer_list.html",
        status=422 if error else 200,
        error=error,
        items=found["items"],
        governments=governments,
        filters=filters,
        offset=offset,
        next_offset=found["next_offset"],
        previous=max(offset - PAGE_SIZE, 0) if offset else None,
        query=query,
        statuses=STATUS,
        kinds=KIND,
        sorts=SORTS,
        sort_links={key: urlencode(filters | {"sort": key}) for key in SORTS},
    )


@router.get("/usulan.xlsx", name="transfers_xlsx")
async def transfers_xlsx(
    page: Signed,
    q: Text = None,
    status: Text = None,
    unit: Text = None,
    kind: Text = None,
    dari: Text = None,
    sampai: Text = None,
    sort: Text = "baru",
) -> Response:
    page.require(not page.person.is_employee_only)
    filters = _params(q=q, status=status, unit=unit, kind=kind, dari=dari, sampai=sampai, sort=sort)
    rows: list[dict[str, Any]] = []
    offset: int | None = 0
    while offset is not None and len(rows) < EXPORT_MAX:
        found = await _fetch(page, filters, 200, offset)
        rows += found["items"]
        offset = found["next_offset"]
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    return Response(
        workbook(rows),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="daftar-usulan-{stamp}.xlsx"'},
    )


HEADERS = (
    "Nama pegawai", "NIP", "Status", "Jenis", "Jabatan asal", "Unit asal",
    "Jabatan tujuan", "Unit tujuan", "TMT", "Nomor SK", "Diajukan", "Nomor usulan",
)  # fmt: skip
WIDTHS = (28, 20, 22, 24, 34, 30, 34, 30, 18, 26, 18, 38)


def workbook(rows: list[dict[str, Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Daftar usulan"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for t in rows:
        sheet.append(
            [
                t["employee_name"], t["employee_nip"], STATUS.get(t["status"], t["status"]),
                KIND.get(t["kind"], t["kind"]),
                t.get("origin_position_name") or t["origin_position_code"],
                t.get("origin_unit_name") or t["origin_unit_code"],
                t.get("target_position_name") or t["target_position_code"],
                t.get("target_unit_name") or t["target_unit_code"],
                tanggal(t["effective_date"]), t["decree_number"] or "",
                tanggal(t["created_at"]), t["id"],
            ]
        )  # fmt: skip
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGHIJKL", WIDTHS, strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
