"""Working-day arithmetic for SLA timers: weekends, national holidays, cuti bersama, time zones."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mutasi.calendar import WIB, WIT, WorkingCalendar

CAL = WorkingCalendar()


def test_independence_day_2026_is_not_a_working_day() -> None:
    independence_day = date(2026, 8, 17)
    assert independence_day.weekday() == 0  # a Monday that would otherwise be worked
    assert not CAL.is_working_day(independence_day)
    assert CAL.is_working_day(date(2026, 8, 18))


def test_one_working_day_after_friday_skips_the_weekend_and_independence_day() -> None:
    friday = date(2026, 8, 14)
    assert CAL.add_working_days(friday, 1) == date(2026, 8, 18)


def test_plain_weekend_is_skipped() -> None:
    friday = date(2026, 9, 4)
    assert friday.weekday() == 4
    assert CAL.add_working_days(friday, 1) == date(2026, 9, 7)
    assert CAL.add_working_days(friday, 5) == date(2026, 9, 11)


def test_idul_fitri_2026_with_cuti_bersama_closes_offices_for_a_week() -> None:
    # Nyepi 19 Mar, Idul Fitri 21-22 Mar; cuti bersama 18, 20, 23 and 24 Mar (SKB 3 Menteri).
    tuesday_before = date(2026, 3, 17)
    assert CAL.add_working_days(tuesday_before, 1) == date(2026, 3, 25)
    assert CAL.working_days_between(tuesday_before, date(2026, 3, 25)) == 1


def test_cuti_bersama_can_be_left_out() -> None:
    public_holidays_only = WorkingCalendar(cuti_bersama=False)
    assert public_holidays_only.is_working_day(date(2026, 3, 18))
    assert public_holidays_only.add_working_days(date(2026, 3, 17), 1) == date(2026, 3, 18)


def test_tenant_extra_holidays_are_skipped() -> None:
    regional_holiday = date(2026, 8, 18)
    cal = WorkingCalendar(extra_holidays={regional_holiday})
    assert not cal.is_working_day(regional_holiday)
    assert cal.add_working_days(date(2026, 8, 14), 1) == date(2026, 8, 19)


def test_zero_days_is_the_start_and_negative_counts_backwards() -> None:
    start = date(2026, 8, 18)
    assert CAL.add_working_days(start, 0) == start
    assert CAL.add_working_days(start, -1) == date(2026, 8, 14)


def test_working_days_between_is_signed() -> None:
    a, b = date(2026, 8, 14), date(2026, 8, 21)
    assert CAL.working_days_between(a, b) == 4  # 18, 19, 20, 21 August
    assert CAL.working_days_between(b, a) == -4
    assert CAL.working_days_between(a, a) == 0


@given(
    start=st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)),
    n=st.integers(min_value=-40, max_value=40),
)
def test_add_and_between_are_inverse(start: date, n: int) -> None:
    due = CAL.add_working_days(start, n)
    assert CAL.working_days_between(start, due) == n
    if n:
        assert CAL.is_working_day(due)


def test_deadline_counts_from_the_tenants_local_day() -> None:
    # 16:00 UTC on Thursday 13 Aug is already Friday 01:00 in Sorong but still Thursday in Medan.
    start = datetime(2026, 8, 13, 16, 0, tzinfo=UTC)
    sorong = CAL.deadline_at(start, 1, tz=WIT)
    medan = CAL.deadline_at(start, 1, tz=WIB)
    assert sorong == datetime(2026, 8, 18, 14, 59, 59, tzinfo=UTC)  # Tue 23:59:59 WIT
    assert medan == datetime(2026, 8, 14, 16, 59, 59, tzinfo=UTC)  # Fri 23:59:59 WIB
    assert sorong.utcoffset() == timedelta(0)


def test_deadline_requires_an_aware_start() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        CAL.deadline_at(datetime(2026, 8, 13, 9, 0), 5)


def test_deadline_is_deterministic_across_calendar_instances() -> None:
    start = datetime(2026, 3, 16, 2, 0, tzinfo=UTC)
    assert WorkingCalendar().deadline_at(start, 5, WIT) == CAL.deadline_at(start, 5, WIT)
