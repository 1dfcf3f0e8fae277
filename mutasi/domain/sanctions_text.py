"""Disciplinary sanctions (hukuman disiplin) as written in one spreadsheet cell.

Format: entries separated by `|` or a newline, each `<ringan|sedang|berat> <start> s.d.
<end>` with DD-MM-YYYY or ISO dates, e.g. "sedang 01-01-2026 s.d. 31-12-2026". The words
between the dates are free ("s.d.", "sampai", "-"). "-", "tidak ada", "nihil" mean none.
"""

from __future__ import annotations

import re

from mutasi.domain.dates import parse_date
from mutasi.domain.errors import DomainError
from mutasi.domain.model import Sanction, SanctionKind

_NONE = {"", "-", "tidak ada", "nihil", "tidak", "none"}
_DATE = re.compile(r"\b(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4})\b")
_KIND = re.compile(r"\b(ringan|sedang|berat)\b", re.IGNORECASE)


def parse_sanctions(text: str) -> tuple[Sanction, ...]:
    if " ".join(text.split()).casefold() in _NONE:
        return ()
    return tuple(_parse_one(entry) for entry in re.split(r"[|\n]", text) if entry.strip())


def _parse_one(entry: str) -> Sanction:
    kind = _KIND.search(entry)
    dates = _DATE.findall(entry)
    if kind is None or len(dates) != 2:
        raise DomainError(
            "sanction.invalid",
            f"Hukuman disiplin tidak dapat dibaca: '{entry.strip()}' "
            "(contoh: 'sedang 01-01-2026 s.d. 31-12-2026')",
            f"Cannot read the disciplinary sanction: '{entry.strip()}' "
            "(example: 'sedang 01-01-2026 s.d. 31-12-2026')",
        )
    start, end = parse_date(dates[0]), parse_date(dates[1])
    if end < start:
        raise DomainError(
            "sanction.invalid",
            f"Akhir hukuman disiplin sebelum awalnya: '{entry.strip()}'",
            f"The sanction ends before it starts: '{entry.strip()}'",
        )
    return Sanction(start=start, end=end, kind=SanctionKind(kind.group(1).lower()))
