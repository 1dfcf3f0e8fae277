"""The menu: one entry per page area, shown only to those whose role may use it.

Page areas register here (path, label, who may see it); the planning pages add theirs the
same way. Visibility reads the policy table through `Person.can`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from services.web.person import Person


@dataclass(frozen=True)
class Entry:
    path: str
    label: str
    visible: Callable[[Person], bool]


ENTRIES: list[Entry] = [
    Entry("/pegawai", "Beranda", lambda p: p.has("employee")),
    Entry("/tugas", "Tugas saya", lambda p: not p.is_employee_only and not p.has("auditor")),
    Entry("/usulan", "Daftar usulan", lambda p: not p.is_employee_only),
    Entry(
        "/usulan/baru",
        "Usulan baru",
        lambda p: p.has("supervisor", "hr_officer", "approver") and p.can("transfer.propose"),
    ),
    Entry("/rapat", "Rapat", lambda p: p.can("meeting.read")),
    Entry("/beban-kerja", "Beban kerja", lambda p: p.can("workload.read")),
    Entry("/data-induk", "Data induk", lambda p: p.can("master.import")),
    Entry("/audit", "Audit", lambda p: p.can("audit.read")),
    Entry("/notifikasi", "Notifikasi", lambda p: p.can("inbox.read")),
]


def register(entry: Entry, before: str | None = None) -> None:
    """Add a page area's menu entry (before the entry with path `before`, else at the end)."""
    index = next((i for i, e in enumerate(ENTRIES) if e.path == before), len(ENTRIES))
    ENTRIES.insert(index, entry)


def menu(person: Person, current: str) -> list[dict[str, object]]:
    items = [e for e in ENTRIES if e.visible(person)]
    # The longest matching prefix is the current area (/usulan/baru over /usulan).
    best = max(
        (e.path for e in items if current == e.path or current.startswith(e.path + "/")),
        key=len,
        default=None,
    )
    return [{"path": e.path, "label": e.label, "current": e.path == best} for e in items]
