"""A report as the file a service answers with: Excel or PDF, named for download."""

from __future__ import annotations

from typing import Literal

from fastapi import Response

from mutasi.reports.model import Report
from mutasi.reports.pdf import render_pdf
from mutasi.reports.xlsx import render_xlsx

Format = Literal["xlsx", "pdf"]
MEDIA = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def as_file(report: Report, kind: Format, name: str) -> Response:
    content = render_xlsx(report) if kind == "xlsx" else render_pdf(report)
    return Response(
        content,
        media_type=MEDIA[kind],
        headers={"Content-Disposition": f'attachment; filename="{name}.{kind}"'},
    )
