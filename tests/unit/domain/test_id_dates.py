"""Indonesian long dates as printed on decrees and in notifications."""

from datetime import UTC, date, datetime

import pytest

from mutasi.domain.id_dates import MONTHS, indonesian_date, indonesian_datetime


def test_long_date() -> None:
    assert indonesian_date(date(2026, 12, 1)) == "1 Desember 2026"
    assert indonesian_date(date(2026, 8, 17), weekday=True) == "Senin, 17 Agustus 2026"


@pytest.mark.parametrize("month", range(1, 13))
def test_every_month_has_its_indonesian_name(month: int) -> None:
    assert indonesian_date(date(2026, month, 5)) == f"5 {MONTHS[month - 1]} 2026"


def test_datetime_in_the_tenants_zone() -> None:
    deadline = datetime(2026, 8, 18, 14, 59, 59, tzinfo=UTC)
    assert indonesian_datetime(deadline, "Asia/Jayapura") == "18 Agustus 2026 pukul 23.59 WIT"
    assert indonesian_datetime(deadline, "Asia/Makassar") == "18 Agustus 2026 pukul 22.59 WITA"
    assert indonesian_datetime(deadline, "Asia/Jakarta") == "18 Agustus 2026 pukul 21.59 WIB"


def test_naive_datetime_has_no_zone_label() -> None:
    assert indonesian_datetime(datetime(2026, 1, 2, 9, 5)) == "2 Januari 2026 pukul 09.05"
