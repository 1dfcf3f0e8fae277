"""Import of a SIMPEG employee export: checked by the domain, applied as events of the log.

Each applied row is an event on stream `employee/<nip>` (employee.registered for a new NIP,
employee.updated for a known one), so the employees read model and the audit trail come from
the same fact. Against the database (the file itself is judged by the domain parser):
- a NIP held by another government is a conflict: moving between governments is a transfer;
- a NIP of this government whose record equals the row (after keeping what an export does
  not carry: competencies, aspirations, SKP years not in the file, sanctions) is unchanged;
- otherwise the row updates the employee, unless its TMT Jabatan is older than the record's
  (the export predates what the system knows, e.g. a completed transfer) or it would move an
  employee whose transfer is in progress: both are conflicts, reported and not applied.
Rows that the same file supersedes (same person, later TMT) travel with their newest row.
A position named in `Jabatan` is matched by code or by name within the row's unit; an
unknown one is created there, its ABK need set to the headcount the import gives it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from uuid import NAMESPACE_URL, uuid5

import asyncpg

from mutasi.domain.employee_csv import EmployeeImport, EmployeeRow, parse_employee_csv
from mutasi.domain.events import EmployeeEvent
from mutasi.domain.lifecycle import FINISHED
from mutasi.domain.model import Employee
from mutasi.domain.naming import guess_position_kind, normalise_name
from mutasi.imports.context import ImportContext
from mutasi.imports.report import Duplicate, RowProblem, Superseded
from mutasi.log.projections import ReadModels
from mutasi.log.store import NewEvent, append

_EVENT_NS = uuid5(NAMESPACE_URL, "https://mutasi.go.id/imports")
_BATCH = 1000


def _report_parse(ctx: ImportContext, parsed: EmployeeImport) -> None:
    r = ctx.report
    r.encoding, r.delimiter = parsed.encoding, parsed.delimiter
    r.ignored_columns = list(parsed.ignored_columns)
    r.errors = [RowProblem.from_error(e) for e in parsed.errors]
    r.duplicates = [Duplicate(line=d.line, first_line=d.first_line) for d in parsed.duplicates]
    r.superseded = [
        Superseded(line=s.line, earlier_line=s.earlier_line, key=s.nip) for s in parsed.superseded
    ]
    r.conflicts = [
        RowProblem(
            line=c.line,
            column="NIP",
            code="nip.conflict",
            key=c.nip,
            first_line=c.first_line,
            message=f"NIP {c.nip} sama dengan baris {c.first_line} tetapi datanya berbeda; "
            "baris ini tidak diterapkan",
            message_en=f"NIP {c.nip} repeats line {c.first_line} with different data; "
            "this row is not applied",
        )
        for c in parsed.conflicts
    ]


class _Places:
    """Unit codes by name, and position codes by code or by name within a unit."""

    def __init__(self, units: dict[str, str], positions: list[asyncpg.Record]) -> None:
        self.unit_by_name = units
        self.codes = {p["code"] for p in positions}
        self.by_name = {(p["unit_code"], normalise_name(p["name"])): p["code"] for p in positions}
        self.missing: dict[str, tuple[str, str]] = {}  # code -> (unit code, name) to create

    def place(self, row: EmployeeRow) -> tuple[str, str]:
        unit = self.unit_by_name[row.unit_name]
        code = row.position_code(unit)
        if code not in self.codes:
            code = self.by_name.get((unit, normalise_name(row.position_name)), code)
        if code not in self.codes:
            self.missing.setdefault(code, (unit, row.position_name))
        return unit, code


def _plain(employee: Employee) -> dict[str, object]:
    return json.loads(json.dumps(employee.model_dump(mode="json", by_alias=True)))


def recorded_employee(current: asyncpg.Record) -> Employee:
    # The row's columns are the truth for the post: a completed transfer moves them.
    return Employee.model_validate(current["data"]).model_copy(
        update={
            "position_code": current["position_code"],
            "unit_code": current["unit_code"],
            "position_since": current["position_since"],
        }
    )


def _merge(fresh: Employee, old: Employee | None) -> Employee:
    """The row's values, keeping what an export does not carry or must not erase."""
    if old is None:
        return fresh
    return fresh.model_copy(
        update={
            "competencies": old.competencies,
            "aspirations": old.aspirations,
            "performance": {**old.performance, **fresh.performance},
            # An import never lifts a sanction: that is a decision recorded on its own.
            "sanctions": tuple(dict.fromkeys(old.sanctions + fresh.sanctions)),
        }
    )


@dataclass
class _Planner:
    ctx: ImportContext
    places: _Places
    outcomes: dict[int, str] = field(default_factory=dict)
    events: list[NewEvent] = field(default_factory=list)
    holders: dict[str, int] = field(default_factory=dict)  # position code -> applied holders
    used: set[str] = field(default_factory=set)  # positions any applied row names

    def conflict(
        self, chain: list[EmployeeRow], code: str, column: str, message: str, message_en: str
    ) -> None:
        for row in chain:
            self.ctx.report.conflicts.append(
                RowProblem(
                    line=row.line,
                    column=column,
                    code=code,
                    key=row.nip,
                    message=message,
                    message_en=message_en,
                )
            )

    def apply(self, row: EmployeeRow, employee: Employee, created: bool) -> None:
        kind = EmployeeEvent.REGISTERED if created else EmployeeEvent.UPDATED
        self.events.append(
            NewEvent(
                f"employee/{employee.nip}",
                kind.value,
                {
                    "nip": employee.nip,
                    "name": employee.name,
                    "position_code": employee.position_code,
                    "unit_code": employee.unit_code,
                    "position_since": employee.position_since.isoformat(),
                    "data": _plain(employee),
                    "history": [],
                    "import": {"id": str(self.ctx.run_id), "line": row.line},
                },
                self.ctx.actor,
                event_id=uuid5(_EVENT_NS, f"{self.ctx.run_id}/{row.line}"),
            )
        )
        self.outcomes[row.line] = "created" if created else "updated"
        self.used.add(employee.position_code)

    def plan_new(self, chain: list[EmployeeRow]) -> None:
        employee = None
        for row in chain:
            unit, position = self.places.place(row)
            employee = _merge(row.to_employee(unit, position), employee)
            self.apply(row, employee, created=row is chain[0])
        assert employee is not None
        self.holders[employee.position_code] = self.holders.get(employee.position_code, 0) + 1

    def plan_known(self, chain: list[EmployeeRow], current: asyncpg.Record, busy: bool) -> None:
        newest = chain[-1]
        recorded = recorded_employee(current)
        unit, position = self.places.place(newest)
        employee = _merge(newest.to_employee(unit, position), recorded)
        moves = (position, unit) != (recorded.position_code, recorded.unit_code)
        if _plain(employee) == _plain(recorded):
            self.outcomes.update({row.line: "unchanged" for row in chain})
        elif newest.position_since < recorded.position_since:
            self.conflict(
                chain,
                "import.older_than_record",
                "TMT Jabatan",
                f"TMT Jabatan {newest.position_since:%d-%m-%Y} lebih lama daripada "
                f"data di sistem ({recorded.position_since:%d-%m-%Y}); "
                "baris ini tidak diterapkan",
                f"TMT Jabatan {newest.position_since} is older than the record "
                f"({recorded.position_since}); this row is not applied",
            )
        elif moves and busy:
            self.conflict(
                chain,
                "import.transfer_open",
                "Jabatan",
                "Pegawai sedang dalam proses mutasi; jabatan dan unitnya tidak "
                "diubah melalui impor",
                "The employee has a transfer in progress; an import does not "
                "change their position or unit",
            )
        else:
            self.apply(newest, employee, created=False)
            self.outcomes.update({row.line: "updated" for row in chain[:-1]})
        if self.outcomes.get(newest.line) == "updated":
            self.holders[position] = self.holders.get(position, 0) + 1


async def _known_employees(
    conn: asyncpg.Connection, tenant: str, nips: list[str]
) -> tuple[dict[str, asyncpg.Record], set[str], set[str]]:
    """Employees of this tenant by NIP, NIPs held by another tenant, NIPs in a transfer."""
    rows = await conn.fetch(
        "SELECT tenant, nip, position_code, unit_code, position_since, data FROM employees"
        " WHERE nip = ANY($1::text[])",
        nips,
    )
    own = {r["nip"]: r for r in rows if r["tenant"] == tenant}
    elsewhere = {r["nip"] for r in rows if r["tenant"] != tenant} - set(own)
    busy = {
        r["employee_nip"]
        for r in await conn.fetch(
            "SELECT DISTINCT employee_nip FROM transfers WHERE tenant = $1"
            " AND employee_nip = ANY($2::text[]) AND status <> ALL($3::text[])",
            tenant,
            nips,
            [s.value for s in FINISHED],
        )
    }
    return own, elsewhere, busy


async def _create_positions(conn: asyncpg.Connection, planner: _Planner) -> None:
    created = []
    for code, (unit, name) in sorted(planner.places.missing.items()):
        if code not in planner.used:
            continue  # named only by rows that were not applied
        kind, needed = guess_position_kind(name).value, planner.holders.get(code, 0)
        await conn.execute(
            "INSERT INTO positions (tenant, code, name, unit_code, kind, needed)"
            " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant, code) DO NOTHING",
            planner.ctx.tenant,
            code,
            name,
            unit,
            kind,
            needed,
        )
        planner.ctx.changes.append(
            {
                "code": code,
                "action": "created",
                "name": name,
                "unit_code": unit,
                "kind": kind,
                "needed": needed,
            }
        )
        created.append(code)
    planner.ctx.report.created_positions = created


async def import_employees(conn: asyncpg.Connection, ctx: ImportContext) -> dict[int, str]:
    """Check every row, apply the valid ones as events; return each valid row's outcome."""
    units = {
        r["name"]: r["code"]
        for r in await conn.fetch("SELECT code, name FROM units WHERE tenant = $1", ctx.tenant)
    }
    parsed = parse_employee_csv(ctx.data, known_units=set(units), today=ctx.today)
    _report_parse(ctx, parsed)
    chains: dict[str, list[EmployeeRow]] = {}
    for row in parsed.rows:
        chains.setdefault(row.nip, []).append(row)
    positions = await conn.fetch(
        "SELECT code, name, unit_code FROM positions WHERE tenant = $1", ctx.tenant
    )
    planner = _Planner(ctx, _Places(units, positions))
    own, elsewhere, busy = await _known_employees(conn, ctx.tenant, list(chains))
    for nip, chain in chains.items():
        if nip in elsewhere:
            planner.conflict(
                chain,
                "nip.other_tenant",
                "NIP",
                f"NIP {nip} terdaftar pada instansi lain; perpindahan antarinstansi "
                "hanya melalui usul mutasi",
                f"NIP {nip} belongs to another government; moving between "
                "governments goes through a transfer",
            )
        elif nip in own:
            planner.plan_known(chain, own[nip], nip in busy)
        else:
            planner.plan_new(chain)
    await _create_positions(conn, planner)
    for start in range(0, len(planner.events), _BATCH):
        await append(
            conn, ctx.tenant, planner.events[start : start + _BATCH], projector=ReadModels()
        )
    return planner.outcomes
