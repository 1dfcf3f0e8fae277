"""Working days left before a step's deadline, as a person reads it on their task list."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from mutasi.calendar import WorkingCalendar

_CALENDAR = WorkingCalendar()


def working_days_left(due_at: Any, zone: str, now: datetime) -> int | None:
    """Working days from today to the due day in the government's zone (0: due today,
    negative: overdue by that many working days); None without a deadline."""
    if not due_at:
        return None
    due = datetime.fromisoformat(str(due_at).replace("Z", "+00:00")).astimezone(ZoneInfo(zone))
    today = now.astimezone(ZoneInfo(zone)).date()
    if due < now:
        return min(-1, -_CALENDAR.working_days_between(due.date(), today))
    return _CALENDAR.working_days_between(today, due.date())


def describe(days: int | None) -> str:
    if days is None:
        return "tanpa tenggat"
    if days < 0:
        return f"terlambat {-days} hari kerja"
    if days == 0:
        return "tenggat hari ini"
    return f"{days} hari kerja lagi"
