"""A human step's deadline as the transfer workflow counts it, and the working days left.

The deadline is the end of the N-th working day after the step began, in the calendar and
time zone of the government that takes it: N is the step's own (BKN's pertek: 15) or else
that government's service level (`sla_working_days`). The workflow's `compute_deadline`
activity and the "waiting for me" list (services/approval) both count with this module, so
the list shows the deadline the workflow reminds and escalates at.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import asyncpg

from mutasi.calendar import WIB, WorkingCalendar

DEFAULT_WORKING_DAYS = 5  # a government not (yet) configured


@dataclass(frozen=True)
class ServiceLevel:
    """What a government's deadlines are counted in."""

    working_days: int
    time_zone: str
    calendar: WorkingCalendar

    def due_at(self, start: datetime, working_days: int | None = None) -> datetime:
        """End of the step's last working day (UTC): `working_days` if the step has its own."""
        return self.calendar.deadline_at(start, working_days or self.working_days, self.time_zone)

    def days_left(self, due: datetime, now: datetime) -> int:
        """Working days from today to the due day (0: due today); negative once it has
        passed, by the working days since (at least −1)."""
        zone = ZoneInfo(self.time_zone)
        today, due_day = now.astimezone(zone).date(), due.astimezone(zone).date()
        if due < now:
            return min(-1, -self.calendar.working_days_between(due_day, today))
        return self.calendar.working_days_between(today, due_day)


_DEFAULT = ServiceLevel(DEFAULT_WORKING_DAYS, WIB, WorkingCalendar())
_COLUMNS = "slug, sla_working_days, timezone, extra_holidays"


def _level(row: asyncpg.Record | None) -> ServiceLevel:
    if row is None:
        return _DEFAULT
    holidays: list[date] = row["extra_holidays"] or []
    # The government's own days off count as holidays too (its configuration, issue 16).
    return ServiceLevel(row["sla_working_days"], row["timezone"], WorkingCalendar(holidays))


async def service_level(db: asyncpg.Pool | asyncpg.Connection, tenant: str) -> ServiceLevel:
    row = await db.fetchrow(f"SELECT {_COLUMNS} FROM tenants WHERE slug = $1", tenant)
    return _level(row)
