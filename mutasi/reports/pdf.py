"""A report as a PDF (A4 landscape): title, text, then each table with its header repeated
on every page. A core font, as the decrees use: text is made latin-1 safe the same way."""

from __future__ import annotations

from typing import Any

from fpdf import FPDF
from fpdf.fonts import FontFace

from mutasi.documents.decree_pdf import pdf_text
from mutasi.reports.model import Report, Table

FONT = "Helvetica"


class _ReportPDF(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(orientation="L", format="A4")
        self.report_title = title

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.cell(0, 6, pdf_text(f"{self.report_title} - halaman {self.page_no()}"), align="R")


def _text(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.2f}"
    return pdf_text(str(value))


def _table(pdf: FPDF, table: Table) -> None:
    pdf.set_font(FONT, style="B", size=11)
    pdf.multi_cell(0, 7, _text(table.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=8)
    if not table.rows:
        pdf.multi_cell(0, 5, "(tidak ada data)", new_x="LMARGIN", new_y="NEXT")
    else:
        with pdf.table(
            headings_style=FontFace(emphasis="BOLD", fill_color=(230, 230, 230)),
            line_height=4.5,
            text_align="LEFT",
            repeat_headings=1,
        ) as grid:
            grid.row([_text(c) for c in table.columns])
            for values in table.rows:
                grid.row([_text(v) for v in values])
    if table.note:
        pdf.set_font(FONT, style="I", size=8)
        pdf.multi_cell(0, 5, _text(table.note), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)


def render_pdf(report: Report) -> bytes:
    pdf = _ReportPDF(pdf_text(report.title))
    pdf.set_auto_page_break(True, 15)
    pdf.set_creator("Mutasi")
    pdf.set_title(pdf_text(report.title))
    pdf.add_page()
    pdf.set_font(FONT, style="B", size=14)
    pdf.multi_cell(0, 8, _text(report.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=10)
    pdf.multi_cell(0, 6, _text(report.subtitle), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for paragraph in report.text:
        pdf.multi_cell(0, 5, _text(paragraph) if paragraph else " ", new_x="LMARGIN",
                       new_y="NEXT")  # fmt: skip
    if report.text:
        pdf.ln(3)
    for table in report.tables:
        _table(pdf, table)
    return bytes(pdf.output())
