"""What an import did, row by row: the report the officer reads and the run keeps.

Counts are of data rows. A valid row is `created` (new record), `updated` (an existing record
changed), or `unchanged` (the database already holds exactly this); `imported` is created plus
updated. A row that repeats an earlier one exactly is a `duplicate`; a row that disagrees with
an earlier row or with the database without being allowed to replace it is a `conflict` and is
not applied; a row with any invalid value is `refused`. Every row lands in exactly one count.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from mutasi.domain.csv_format import RowError

ImportKind = Literal["employees", "positions", "units", "assessments"]


class RowProblem(BaseModel):
    line: int = Field(description="Nomor baris dalam berkas (baris judul = 1)")
    column: str | None = Field(default=None, description="Kolom sebagaimana tertulis di berkas")
    code: str
    message: str = Field(description="Alasan (Bahasa Indonesia)")
    message_en: str
    key: str | None = Field(default=None, description="NIP atau kode yang bersangkutan")
    first_line: int | None = Field(default=None, description="Baris sebelumnya yang bertentangan")

    @classmethod
    def from_error(cls, error: RowError) -> RowProblem:
        return cls(
            line=error.line,
            column=error.column,
            code=error.code,
            message=error.message_id,
            message_en=error.message_en,
        )


class Duplicate(BaseModel):
    line: int
    first_line: int


class Superseded(BaseModel):
    line: int = Field(description="Baris yang lebih baru")
    earlier_line: int
    key: str


class Counts(BaseModel):
    rows: int = 0
    imported: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    conflicts: int = 0
    refused: int = 0


class ImportReport(BaseModel):
    id: str
    tenant: str
    kind: ImportKind
    filename: str | None = None
    file_sha256: str
    encoding: str | None = None
    delimiter: str | None = None
    counts: Counts = Field(default_factory=Counts)
    summary: str = ""
    errors: list[RowProblem] = Field(default_factory=list, description="Baris yang ditolak")
    duplicates: list[Duplicate] = Field(default_factory=list)
    conflicts: list[RowProblem] = Field(default_factory=list)
    superseded: list[Superseded] = Field(default_factory=list)
    created_positions: list[str] = Field(default_factory=list)
    ignored_columns: list[str] = Field(default_factory=list)

    def finish(self, outcomes: dict[int, str]) -> ImportReport:
        """Fill the counts from each valid row's outcome and the problems already listed."""
        c = self.counts
        for outcome in outcomes.values():
            setattr(c, outcome, getattr(c, outcome) + 1)
        c.imported = c.created + c.updated
        c.duplicates = len(self.duplicates)
        c.conflicts = len(self.conflicts)
        c.refused = len({e.line for e in self.errors})
        c.rows = c.imported + c.unchanged + c.duplicates + c.conflicts + c.refused
        self.summary = summary_line(c)
        return self


def summary_line(c: Counts) -> str:
    return (
        f"{c.imported} diimpor ({c.created} baru, {c.updated} diperbarui), "
        f"{c.unchanged} tidak berubah, {c.duplicates} duplikat, {c.conflicts} konflik, "
        f"{c.refused} ditolak"
    )


def report_lines(report: ImportReport) -> list[str]:
    """The report as lines for a terminal: every problem with its line, then the summary."""
    lines = [
        f"baris {e.line}: ditolak — {e.column + ': ' if e.column else ''}{e.message}"
        for e in sorted(report.errors, key=lambda e: e.line)
    ]
    lines += [
        f"baris {d.line}: duplikat dari baris {d.first_line}, diabaikan" for d in report.duplicates
    ]
    lines += [f"baris {c.line}: konflik — {c.message}" for c in report.conflicts]
    lines += [
        f"baris {s.line}: data lebih baru untuk {s.key} (menggantikan baris {s.earlier_line})"
        for s in report.superseded
    ]
    if report.created_positions:
        lines.append(f"jabatan baru dibuat: {', '.join(report.created_positions)}")
    if report.ignored_columns:
        lines.append(f"kolom diabaikan: {', '.join(report.ignored_columns)}")
    lines.append(report.summary)
    return lines
