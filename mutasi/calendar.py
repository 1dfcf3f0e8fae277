"""Working days for Indonesian government service levels (SLA).

A working day is Monday–Friday that is neither a national holiday (*hari libur nasional*)
nor, by default, a collective leave day (*cuti bersama*), nor a date the tenant adds.

Pure and deterministic: the `holidays` package is static data, so the same package version
always gives the same answer. Holiday data does change between versions (the government
publishes cuti bersama yearly), so a Temporal workflow should get deadlines from an activity
or record them, rather than recompute them on replay after an upgrade.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

WIB = "Asia/Jakarta"  # Medan, Palembang, Jambi, Bengkulu
WITA = "Asia/Makassar"
WIT = "Asia/Jayapura"  # Sorong

# The last second of a working day: a deadline "on day X" is met by anything done that day.
_END_OF_DAY = time(23, 59, 59)
_SATURDAY = 5


@lru_cache(maxsize=256)
def _national_holidays(year: int, cuti_bersama: bool) -> frozenset[date]:
    # Building a holidays calendar costs milliseconds; a workflow may ask thousands of times.
    categories = ("public", "government") if cuti_bersama else ("public",)
    return frozenset(holidays.country_holidays("ID", years=year, categories=categories))


class WorkingCalendar:
    """Monday–Friday minus Indonesian holidays, cuti bersama and the tenant's extra dates."""

    def __init__(
        self, extra_holidays: Iterable[date] = frozenset(), *, cuti_bersama: bool = True
    ) -> None:
        self._extra = frozenset(extra_holidays)
        self._cuti_bersama = cuti_bersama

    def __repr__(self) -> str:
        return (
            f"WorkingCalendar(extra_holidays={len(self._extra)} dates, "
            f"cuti_bersama={self._cuti_bersama})"
        )

    def is_holiday(self, d: date) -> bool:
        return d in self._extra or d in _national_holidays(d.year, self._cuti_bersama)

    def is_working_day(self, d: date) -> bool:
        return d.weekday() < _SATURDAY and not self.is_holiday(d)

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start` (before it when n < 0); `start` itself for 0.

        `start` does not count, so a request received on a holiday or late on Friday still
        gets its full n working days.
        """
        return _add_working_days(self._extra, self._cuti_bersama, start, n)

    def _add(self, start: date, n: int) -> date:
        step = timedelta(days=1 if n >= 0 else -1)
        d, remaining = start, abs(n)
        while remaining:
            d += step
            if self.is_working_day(d):
                remaining -= 1
        return d

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in (a, b]; when b is before a, minus those in [b, a).

        The exact inverse of `add_working_days` in both directions:
        working_days_between(a, add_working_days(a, n)) == n.
        """
        return _working_days_between(self._extra, self._cuti_bersama, a, b)

    def _between(self, a: date, b: date) -> int:
        if b < a:
            return -self._count(b, range(0, (a - b).days))
        return self._count(a, range(1, (b - a).days + 1))

    def _count(self, origin: date, offsets: range) -> int:
        return sum(1 for i in offsets if self.is_working_day(origin + timedelta(days=i)))

    def deadline_at(self, start: datetime, n_working_days: int, tz: str = WIB) -> datetime:
        """End of the n-th working day after `start`, as seen in the tenant's time zone, in UTC.

        `start` must be timezone-aware: the same instant is a different calendar day in
        Medan (WIB) and in Sorong (WIT), which decides which day counts as "today".
        """
        if start.tzinfo is None or start.utcoffset() is None:
            raise ValueError("start must be a timezone-aware datetime")
        zone = ZoneInfo(tz)
        local_day = start.astimezone(zone).date()
        due_day = self.add_working_days(local_day, n_working_days)
        return datetime.combine(due_day, _END_OF_DAY, tzinfo=zone).astimezone(UTC)


# Memoised by the calendar's data: "Tugas saya" counts a deadline and the days left for every
# task on every read, day by day, and a service builds a new calendar per request.
@lru_cache(maxsize=8192)
def _add_working_days(extra: frozenset[date], cuti_bersama: bool, start: date, n: int) -> date:
    return WorkingCalendar(extra, cuti_bersama=cuti_bersama)._add(start, n)


@lru_cache(maxsize=8192)
def _working_days_between(extra: frozenset[date], cuti_bersama: bool, a: date, b: date) -> int:
    return WorkingCalendar(extra, cuti_bersama=cuti_bersama)._between(a, b)
