"""Calendar arithmetic for rules about elapsed years and months (stdlib only).

One convention everywhere: when the same day does not exist in the target month, the period
ends on the first day of the following month. So Feb 29 + 1 year is Mar 1 (not Feb 28), and
Aug 31 + 6 months is Mar 1. This is the conservative reading (a period is never shortened)
and it matches how a person counts birthdays of someone born on Feb 29.
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date, timedelta

from mutasi.domain.errors import DomainError


def add_months(start: date, months: int) -> date:
    """`start` moved by whole months; a missing day rolls to the 1st of the next month."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    if start.day <= monthrange(year, month)[1]:
        return date(year, month, start.day)
    return date(year, month, monthrange(year, month)[1]) + timedelta(days=1)


def add_years(start: date, years: int) -> date:
    """Anniversary of `start`; Feb 29 in a non-leap year is Mar 1."""
    return add_months(start, 12 * years)


def full_years_between(start: date, end: date) -> int:
    """Completed years from `start` to `end` (0 if `end` is before the first anniversary)."""
    years = max(end.year - start.year, 0)
    while years > 0 and add_years(start, years) > end:
        years -= 1
    return years


_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def parse_date(text: str) -> date:
    """Parse DD-MM-YYYY (also with / or .) or ISO YYYY-MM-DD, as SIMPEG exports use both."""
    value = text.strip()
    if match := _ISO.match(value):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DMY.match(value):
        day, month, year = (int(g) for g in match.groups())
    else:
        raise DomainError(
            "date.format",
            f"Format tanggal tidak dikenali: '{value}' (gunakan DD-MM-YYYY atau YYYY-MM-DD)",
            f"Unrecognised date format: '{value}' (use DD-MM-YYYY or YYYY-MM-DD)",
            value=value,
        )
    try:
        return date(year, month, day)
    except ValueError:
        raise DomainError(
            "date.invalid",
            f"Tanggal tidak ada di kalender: '{value}'",
            f"No such calendar date: '{value}'",
            value=value,
        ) from None
