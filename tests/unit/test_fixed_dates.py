"""The date-sensitive decisions, each at fixed dates, never today's: a month's end, the year's
end, the day before and the day after a national holiday (Hari Kemerdekaan, 17 Agustus).

The clock is moved to each date (mutasi.clock); what is checked is what the system decides
on that day: the TMT bounds, today's date in each government's zone, a deadline in working
days, and the year a decree signed that day is numbered in.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from mutasi import clock
from mutasi.calendar import WorkingCalendar
from mutasi.documents.decree_number import format_decree_number
from mutasi.domain.effective_date import check_effective_date

MONTH_END = date(2026, 11, 30)  # a Monday
YEAR_END = date(2026, 12, 31)  # a Thursday; 1 January is a holiday
BEFORE_HOLIDAY = date(2027, 8, 16)  # a Monday; 17 August 2027 (Tuesday) is Independence Day
AFTER_HOLIDAY = date(2027, 8, 18)
FIXED_DATES = [MONTH_END, YEAR_END, BEFORE_HOLIDAY, AFTER_HOLIDAY]


@pytest.fixture
def clock_at() -> Iterator[object]:
    """Move this process's clock to a moment (restored afterwards)."""
    before = clock.offset()

    def move(moment: datetime) -> None:
        offset = round((moment - datetime.now(UTC)).total_seconds())
        clock.configure(SimpleNamespace(clock_offset_s=offset))

    yield move
    clock.configure(SimpleNamespace(clock_offset_s=round(before.total_seconds())))


@pytest.mark.parametrize("day", FIXED_DATES, ids=str)
def test_the_tmt_may_be_today_up_to_a_year_ahead_never_yesterday(day, clock_at):
    clock_at(datetime.combine(day, time(10), ZoneInfo("Asia/Jakarta")))
    today = clock.today()
    assert today == day
    assert check_effective_date(today, today, 365) is None
    assert check_effective_date(today + timedelta(days=365), today, 365) is None
    assert "sudah lewat" in check_effective_date(today - timedelta(days=1), today, 365).message_id
    too_far = check_effective_date(today + timedelta(days=366), today, 365)
    assert too_far is not None and "terlalu jauh" in too_far.message_id


@pytest.mark.parametrize("day", FIXED_DATES, ids=str)
def test_late_evening_in_jakarta_is_already_tomorrow_in_sorong(day, clock_at):
    clock_at(datetime.combine(day, time(23, 30), ZoneInfo("Asia/Jakarta")))
    assert clock.today("Asia/Jakarta") == day
    assert clock.today("Asia/Jayapura") == day + timedelta(days=1)  # WIT, UTC+9


@pytest.mark.parametrize(
    ("day", "due"),
    [
        (MONTH_END, date(2026, 12, 1)),
        (YEAR_END, date(2027, 1, 4)),  # 1 January a holiday, then the weekend
        (BEFORE_HOLIDAY, date(2027, 8, 18)),  # 17 August does not count
        (AFTER_HOLIDAY, date(2027, 8, 19)),
    ],
    ids=str,
)
def test_one_working_day_from_each_date_steps_over_weekends_and_holidays(day, due, clock_at):
    clock_at(datetime.combine(day, time(10), ZoneInfo("Asia/Jakarta")))
    deadline = WorkingCalendar().deadline_at(clock.now(), 1, "Asia/Jakarta")
    assert deadline.astimezone(ZoneInfo("Asia/Jakarta")).date() == due


def test_a_decree_signed_late_on_the_last_day_of_the_year_in_sorong_is_next_years(clock_at):
    # 23:30 WIB on 31 December is 01:30 WIT on 1 January: Sorong numbers it in the new year.
    clock_at(datetime.combine(YEAR_END, time(23, 30), ZoneInfo("Asia/Jakarta")))
    signed_wib = clock.now().astimezone(ZoneInfo("Asia/Jakarta")).date()
    signed_wit = clock.now().astimezone(ZoneInfo("Asia/Jayapura")).date()
    fmt = "800.1.3.3/{seq:04d}/BKPSDM/{month_roman}/{year}"
    assert format_decree_number(fmt, 1, signed_wib.year, month=signed_wib.month).endswith(
        "/XII/2026"
    )
    assert format_decree_number(fmt, 1, signed_wit.year, month=signed_wit.month).endswith("/I/2027")
