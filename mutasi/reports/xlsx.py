"""A report as an Excel workbook: a sheet per table (the text on the first), bold headers.

A cell a spreadsheet would read as a formula (text beginning with =, +, - or @, e.g. a name
typed by someone clever) is written as text: opening a report never runs anything.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from mutasi.reports.model import Report, Table

_FORMULA_START = ("=", "+", "-", "@")
_MAX_WIDTH = 60


def _cell(ws: Any, row: int, column: int, value: Any) -> None:
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        cell.data_type = "s"  # text, not a formula


def _sheet_name(title: str, used: set[str]) -> str:
    name = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31] or "Tabel"
    base, n = name, 2
    while name in used:
        name = f"{base[:28]} {n}"
        n += 1
    used.add(name)
    return name


def _table(ws: Any, table: Table, start: int) -> None:
    for column, title in enumerate(table.columns, 1):
        _cell(ws, start, column, title)
        ws.cell(row=start, column=column).font = Font(bold=True)
    for r, values in enumerate(table.rows, start + 1):
        for c, value in enumerate(values, 1):
            _cell(ws, r, c, value)
    if table.note:
        _cell(ws, start + len(table.rows) + 2, 1, table.note)
    for column in range(1, len(table.columns) + 1):
        longest = max(
            [len(str(table.columns[column - 1]))]
            + [len(str(row[column - 1])) for row in table.rows if column - 1 < len(row)]
        )
        ws.column_dimensions[get_column_letter(column)].width = min(longest + 2, _MAX_WIDTH)


def render_xlsx(report: Report) -> bytes:
    book = Workbook()
    first = book.active
    used: set[str] = set()
    first.title = _sheet_name("Ringkasan", used)
    _cell(first, 1, 1, report.title)
    first.cell(row=1, column=1).font = Font(bold=True, size=14)
    _cell(first, 2, 1, report.subtitle)
    for k, paragraph in enumerate(report.text, 4):
        _cell(first, k, 1, paragraph)
    for table in report.tables:
        _table(book.create_sheet(_sheet_name(table.title, used)), table, 1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
