"""What every importer gets: the run, who runs it, the file, and the report to fill."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from mutasi.imports.report import Duplicate, ImportReport, RowProblem
from mutasi.log.store import Actor


@dataclass
class ImportContext:
    run_id: UUID
    tenant: str
    data: bytes
    actor: Actor
    today: date
    report: ImportReport
    # What the run changed in tables outside the log (units, positions), for its audit event.
    changes: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class FirstByKey:
    """The first valid row per key wins; a later exact repeat is a duplicate, a later row
    with the same key and different values a conflict (reported, never applied)."""

    what: str  # "kode unit", "kode jabatan"
    first: dict[str, tuple[int, Any]] = field(default_factory=dict)

    def admit(self, report: ImportReport, key: str, line: int, value: Any) -> bool:
        if key not in self.first:
            self.first[key] = (line, value)
            return True
        first_line, first_value = self.first[key]
        if first_value == value:
            report.duplicates.append(Duplicate(line=line, first_line=first_line))
        else:
            report.conflicts.append(
                RowProblem(
                    line=line,
                    code="row.conflict",
                    key=key,
                    first_line=first_line,
                    message=f"{self.what.capitalize()} {key} sama dengan baris {first_line} tetapi "
                    "datanya berbeda; baris ini tidak diterapkan",
                    message_en=f"Same {key} as line {first_line} with different data; "
                    "this row is not applied",
                )
            )
        return False
