"""Reading a spreadsheet export: encoding, delimiter and a header mapped to our field names.

Officers export from SIMPEG or re-save in Excel, so the same file arrives as UTF-8 (with or
without BOM), Windows-1252 or Latin-1, separated by `;`, `,` or tabs, with headers in
Indonesian or English, in any case and spacing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple, TypeVar

from mutasi.domain.errors import DomainError

MAX_CSV_BYTES = 5 * 1024 * 1024  # 5 MiB: ~40,000 employee rows, above any one government

_DELIMITERS = (";", ",", "\t", "|")

# Header aliases, keyed by the header with everything but letters and digits removed.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "nip": ("nip", "nipbaru", "nomorindukpegawai"),
    "name": ("nama", "namalengkap", "namapegawai", "name", "fullname"),
    "birth_date": ("tanggallahir", "tgllahir", "tgllhr", "birthdate", "dateofbirth"),
    "gender": ("jeniskelamin", "jk", "kelamin", "gender", "sex"),
    "grade": ("golruang", "golonganruang", "golongan", "gol", "pangkatgolongan", "grade"),
    "position": ("jabatan", "namajabatan", "position", "positionname"),
    "unit": ("unitkerja", "unit", "opd", "satuankerja", "satker", "perangkatdaerah"),
    "position_since": ("tmtjabatan", "tmt", "positionsince"),
    "education_level": (
        "pendidikanterakhir", "pendidikan", "jenjangpendidikan", "tingkatpendidikan",
        "educationlevel", "education",
    ),
    "education_field": ("jurusan", "programstudi", "prodi", "educationfield", "major"),
    "sanctions": ("hukumandisiplin", "hukdis", "sanksi", "sanctions", "disciplinarysanction"),
    "home_city": ("domisili", "kotadomisili", "homecity", "city"),
}  # fmt: skip
REQUIRED_FIELDS = (
    "nip", "name", "grade", "position", "unit", "position_since", "education_level",
)  # fmt: skip
# Shown in messages so the officer recognises the column as it appears in their file.
FIELD_LABELS = {
    "nip": "NIP", "name": "Nama", "birth_date": "Tanggal Lahir", "gender": "Jenis Kelamin",
    "grade": "Gol/Ruang", "position": "Jabatan", "unit": "Unit Kerja",
    "position_since": "TMT Jabatan", "education_level": "Pendidikan Terakhir",
    "education_field": "Jurusan", "sanctions": "Hukuman Disiplin", "home_city": "Domisili",
}  # fmt: skip
T = TypeVar("T")
_SKP_HEADER = re.compile(r"^(?:skp|predikatskp|nilaiskp|performance)(\d{4})$")
_FIELD_BY_ALIAS = {alias: name for name, aliases in HEADER_ALIASES.items() for alias in aliases}


class CsvInvalid(DomainError):
    """The file as a whole cannot be read; nothing of it is imported."""


@dataclass(frozen=True, slots=True)
class Header:
    columns: dict[str, int]  # field name -> column index
    skp_columns: dict[int, int]  # year -> column index
    ignored: tuple[str, ...]  # headers we do not know, left untouched
    width: int


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was read with: UTF-8 first, else Windows-1252, else Latin-1."""
    if len(data) > MAX_CSV_BYTES:
        raise CsvInvalid(
            "csv.too_large",
            f"Berkas terlalu besar ({len(data):,} byte); batas {MAX_CSV_BYTES:,} byte",
            f"File too large ({len(data):,} bytes); the limit is {MAX_CSV_BYTES:,} bytes",
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"  # every byte is a Latin-1 character


def sniff_delimiter(header_line: str) -> str:
    """The delimiter that splits the header into the most cells (headers never contain it)."""
    return max(_DELIMITERS, key=header_line.count)


def _key(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.casefold())


def map_header(cells: list[str]) -> Header:
    columns: dict[str, int] = {}
    skp: dict[int, int] = {}
    ignored: list[str] = []
    for index, cell in enumerate(cells):
        key = _key(cell)
        if match := _SKP_HEADER.match(key):
            skp[int(match.group(1))] = index
        elif (name := _FIELD_BY_ALIAS.get(key)) is not None:
            if name in columns:
                raise CsvInvalid(
                    "csv.duplicate_column",
                    f"Kolom '{cell.strip()}' muncul lebih dari sekali",
                    f"Column '{cell.strip()}' appears more than once",
                )
            columns[name] = index
        elif key:
            ignored.append(cell.strip())
    missing = [FIELD_LABELS[f] for f in REQUIRED_FIELDS if f not in columns]
    if missing:
        raise CsvInvalid(
            "csv.missing_columns",
            f"Kolom wajib tidak ditemukan: {', '.join(missing)}",
            f"Required columns not found: {', '.join(missing)}",
            missing=missing,
        )
    return Header(columns, skp, tuple(ignored), len(cells))


class RowError(NamedTuple):
    line: int
    column: str | None  # as labelled in the file, e.g. "Tanggal Lahir"
    code: str
    message_id: str
    message_en: str


class RowCells:
    """One row's cells by field name, collecting every problem instead of stopping at one."""

    def __init__(self, cells: list[str], header: Header, line: int) -> None:
        self.cells, self.header, self.line = cells, header, line
        self.errors: list[RowError] = []

    def text(self, name: str) -> str:
        index = self.header.columns.get(name)
        return self.cells[index] if index is not None and index < len(self.cells) else ""

    def error(self, column: str | None, problem: DomainError) -> None:
        self.errors.append(
            RowError(self.line, column, problem.code, problem.message_id, problem.message_en)
        )

    def parse(self, column: str, raw: str, parser: Callable[[str], T]) -> T | None:
        try:
            return parser(raw)
        except DomainError as problem:
            self.error(column, problem)
            return None

    def required(self, name: str, parser: Callable[[str], T]) -> T | None:
        label = FIELD_LABELS[name]
        if not (raw := self.text(name)):
            self.error(
                label,
                DomainError(
                    "value.missing", f"Kolom {label} wajib diisi", f"Column {label} is required"
                ),
            )
            return None
        return self.parse(label, raw, parser)

    def optional(self, name: str, parser: Callable[[str], T]) -> T | None:
        raw = self.text(name)
        return self.parse(FIELD_LABELS[name], raw, parser) if raw else None


def _clean(cell: str) -> str:
    # Excel pads with non-breaking spaces; officers leave stray spaces around values.
    return " ".join(cell.replace("\xa0", " ").split())


def width_error(cells: RowCells, width: int) -> bool:
    extra = cells.cells[width:]
    if len(cells.cells) < width or any(extra):
        cells.error(None, DomainError(
            "row.columns",
            f"Baris berisi {len(cells.cells)} kolom, seharusnya {width} "
            "(periksa pemisah dan tanda kutip)",
            f"The row has {len(cells.cells)} columns instead of {width} "
            "(check delimiters and quotes)",
        ))  # fmt: skip
        return True
    return False


def read_records(text: str, delimiter: str) -> Iterable[tuple[int, list[str]]]:
    """(first physical line, cleaned cells) per record; a quoted cell may span lines."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    next_line = 1
    for record in reader:
        yield next_line, [_clean(cell) for cell in record]
        next_line = reader.line_num + 1
