"""A spreadsheet of units or positions read like the employee export: any encoding and
delimiter the domain's reader accepts, headers in Indonesian or English, every problem of a
row collected with its line and column.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from mutasi.domain.csv_format import (
    CsvInvalid,
    Header,
    RowCells,
    RowError,
    decode,
    read_records,
    sniff_delimiter,
    width_error,
)
from mutasi.domain.errors import DomainError

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Column:
    name: str  # our field name
    label: str  # how the column is named in messages
    aliases: tuple[str, ...]  # headers with everything but letters and digits removed
    required: bool = False


def _key(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.casefold())


def map_columns(cells: list[str], columns: Sequence[Column]) -> Header:
    by_alias = {alias: c.name for c in columns for alias in c.aliases}
    mapped: dict[str, int] = {}
    ignored: list[str] = []
    for index, cell in enumerate(cells):
        name = by_alias.get(_key(cell))
        if name is None:
            if _key(cell):
                ignored.append(cell.strip())
        elif name in mapped:
            raise CsvInvalid(
                "csv.duplicate_column",
                f"Kolom '{cell.strip()}' muncul lebih dari sekali",
                f"Column '{cell.strip()}' appears more than once",
            )
        else:
            mapped[name] = index
    missing = [c.label for c in columns if c.required and c.name not in mapped]
    if missing:
        raise CsvInvalid(
            "csv.missing_columns",
            f"Kolom wajib tidak ditemukan: {', '.join(missing)}",
            f"Required columns not found: {', '.join(missing)}",
            missing=missing,
        )
    return Header(mapped, {}, tuple(ignored), len(cells))


class TableRow:
    """One row: values by field name, parsed with every problem recorded against its column."""

    def __init__(self, cells: RowCells, labels: dict[str, str]) -> None:
        self.cells, self.labels, self.line = cells, labels, cells.line

    @property
    def errors(self) -> list[RowError]:
        return self.cells.errors

    def text(self, name: str) -> str:
        return self.cells.text(name)

    def error(self, name: str | None, code: str, message_id: str, message_en: str) -> None:
        self.cells.error(
            self.labels.get(name or "", name), DomainError(code, message_id, message_en)
        )

    def required(self, name: str, parser: Callable[[str], T]) -> T | None:
        label = self.labels[name]
        if not (raw := self.text(name)):
            self.error(
                name, "value.missing", f"Kolom {label} wajib diisi", f"Column {label} is required"
            )
            return None
        return self.cells.parse(label, raw, parser)

    def optional(self, name: str, parser: Callable[[str], T]) -> T | None:
        raw = self.text(name)
        return self.cells.parse(self.labels[name], raw, parser) if raw else None


@dataclass(frozen=True)
class Table:
    encoding: str
    delimiter: str
    ignored_columns: tuple[str, ...]
    rows: list[TableRow]  # every data row, including ones with the wrong number of cells


def read_table(data: bytes, columns: Sequence[Column]) -> Table:
    """Read a whole file; raise CsvInvalid if it is empty or its header lacks a column."""
    text, encoding = decode(data)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    if not first_line:
        raise CsvInvalid("csv.empty", "Berkas kosong", "The file is empty")
    delimiter = sniff_delimiter(first_line)
    labels = {c.name: c.label for c in columns}
    header: Header | None = None
    rows: list[TableRow] = []
    for line, cells in read_records(text, delimiter):
        if not any(cells):
            continue
        if header is None:
            header = map_columns(cells, columns)
            continue
        row = TableRow(RowCells(cells, header, line), labels)
        width_error(row.cells, header.width)
        rows.append(row)
    assert header is not None
    return Table(encoding, delimiter, header.ignored, rows)


def positive_int(low: int, high: int) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        if not re.fullmatch(r"\d{1,6}", raw) or not low <= int(raw) <= high:
            raise DomainError(
                "number.invalid",
                f"'{raw}' bukan bilangan bulat {low}–{high}",
                f"'{raw}' is not a whole number {low}–{high}",
            )
        return int(raw)

    return parse
