"""Import of a government's units (unit kerja / OPD): upserted by code.

A row without a code keeps the code of the unit of the same name, or gets one from its name.
The parent may be named by code or by name, in the database or anywhere in the file. Two
units may not share a name: such a row is a conflict, not applied.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import asyncpg

from mutasi.domain.errors import DomainError
from mutasi.domain.naming import normalise_name, slugify
from mutasi.imports.context import FirstByKey, ImportContext
from mutasi.imports.report import RowProblem
from mutasi.imports.table import Column, TableRow, read_table
from mutasi.planning import places
from mutasi.planning.settings import locate

COLUMNS = (
    Column("code", "Kode Unit", ("kodeunit", "kodeunitkerja", "kode", "unitcode", "code")),
    Column(
        "name",
        "Nama Unit",
        ("namaunit", "namaunitkerja", "unitkerja", "unit", "nama", "name", "unitname"),
        required=True,
    ),
    Column(
        "parent",
        "Unit Induk",
        ("unitinduk", "induk", "kodeinduk", "parent", "parentcode", "parentunit"),
    ),
    Column(
        "head",
        "Jabatan Kepala",
        ("jabatankepala", "kodejabatankepala", "headposition", "headpositioncode"),
    ),
    # Where the office is (for distances): its regency/city, and coordinates if known.
    Column("city", "Kabupaten/Kota", ("kabupatenkota", "kotakabupaten", "kota", "lokasi", "city")),
    Column("latitude", "Lintang", ("lintang", "latitude", "lat")),
    Column("longitude", "Bujur", ("bujur", "longitude", "lon", "lng")),
)
_CODE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


@dataclass(frozen=True, slots=True)
class UnitRow:
    line: int
    code: str
    name: str
    parent: str | None
    head: str | None
    city: str | None = None
    coords: tuple[float, float] | None = None

    def values(self) -> tuple[object, ...]:
        return self.name, self.parent, self.head, self.city, self.coords


def code_text(raw: str) -> str:
    if not _CODE.match(raw):
        raise DomainError(
            "code.invalid",
            f"Kode '{raw}' hanya boleh huruf kecil, angka, titik, '-' dan '_'",
            f"Code '{raw}' may contain only lowercase letters, digits, '.', '-', '_'",
        )
    return raw


def _degrees(low: float, high: float) -> Callable[[str], float]:
    def parse(raw: str) -> float:
        try:
            value = float(raw.replace(",", ".")) if raw.count(",") <= 1 else None
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise DomainError(
                "coordinate.invalid",
                f"Koordinat '{raw}' tidak sah (derajat desimal, {low} sampai {high})",
                f"Coordinate '{raw}' is invalid (decimal degrees, {low} to {high})",
            )
        return value

    return parse


def _parse(row: TableRow, codes_by_name: dict[str, str]) -> UnitRow | None:
    code = row.optional("code", code_text)
    name = row.required("name", str)
    latitude = row.optional("latitude", _degrees(-11.5, 6.5))  # Indonesia's extent
    longitude = row.optional("longitude", _degrees(94.0, 141.5))
    if (latitude is None) != (longitude is None) and not row.errors:
        row.error("latitude", "coordinate.incomplete", "Lintang dan bujur diisi bersama",
                  "Give latitude together with longitude")  # fmt: skip
    if row.errors or name is None:
        return None
    code = code or codes_by_name.get(normalise_name(name)) or slugify(name)
    coords = (latitude, longitude) if latitude is not None and longitude is not None else None
    return UnitRow(row.line, code, name, row.text("parent") or None, row.text("head") or None,
                   row.text("city") or None, coords)  # fmt: skip


def _refuse(
    ctx: ImportContext, line: int, column: str, code: str, message: str, message_en: str
) -> None:
    ctx.report.errors.append(
        RowProblem(line=line, column=column, code=code, message=message, message_en=message_en)
    )


def _resolve_parents(
    ctx: ImportContext, rows: list[UnitRow], known: dict[str, str]
) -> list[UnitRow]:
    """Parents by code or name; a row naming an unknown parent (or itself) is refused."""
    codes = set(known) | {r.code for r in rows}
    by_name = {normalise_name(n): c for c, n in known.items()}
    by_name |= {normalise_name(r.name): r.code for r in rows}
    resolved = []
    for row in rows:
        parent = row.parent
        if parent is not None:
            parent = parent if parent in codes else by_name.get(normalise_name(parent))
            if parent is None or parent == row.code:
                _refuse(
                    ctx,
                    row.line,
                    "Unit Induk",
                    "unit.parent_unknown",
                    f"Unit induk '{row.parent}' tidak dikenal",
                    f"Parent unit '{row.parent}' is not known",
                )
                continue
        resolved.append(UnitRow(row.line, row.code, row.name, parent, row.head, row.city,
                                row.coords))  # fmt: skip
    return resolved


async def import_units(conn: asyncpg.Connection, ctx: ImportContext) -> dict[int, str]:
    """Check and upsert every unit row; return the outcome of each applied or unchanged row."""
    table = read_table(ctx.data, COLUMNS)
    report = ctx.report
    report.encoding, report.delimiter = table.encoding, table.delimiter
    report.ignored_columns = list(table.ignored_columns)
    existing = {
        r["code"]: r
        for r in await conn.fetch(
            "SELECT code, name, parent_code, head_position_code FROM units WHERE tenant = $1",
            ctx.tenant,
        )
    }
    positions = {
        r["code"]
        for r in await conn.fetch("SELECT code FROM positions WHERE tenant = $1", ctx.tenant)
    }
    codes_by_name = {normalise_name(r["name"]): c for c, r in existing.items()}
    first, names, rows = FirstByKey("kode unit"), dict(codes_by_name), []
    for table_row in table.rows:
        row = None if table_row.errors else _parse(table_row, codes_by_name)
        report.errors += [RowProblem.from_error(e) for e in table_row.errors]
        if row is None or not first.admit(report, row.code, row.line, row.values()):
            continue
        holder = names.setdefault(normalise_name(row.name), row.code)
        if holder != row.code:
            report.conflicts.append(
                RowProblem(
                    line=row.line,
                    column="Nama Unit",
                    code="unit.name_taken",
                    key=row.code,
                    message=f"Nama '{row.name}' sudah dipakai unit {holder}",
                    message_en=f"The name '{row.name}' is already used by unit {holder}",
                )
            )
        elif row.head and row.head not in positions:
            _refuse(
                ctx,
                row.line,
                "Jabatan Kepala",
                "unit.head_unknown",
                f"Jabatan kepala '{row.head}' tidak dikenal",
                f"Head position '{row.head}' is not known",
            )
        else:
            rows.append(row)
    known = {code: r["name"] for code, r in existing.items()}
    return await _upsert(conn, ctx, _resolve_parents(ctx, rows, known), existing)


async def _upsert(
    conn: asyncpg.Connection,
    ctx: ImportContext,
    rows: list[UnitRow],
    existing: dict[str, asyncpg.Record],
) -> dict[int, str]:
    outcomes: dict[int, str] = {}
    for row in rows:
        before = existing.get(row.code)
        head = row.head or (before["head_position_code"] if before else None)
        if before is not None and (
            before["name"],
            before["parent_code"],
            before["head_position_code"],
        ) == (row.name, row.parent, head):
            outcomes[row.line] = "unchanged"
            await _locate(conn, ctx, row, outcomes)
            continue
        await conn.execute(
            "INSERT INTO units (tenant, code, name, parent_code, head_position_code)"
            " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant, code) DO UPDATE"
            " SET name = $3, parent_code = $4, head_position_code = $5",
            ctx.tenant,
            row.code,
            row.name,
            row.parent,
            head,
        )
        outcomes[row.line] = "created" if before is None else "updated"
        ctx.changes.append(
            {
                "code": row.code,
                "action": outcomes[row.line],
                "name": row.name,
                "parent_code": row.parent,
                "head_position_code": head,
            }
        )
        await _locate(conn, ctx, row, outcomes)
    return outcomes


async def _locate(
    conn: asyncpg.Connection, ctx: ImportContext, row: UnitRow, outcomes: dict[int, str]
) -> None:
    """A row naming where the unit is records `unit.located` (when that changes)."""
    if row.city is None and row.coords is None:
        return
    coords = row.coords
    if coords is None and (place := places.locate(row.city)):
        coords = (place.latitude, place.longitude)
    if await locate(conn, ctx.tenant, ctx.actor, row.code, row.city, coords):
        if outcomes[row.line] == "unchanged":
            outcomes[row.line] = "updated"
