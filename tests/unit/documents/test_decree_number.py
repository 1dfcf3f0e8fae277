"""SK numbers from the tenant's configured format."""

import pytest

from mutasi.documents.decree_number import (
    DEFAULT_DECREE_NUMBER_FORMAT,
    InvalidDecreeNumberFormat,
    format_decree_number,
    roman_month,
    validate_decree_number_format,
)


def test_default_format() -> None:
    assert format_decree_number(DEFAULT_DECREE_NUMBER_FORMAT, 42, 2026) == (
        "800.1.3.3/0042/BKPSDM/2026"
    )


def test_tenant_format_with_roman_month() -> None:
    fmt = "800.1.3.3/{seq:03d}/BKD/{month_roman}/{year}"
    assert format_decree_number(fmt, 7, 2026, month=12) == "800.1.3.3/007/BKD/XII/2026"
    assert validate_decree_number_format(fmt) == {"seq", "year", "month_roman"}


def test_month_is_required_when_the_format_uses_it() -> None:
    with pytest.raises(ValueError, match="bulan"):
        format_decree_number("{seq}/{month_roman}/{year}", 1, 2026)


@pytest.mark.parametrize(
    ("fmt", "message"),
    [
        ("800.1.3.3/BKPSDM/{year}", "wajib memuat {seq}"),
        ("800.1.3.3/{seq}/BKPSDM", "wajib memuat {year}"),
        ("{seq}/{unit}/{year}", "tidak dikenal"),
        ("{seq.__class__}/{year}", "tidak dikenal"),
        ("{}/{seq}/{year}", "tidak dikenal"),
        ("{seq!r}/{year}", "tidak valid"),
        ("{seq:{width}}/{year}", "tidak valid"),
        ("{seq/{year}", "tidak dapat dibaca"),
        ("{seq:q}/{year}", "tidak valid"),
        ("{seq}/{year}\n", "huruf, angka"),
        ("", "wajib diisi"),
    ],
)
def test_invalid_formats_are_refused_with_an_indonesian_message(fmt: str, message: str) -> None:
    with pytest.raises(InvalidDecreeNumberFormat, match=message.replace("{", r"\{")):
        validate_decree_number_format(fmt)


def test_sequence_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positif"):
        format_decree_number(DEFAULT_DECREE_NUMBER_FORMAT, 0, 2026)


def test_roman_months() -> None:
    assert [roman_month(m) for m in (1, 4, 9, 12)] == ["I", "IV", "IX", "XII"]
    with pytest.raises(ValueError):
        roman_month(13)
