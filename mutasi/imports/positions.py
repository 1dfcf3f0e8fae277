"""Import of positions (jabatan) with their ABK need and requirements: upserted by code.

A row without a code keeps the code of the position of the same name in the same unit, or
gets `position_code_for(unit, name)`. An empty optional cell keeps what the database holds
(a new position gets the defaults: kind guessed from the name). Moving a position that
employees hold to another unit is a conflict: they would sit in a unit their post is not in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import asyncpg

from mutasi.domain.competency import STANDARD_COLUMNS, parse_level, parse_technical
from mutasi.domain.education import parse_education_level
from mutasi.domain.errors import DomainError
from mutasi.domain.naming import guess_position_kind, normalise_name, position_code_for
from mutasi.imports.context import FirstByKey, ImportContext
from mutasi.imports.report import RowProblem
from mutasi.imports.table import Column, TableRow, positive_int, read_table
from mutasi.imports.units import code_text

COLUMNS = (
    Column("code", "Kode Jabatan", ("kodejabatan", "kode", "positioncode", "code")),
    Column(
        "name",
        "Nama Jabatan",
        ("namajabatan", "jabatan", "nama", "position", "positionname", "name"),
        required=True,
    ),
    Column(
        "unit",
        "Unit Kerja",
        ("unitkerja", "unit", "opd", "kodeunit", "unitcode", "perangkatdaerah"),
        required=True,
    ),
    Column("kind", "Jenis Jabatan", ("jenisjabatan", "jenis", "kind", "positionkind")),
    Column("class", "Kelas Jabatan", ("kelasjabatan", "kelas", "class", "positionclass")),
    Column(
        "level",
        "Pendidikan Minimal",
        ("pendidikanminimal", "pendidikan", "jenjangpendidikan", "educationlevel"),
    ),
    Column(
        "fields",
        "Bidang Pendidikan",
        ("bidangpendidikan", "jurusan", "kualifikasipendidikan", "educationfields"),
    ),
    Column("competencies", "Kompetensi", ("kompetensi", "standarkompetensi", "competencies")),
    Column("needed", "Kebutuhan", ("kebutuhan", "kebutuhanabk", "abk", "needed"), required=True),
    # A competency standard (standar kompetensi jabatan): one column per managerial and
    # socio-cultural competency with its required level, and the technical ones together.
    *(
        Column(name, name, ("".join(ch for ch in name.casefold() if ch.isalnum()),))
        for name in STANDARD_COLUMNS
    ),
    Column("technical", "Kompetensi Teknis", ("kompetensiteknis", "technicalcompetencies")),
)
_KINDS = {
    "jpt": "JPT", "jptpratama": "JPT", "jptmadya": "JPT", "pimpinantinggi": "JPT",
    "jabatanpimpinantinggi": "JPT", "administrator": "administrator", "pengawas": "pengawas",
    "pelaksana": "pelaksana", "jfu": "pelaksana", "fungsionalumum": "pelaksana",
    "fungsional": "fungsional", "jft": "fungsional", "fungsionaltertentu": "fungsional",
}  # fmt: skip
_SPLIT = re.compile(r"[,;|]")
_COMPETENCY = re.compile(r"^(.+?)\s*[:=]\s*([0-5])$")


def parse_kind(raw: str) -> str:
    kind = _KINDS.get(re.sub(r"[^a-z]", "", raw.casefold()))
    if kind is None:
        raise DomainError(
            "position.kind_invalid",
            f"Jenis jabatan tidak dikenal: '{raw}' "
            "(JPT, administrator, pengawas, pelaksana, fungsional)",
            f"Unknown position kind: '{raw}'",
        )
    return kind


def parse_fields(raw: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(f.strip() for f in _SPLIT.split(raw) if f.strip()))


def parse_competencies(raw: str) -> tuple[tuple[str, int], ...]:
    found: dict[str, int] = {}
    for item in (i.strip() for i in _SPLIT.split(raw) if i.strip()):
        if not (m := _COMPETENCY.match(item)):
            raise DomainError(
                "competency.invalid",
                f"Kompetensi '{item}' harus ditulis 'Nama:tingkat' (tingkat 0–5)",
                f"Competency '{item}' must read 'Name:level' (level 0–5)",
            )
        found[m.group(1)] = int(m.group(2))
    return tuple(sorted(found.items()))


@dataclass(frozen=True, slots=True)
class PositionRow:
    line: int
    code: str
    name: str
    unit_code: str
    kind: str | None
    class_: int | None
    level: str | None
    fields: tuple[str, ...] | None
    competencies: tuple[tuple[str, int], ...] | None
    needed: int

    def values(self) -> tuple[object, ...]:
        return (
            self.name,
            self.unit_code,
            self.kind,
            self.class_,
            self.level,
            self.fields,
            self.competencies,
            self.needed,
        )


class _Known:
    """The tenant's units and positions, to resolve names and codes."""

    def __init__(self, units: list[asyncpg.Record], positions: list[asyncpg.Record]) -> None:
        self.unit_codes = {u["code"] for u in units}
        self.unit_by_name = {normalise_name(u["name"]): u["code"] for u in units}
        self.positions = {p["code"]: p for p in positions}
        self.by_name = {(p["unit_code"], normalise_name(p["name"])): p["code"] for p in positions}

    def unit(self, raw: str) -> str:
        code = raw if raw in self.unit_codes else self.unit_by_name.get(normalise_name(raw))
        if code is None:
            raise DomainError(
                "unit.unknown",
                f"Unit kerja '{raw}' tidak dikenal di instansi ini",
                f"Unit '{raw}' is not known in this government",
            )
        return code


def _standard(
    row: TableRow, listed: tuple[tuple[str, int], ...] | None
) -> tuple[tuple[str, int], ...] | None:
    """The row's required levels from every competency column; None if it names none."""
    levels = dict(listed or ())
    for name in STANDARD_COLUMNS:
        if (level := row.optional(name, parse_level)) is not None:
            levels[name] = level
    levels |= row.optional("technical", parse_technical) or {}
    if listed is None and not levels:
        return None
    return tuple(sorted(levels.items()))


def _parse(row: TableRow, known: _Known) -> PositionRow | None:
    code = row.optional("code", code_text)
    name = row.required("name", str)
    unit = row.required("unit", known.unit)
    kind = row.optional("kind", parse_kind)
    class_ = row.optional("class", positive_int(1, 17))
    level = row.optional("level", parse_education_level)
    fields = row.optional("fields", parse_fields)
    competencies = _standard(row, row.optional("competencies", parse_competencies))
    needed = row.required("needed", positive_int(0, 100_000))
    if row.errors or name is None or unit is None or needed is None:
        return None
    code = code or known.by_name.get((unit, normalise_name(name))) or position_code_for(unit, name)
    return PositionRow(
        row.line,
        code,
        name,
        unit,
        kind,
        class_,
        level.value if level else None,
        fields,
        competencies,
        needed,
    )


async def import_positions(conn: asyncpg.Connection, ctx: ImportContext) -> dict[int, str]:
    table = read_table(ctx.data, COLUMNS)
    report = ctx.report
    report.encoding, report.delimiter = table.encoding, table.delimiter
    report.ignored_columns = list(table.ignored_columns)
    known = _Known(
        await conn.fetch("SELECT code, name FROM units WHERE tenant = $1", ctx.tenant),
        await conn.fetch(
            "SELECT p.code, p.name, p.unit_code, p.kind, p.class, p.required_education_level,"
            " p.required_education_fields, p.required_competencies, p.needed, f.filled"
            " FROM positions p JOIN position_filled f ON f.tenant = p.tenant"
            " AND f.position_code = p.code WHERE p.tenant = $1",
            ctx.tenant,
        ),
    )
    first, outcomes = FirstByKey("kode jabatan"), {}
    for table_row in table.rows:
        row = None if table_row.errors else _parse(table_row, known)
        report.errors += [RowProblem.from_error(e) for e in table_row.errors]
        if row is None or not first.admit(report, row.code, row.line, row.values()):
            continue
        before = known.positions.get(row.code)
        if before is not None and before["unit_code"] != row.unit_code and before["filled"]:
            report.conflicts.append(
                RowProblem(
                    line=row.line,
                    column="Unit Kerja",
                    code="position.unit_held",
                    key=row.code,
                    message=f"Jabatan {row.code} diisi {before['filled']} pegawai di unit "
                    f"{before['unit_code']}; unitnya tidak dapat dipindah lewat impor",
                    message_en=f"Position {row.code} is held by {before['filled']} employees in "
                    f"unit {before['unit_code']}; an import cannot move it",
                )
            )
            continue
        outcomes[row.line] = await _upsert(conn, ctx, row, before)
    return outcomes


def _merged(row: PositionRow, before: asyncpg.Record | None) -> tuple[object, ...]:
    """The row's values, an empty optional cell keeping the stored value (or the default)."""

    def keep(given: Any, column: str, default: Any) -> Any:
        return given if given is not None else (before[column] if before else default)

    competencies = dict(row.competencies) if row.competencies is not None else None
    return (
        row.name,
        row.unit_code,
        keep(row.kind, "kind", guess_position_kind(row.name).value),
        keep(row.class_, "class", None),
        keep(row.level, "required_education_level", None),
        list(keep(row.fields, "required_education_fields", ())),
        keep(competencies, "required_competencies", {}),
        row.needed,
    )


async def _upsert(
    conn: asyncpg.Connection, ctx: ImportContext, row: PositionRow, before: asyncpg.Record | None
) -> str:
    values = _merged(row, before)
    if before is not None and values == (
        before["name"],
        before["unit_code"],
        before["kind"],
        before["class"],
        before["required_education_level"],
        list(before["required_education_fields"]),
        before["required_competencies"],
        before["needed"],
    ):
        return "unchanged"
    await conn.execute(
        "INSERT INTO positions (tenant, code, name, unit_code, kind, class,"
        " required_education_level, required_education_fields, required_competencies, needed)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (tenant, code) DO UPDATE"
        " SET name = $3, unit_code = $4, kind = $5, class = $6, required_education_level = $7,"
        " required_education_fields = $8, required_competencies = $9, needed = $10",
        ctx.tenant,
        row.code,
        *values,
    )
    outcome = "created" if before is None else "updated"
    names = (
        "name",
        "unit_code",
        "kind",
        "class",
        "required_education_level",
        "required_education_fields",
        "required_competencies",
        "needed",
    )
    ctx.changes.append(
        {"code": row.code, "action": outcome, **dict(zip(names, values, strict=True))}
    )
    return outcome
