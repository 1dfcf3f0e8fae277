"""The clock every dated decision reads: now, today in a government's zone, workflow time.

Production runs on the real clock. `settings.clock_offset_s` moves it (seconds, + ahead,
− behind) for tests and drills on chosen dates: the test session runs on a fixed date
(tests/conftest.py, MUTASI_TEST_TODAY), never on today's. Each process configures it once at
start-up (`get_settings()`, or `configure(settings)` where settings are built by hand).

The Temporal server keeps real time, so a workflow's `workflow.now()` is never offset: the
activities that turn dates into moments (deadlines, TMT) convert with `to_workflow_time`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo

WIB = "Asia/Jakarta"
_offset = timedelta(0)


class _HasOffset(Protocol):
    clock_offset_s: int


def configure(settings: _HasOffset) -> None:
    global _offset
    _offset = timedelta(seconds=settings.clock_offset_s)


def offset() -> timedelta:
    return _offset


def now() -> datetime:
    """The current moment (UTC, aware)."""
    return datetime.now(UTC) + _offset


def today(zone: str | tzinfo = WIB) -> date:
    """Today's date in a government's time zone (WIB unless told)."""
    tz = ZoneInfo(zone) if isinstance(zone, str) else zone
    return now().astimezone(tz).date()


def start_of(day: date, zone: str) -> datetime:
    """00:00 of `day` in `zone`, as the clock counts it (e.g. the moment a TMT begins)."""
    return datetime.combine(day, time(), ZoneInfo(zone))


def to_workflow_time(moment: datetime) -> datetime:
    """The same moment on the Temporal server's clock, which is never offset."""
    return moment - _offset


def from_workflow_time(moment: datetime) -> datetime:
    return moment + _offset


def offset_to(day: date, at: time = time(9), zone: str = WIB) -> int:
    """The offset (seconds) that makes it `at` o'clock on `day` in `zone` now."""
    wanted = datetime.combine(day, at, ZoneInfo(zone))
    return round((wanted - datetime.now(UTC)).total_seconds())
