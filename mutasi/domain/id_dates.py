"""Dates as Indonesian official documents write them ("1 Desember 2026", "pukul 09.30 WIT").

Hand-written instead of locale-based formatting: the process locale is not ours to rely on
and must not change a decree's bytes.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
WEEKDAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")

# Indonesia's three time zones (Keppres 41/1987) by IANA name.
ZONE_ABBREVIATIONS = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def indonesian_date(d: date, *, weekday: bool = False) -> str:
    """`1 Desember 2026`, or `Selasa, 1 Desember 2026` with weekday=True."""
    text = f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    return f"{WEEKDAYS[d.weekday()]}, {text}" if weekday else text


def indonesian_datetime(dt: datetime, tz: str | None = None, *, weekday: bool = False) -> str:
    """`1 Desember 2026 pukul 23.59 WIT`; an aware `dt` is shown in `tz` when given."""
    if tz is not None:
        if dt.tzinfo is None:
            raise ValueError("a naive datetime cannot be converted to another time zone")
        dt = dt.astimezone(ZoneInfo(tz))
    text = f"{indonesian_date(dt.date(), weekday=weekday)} pukul {dt:%H.%M}"
    zone = _zone_label(dt)
    return f"{text} {zone}" if zone else text


def _zone_label(dt: datetime) -> str:
    if dt.tzinfo is None:
        return ""
    key = getattr(dt.tzinfo, "key", None)
    if key in ZONE_ABBREVIATIONS:
        return ZONE_ABBREVIATIONS[key]
    return dt.tzname() or ""
