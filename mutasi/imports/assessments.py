"""Import of assessment-centre results (hasil penilaian kompetensi): one row per assessment.

Columns: NIP, Tanggal Penilaian, Lembaga, Metode (optional), Asesor (optional), the nine
levels of the competency standard (Integritas … Perekat Bangsa; each required, 1–5, written
`3`, `III` or `Level 3`), Kompetensi Teknis (`Name:level; Name:level`, optional). `Nama` is
read for the officer's eyes only. Each applied row is `employee.assessed` on the employee's
stream; the latest assessment is the employee's current profile, earlier ones stay in history.

An assessment is identified by (NIP, date, institution, method): the same row again is a
duplicate (in the file) or unchanged (in the database); the same identity with other levels
is a conflict, reported and not applied. A NIP that is not an employee of this government, or
a date after today, is refused with the rest of the row's problems.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

import asyncpg

from mutasi.domain.competency import STANDARD_COLUMNS, parse_level, parse_technical
from mutasi.domain.dates import parse_date
from mutasi.domain.events import EmployeeEvent
from mutasi.domain.naming import normalise_name
from mutasi.domain.nip import parse_nip
from mutasi.imports.context import FirstByKey, ImportContext
from mutasi.imports.report import RowProblem
from mutasi.imports.table import Column, TableRow, read_table
from mutasi.log.projections import ReadModels
from mutasi.log.store import NewEvent, append

_NS = uuid5(NAMESPACE_URL, "https://mutasi.go.id/assessments")
_BATCH = 1000


def _alias(name: str) -> str:
    return "".join(ch for ch in name.casefold() if ch.isalnum())


COLUMNS = (
    Column("nip", "NIP", ("nip", "nipbaru"), required=True),
    Column("name", "Nama", ("nama", "namapegawai", "name")),
    Column(
        "assessed_on",
        "Tanggal Penilaian",
        ("tanggalpenilaian", "tglpenilaian", "tanggal", "assessedon", "date"),
        required=True,
    ),
    Column(
        "institution",
        "Lembaga",
        ("lembaga", "lembagapenilai", "penyelenggara", "institution"),
        required=True,
    ),
    Column("method", "Metode", ("metode", "metodepenilaian", "alatukur", "method")),
    Column("assessor", "Asesor", ("asesor", "penilai", "assessor")),
    *(Column(name, name, (_alias(name),), required=True) for name in STANDARD_COLUMNS),
    Column(
        "technical",
        "Kompetensi Teknis",
        ("kompetensiteknis", "teknis", "technicalcompetencies", "technical"),
    ),
)


def assessment_id(tenant: str, nip: str, on: date, institution: str, method: str) -> UUID:
    key = f"{tenant}/{nip}/{on.isoformat()}/{normalise_name(institution)}/{normalise_name(method)}"
    return uuid5(_NS, key)


@dataclass(frozen=True)
class AssessmentRow:
    line: int
    nip: str
    assessed_on: date
    institution: str
    method: str
    assessor: str | None
    levels: dict[str, int]

    def facts(self) -> tuple[Any, ...]:
        return (self.assessor, tuple(sorted(self.levels.items())))

    def payload(self, tenant: str, run_id: UUID) -> dict[str, Any]:
        return {
            "nip": self.nip,
            "assessment_id": str(self.id(tenant)),
            "assessed_on": self.assessed_on.isoformat(),
            "institution": self.institution,
            "method": self.method,
            "assessor": self.assessor,
            "levels": self.levels,
            "import": {"id": str(run_id), "line": self.line},
        }

    def id(self, tenant: str) -> UUID:
        return assessment_id(tenant, self.nip, self.assessed_on, self.institution, self.method)


def _nip(raw: str) -> str:
    return parse_nip("".join(raw.split())).value


def _parse(row: TableRow, employees: set[str], today: date) -> AssessmentRow | None:
    nip = row.required("nip", _nip)
    on = row.required("assessed_on", parse_date)
    institution = row.required("institution", str)
    method = row.optional("method", str) or ""
    levels = {name: row.required(name, parse_level) for name in STANDARD_COLUMNS}
    technical = row.optional("technical", parse_technical) or {}
    if nip is not None and nip not in employees:
        row.error("nip", "employee.unknown",
                  f"NIP {nip} bukan pegawai instansi ini",
                  f"NIP {nip} is not an employee of this government")  # fmt: skip
    if on is not None and on > today:
        row.error("assessed_on", "assessment.future_date",
                  f"Tanggal penilaian {on:%d-%m-%Y} belum terjadi",
                  f"The assessment date {on.isoformat()} is in the future")  # fmt: skip
    if row.errors or nip is None or on is None or institution is None:
        return None
    found = {name: level for name, level in levels.items() if level is not None}
    return AssessmentRow(
        row.line, nip, on, institution, method, row.optional("assessor", str), found | technical
    )


async def _stored(conn: asyncpg.Connection, tenant: str) -> dict[UUID, tuple[Any, ...]]:
    rows = await conn.fetch(
        "SELECT id, assessor, levels FROM assessments WHERE tenant = $1", tenant
    )
    return {r["id"]: (r["assessor"], tuple(sorted(r["levels"].items()))) for r in rows}


async def import_assessments(conn: asyncpg.Connection, ctx: ImportContext) -> dict[int, str]:
    """Check every row; record the new assessments as events; return each valid row's outcome."""
    table = read_table(ctx.data, COLUMNS)
    report = ctx.report
    report.encoding, report.delimiter = table.encoding, table.delimiter
    report.ignored_columns = list(table.ignored_columns)
    employees = {
        r["nip"]
        for r in await conn.fetch("SELECT nip FROM employees WHERE tenant = $1", ctx.tenant)
    }
    stored = await _stored(conn, ctx.tenant)
    first, outcomes, events = FirstByKey("penilaian"), {}, []
    for table_row in table.rows:
        row = None if table_row.errors else _parse(table_row, employees, ctx.today)
        report.errors += [RowProblem.from_error(e) for e in table_row.errors]
        if row is None:
            continue
        identity = row.id(ctx.tenant)
        key = " ".join(filter(None, (row.nip, f"{row.assessed_on:%d-%m-%Y}", row.institution,
                                     row.method)))  # fmt: skip
        if not first.admit(report, key, row.line, row.facts()):
            continue
        before = stored.get(identity)
        if before == row.facts():
            outcomes[row.line] = "unchanged"
        elif before is not None:
            report.conflicts.append(RowProblem(
                line=row.line, column=None, code="assessment.differs", key=row.nip,
                message=f"Penilaian {row.nip} tanggal {row.assessed_on:%d-%m-%Y} oleh "
                f"{row.institution} sudah tercatat dengan nilai lain; baris ini tidak diterapkan",
                message_en="This assessment is recorded with other levels; the row is not applied",
            ))  # fmt: skip
        else:
            outcomes[row.line] = "created"
            events.append(NewEvent(
                f"employee/{row.nip}", EmployeeEvent.ASSESSED.value,
                row.payload(ctx.tenant, ctx.run_id), ctx.actor, event_id=uuid5(_NS, str(identity)),
            ))  # fmt: skip
    for start in range(0, len(events), _BATCH):
        await append(conn, ctx.tenant, events[start : start + _BATCH], projector=ReadModels())
    return outcomes
