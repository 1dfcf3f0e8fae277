"""Import of a SIMPEG-style employee export (CSV) into checked rows, without touching a DB.

Outcome per data row (line numbers are physical lines of the file; the header is line 1):
- refused: one RowError per problem found (a row may have several); nothing of it is used;
- duplicate: an exact repeat of an earlier valid row (same values once parsed): no effect;
- conflict: the NIP of an earlier valid row with different data; the first row is kept and
  the later one is reported, never silently applied;
- superseded: the NIP of an earlier row, same person (birth date, gender), with a strictly
  later TMT Jabatan: a newer record (new post, married name), so it is valid and replaces the
  earlier row in `latest_rows`; reported so the officer sees it.
Empty Tanggal Lahir / Jenis Kelamin are taken from the NIP, which encodes them.
The parse is deterministic: importing the same file again yields the same result.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from mutasi.domain.csv_format import (
    FIELD_LABELS,
    MAX_CSV_BYTES,
    CsvInvalid,
    RowCells,
    RowError,
    decode,
    map_header,
    read_records,
    sniff_delimiter,
    width_error,
)
from mutasi.domain.dates import parse_date
from mutasi.domain.education import EducationLevel, parse_education_level
from mutasi.domain.errors import DomainError
from mutasi.domain.grades import canonical_grade
from mutasi.domain.model import Employee, Sanction
from mutasi.domain.naming import normalise_name, position_code_for
from mutasi.domain.nip import Nip, NipInvalid, parse_gender, parse_nip
from mutasi.domain.performance import Performance, parse_performance
from mutasi.domain.sanctions_text import parse_sanctions

__all__ = [
    "MAX_CSV_BYTES", "Conflict", "CsvInvalid", "Duplicate", "EmployeeImport", "EmployeeRow",
    "RowError", "Superseded", "parse_employee_csv",
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class EmployeeRow:
    line: int
    nip: str
    name: str
    birth_date: date
    gender: str  # 'L' / 'P'
    grade: str  # canonical, e.g. 'III/a'
    position_name: str
    unit_name: str  # spelled as in known_units
    position_since: date
    education_level: EducationLevel
    education_field: str | None
    performance: Mapping[int, Performance]
    sanctions: tuple[Sanction, ...]
    home_city: str | None

    def same_data(self, other: EmployeeRow) -> bool:
        return all(
            getattr(self, f) == getattr(other, f) for f in self.__dataclass_fields__ if f != "line"
        )

    def position_code(self, unit_code: str) -> str:
        return position_code_for(unit_code, self.position_name)

    def to_employee(self, unit_code: str, position_code: str | None = None) -> Employee:
        return Employee(
            nip=self.nip, name=self.name, birth_date=self.birth_date, gender=self.gender,
            grade=self.grade, position_code=position_code or self.position_code(unit_code),
            unit_code=unit_code, position_since=self.position_since,
            education_level=self.education_level, education_field=self.education_field,
            performance=dict(self.performance), sanctions=self.sanctions,
            home_city=self.home_city,
        )  # fmt: skip


class Duplicate(NamedTuple):
    line: int
    first_line: int


class Conflict(NamedTuple):
    line: int
    first_line: int
    nip: str


class Superseded(NamedTuple):
    line: int  # the newer row
    earlier_line: int
    nip: str


@dataclass(frozen=True)
class EmployeeImport:
    rows: list[EmployeeRow]
    errors: list[RowError]
    duplicates: list[Duplicate]
    conflicts: list[Conflict]
    superseded: list[Superseded] = field(default_factory=list)
    encoding: str = "utf-8-sig"
    delimiter: str = ";"
    skp_years: tuple[int, ...] = ()
    ignored_columns: tuple[str, ...] = ()

    @property
    def refused_lines(self) -> list[int]:
        return sorted({e.line for e in self.errors})

    @property
    def latest_rows(self) -> list[EmployeeRow]:
        """One row per NIP, the newest: what a database should hold after the import."""
        replaced = {s.earlier_line for s in self.superseded}
        return [row for row in self.rows if row.line not in replaced]


def _known_unit(units: Mapping[str, str]) -> Callable[[str], str]:
    def find(raw: str) -> str:
        if (name := units.get(normalise_name(raw))) is None:
            raise DomainError(
                "unit.unknown",
                f"Unit kerja '{raw}' tidak dikenal di instansi ini",
                f"Unit '{raw}' is not known in this government",
            )
        return name

    return find


def _not_future(today: date) -> Callable[[str], date]:
    def parse(raw: str) -> date:
        day = parse_date(raw)
        if day > today:
            raise DomainError(
                "date.future",
                f"Tanggal {day:%d-%m-%Y} berada di masa depan",
                f"Date {day.isoformat()} is in the future",
            )
        return day

    return parse


def _check_against_nip(
    cells: RowCells, nip: Nip, birth: date | None, gender: str | None, since: date | None
) -> None:
    for name, given in (("birth_date", {"birth_date": birth}), ("gender", {"gender": gender})):
        if None not in given.values():
            try:
                parse_nip(nip.value, **given)
            except NipInvalid as problem:
                cells.error(FIELD_LABELS[name], problem)
    if since is not None and (since.year, since.month) < nip.cpns_start:
        cells.error(FIELD_LABELS["position_since"], DomainError(
            "position_since.before_cpns",
            f"TMT Jabatan {since:%d-%m-%Y} sebelum TMT CPNS dalam NIP",
            f"TMT Jabatan {since.isoformat()} is before the CPNS start inside the NIP",
        ))  # fmt: skip


def _performance(cells: RowCells) -> dict[int, Performance]:
    ratings: dict[int, Performance] = {}
    for year, index in sorted(cells.header.skp_columns.items()):
        raw = cells.cells[index] if index < len(cells.cells) else ""
        if raw and (rating := cells.parse(f"SKP {year}", raw, parse_performance)):
            ratings[year] = rating
    return ratings


def _parse_row(cells: RowCells, units: Mapping[str, str], today: date) -> EmployeeRow | None:
    nip = cells.required("nip", lambda raw: parse_nip(raw, today=today))
    name = cells.required("name", str)
    birth = cells.optional("birth_date", _not_future(today))
    gender = cells.optional("gender", parse_gender)
    grade = cells.required("grade", canonical_grade)
    position = cells.required("position", str)
    unit = cells.required("unit", _known_unit(units))
    since = cells.required("position_since", _not_future(today))
    education = cells.required("education_level", parse_education_level)
    sanctions = cells.optional("sanctions", parse_sanctions) or ()
    performance = _performance(cells)
    if nip is not None:
        _check_against_nip(cells, nip, birth, gender, since)
    if cells.errors:
        return None
    assert nip and name and grade and position and unit and since and education
    return EmployeeRow(
        line=cells.line, nip=nip.value, name=name, birth_date=nip.birth_date,
        gender=nip.gender, grade=grade, position_name=position, unit_name=unit,
        position_since=since, education_level=education,
        education_field=cells.text("education_field") or None, performance=performance,
        sanctions=sanctions, home_city=cells.text("home_city") or None,
    )  # fmt: skip


@dataclass
class _Outcome:
    rows: list[EmployeeRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    superseded: list[Superseded] = field(default_factory=list)
    by_nip: dict[str, list[EmployeeRow]] = field(default_factory=dict)

    def add(self, row: EmployeeRow) -> None:
        earlier = self.by_nip.setdefault(row.nip, [])
        if same := next((e for e in earlier if e.same_data(row)), None):
            self.duplicates.append(Duplicate(row.line, same.line))
            return
        if earlier:
            current = earlier[-1]
            newer = (
                row.birth_date == current.birth_date
                and row.gender == current.gender
                and row.position_since > current.position_since
            )
            if not newer:
                self.conflicts.append(Conflict(row.line, earlier[0].line, row.nip))
                return
            self.superseded.append(Superseded(row.line, current.line, row.nip))
        earlier.append(row)
        self.rows.append(row)


def parse_employee_csv(data: bytes, *, known_units: set[str], today: date) -> EmployeeImport:
    """Check every row of an employee export; raise CsvInvalid if the file is unreadable."""
    text, encoding = decode(data)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    if not first_line:
        raise CsvInvalid("csv.empty", "Berkas kosong", "The file is empty")
    delimiter = sniff_delimiter(first_line)
    units = {normalise_name(name): name for name in known_units}
    outcome, header = _Outcome(), None
    for line, cells in read_records(text, delimiter):
        if not any(cells):
            continue  # blank lines, and rows of empty cells Excel leaves at the end
        if header is None:
            header = map_header(cells)
            continue
        row_cells = RowCells(cells, header, line)
        row = None if width_error(row_cells, header.width) else _parse_row(row_cells, units, today)
        outcome.errors.extend(row_cells.errors)
        if row is not None:
            outcome.add(row)
    assert header is not None
    return EmployeeImport(
        rows=outcome.rows, errors=outcome.errors, duplicates=outcome.duplicates,
        conflicts=outcome.conflicts, superseded=outcome.superseded, encoding=encoding,
        delimiter=delimiter, skp_years=tuple(sorted(header.skp_columns)),
        ignored_columns=header.ignored,
    )  # fmt: skip
