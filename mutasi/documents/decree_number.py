"""Decree (SK) numbers from a per-tenant format string.

The default follows the classification code for *mutasi* in the Permendagri records
classification (800.1.3.3), a running sequence, the issuing agency and the year. Tenants
may reorder the parts or add the month in Roman numerals, as many regions do (".../XII/2026").
"""

from __future__ import annotations

from functools import lru_cache
from string import Formatter

DEFAULT_DECREE_NUMBER_FORMAT = "800.1.3.3/{seq:04d}/BKPSDM/{year}"

REQUIRED_FIELDS = frozenset({"seq", "year"})
ALLOWED_FIELDS = REQUIRED_FIELDS | {"month", "month_roman"}
MAX_LENGTH = 120

ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


class InvalidDecreeNumberFormat(ValueError):
    """The tenant's format string cannot produce a valid SK number (message in Indonesian)."""


def roman_month(month: int) -> str:
    if not 1 <= month <= 12:
        raise ValueError(f"Bulan tidak valid: {month}")
    return ROMAN_MONTHS[month - 1]


@lru_cache(maxsize=64)
def validate_decree_number_format(fmt: str) -> frozenset[str]:
    """Check a tenant's format string; return the fields it uses.

    Only plain named fields are allowed: `{seq.__class__}` and friends would let a tenant
    administrator read interpreter internals through str.format.
    """
    if not fmt or len(fmt) > MAX_LENGTH:
        raise InvalidDecreeNumberFormat(
            f"Format nomor SK wajib diisi dan paling panjang {MAX_LENGTH} karakter."
        )
    if not fmt.isprintable() or not _is_latin1(fmt):
        raise InvalidDecreeNumberFormat(
            "Format nomor SK hanya boleh memuat huruf, angka dan tanda baca biasa."
        )
    try:
        parts = list(Formatter().parse(fmt))
    except ValueError as exc:
        raise InvalidDecreeNumberFormat(f"Format nomor SK tidak dapat dibaca: {exc}.") from exc
    fields = set()
    for _literal, name, spec, conversion in parts:
        if name is None:
            continue
        if conversion or "{" in (spec or ""):
            raise InvalidDecreeNumberFormat(f"Penulisan kolom '{{{name}}}' tidak valid.")
        if name not in ALLOWED_FIELDS:
            raise InvalidDecreeNumberFormat(
                f"Kolom '{{{name}}}' tidak dikenal. Kolom yang tersedia: "
                + ", ".join(f"{{{f}}}" for f in sorted(ALLOWED_FIELDS))
                + "."
            )
        fields.add(name)
    missing = REQUIRED_FIELDS - fields
    if missing:
        raise InvalidDecreeNumberFormat(
            "Format nomor SK wajib memuat "
            + " dan ".join(f"{{{f}}}" for f in sorted(missing))
            + "."
        )
    try:
        fmt.format(seq=1, year=2026, month=12, month_roman="XII")
    except (ValueError, TypeError) as exc:
        raise InvalidDecreeNumberFormat(f"Format nomor SK tidak valid: {exc}.") from exc
    return frozenset(fields)


def format_decree_number(fmt: str, seq: int, year: int, *, month: int | None = None) -> str:
    """Render an SK number, e.g. `800.1.3.3/0042/BKPSDM/2026`.

    `month` is required only when the format uses `{month}` or `{month_roman}`.
    """
    fields = validate_decree_number_format(fmt)
    if seq < 1:
        raise ValueError(f"Nomor urut SK harus bilangan positif, bukan {seq}.")
    if not 1000 <= year <= 9999:
        raise ValueError(f"Tahun SK tidak valid: {year}.")
    if fields & {"month", "month_roman"} and month is None:
        raise ValueError("Format nomor SK memuat bulan, tetapi bulan penetapan tidak diberikan.")
    values: dict[str, object] = {"seq": seq, "year": year}
    if month is not None:
        values |= {"month": month, "month_roman": roman_month(month)}
    return fmt.format(**values)


def _is_latin1(text: str) -> bool:
    # The number is printed in the decree PDF with a core font, which is latin-1 only.
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True
