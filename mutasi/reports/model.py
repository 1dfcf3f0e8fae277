"""What every report is made of, whatever its format: a title, lines of text, tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Table:
    title: str  # also the sheet's name in Excel (first 31 characters)
    columns: list[str]
    rows: list[list[Any]]
    note: str | None = None


@dataclass(frozen=True)
class Report:
    title: str
    subtitle: str
    tables: list[Table] = field(default_factory=list)
    text: list[str] = field(default_factory=list)  # paragraphs before the tables
