"""CSV cells that a spreadsheet shows as text and never runs (CSV / formula injection).

An export opened in Excel or LibreOffice runs a cell that begins with `=`, `+`, `-`, `@`, a
tab or a carriage return as a formula (`=HYPERLINK(…)`, DDE): a reason typed by one officer
would act on the machine of the auditor who opens the export (issue 15, finding 14). Such a
cell is written with a leading apostrophe, which spreadsheets read as "text". The apostrophe
is added to a cell that already begins with one too, so the rule stays reversible for a
program re-checking hashes from the CSV: drop one leading apostrophe if there is one.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def safe_cell(value: Any) -> Any:
    """The cell as a spreadsheet shows it inertly; numbers and empty cells are unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def original(cell: str) -> str:
    """What `safe_cell` was given, for a reader that needs the exact text back."""
    return cell[1:] if cell.startswith("'") else cell
