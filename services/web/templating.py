"""Jinja2 for the pages: autoescaped HTML, Indonesian dates and numbers, labels for codes.

Everything a person reads is escaped by Jinja2's autoescape — a name imported as
`<script>…</script>` is shown as text. No template marks API data `|safe`.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi.templating import Jinja2Templates

from mutasi.domain.id_dates import MONTHS, ZONE_ABBREVIATIONS, indonesian_date
from services.web import labels

TEMPLATES_DIR = Path(__file__).parent / "templates"
SHORT_MONTHS = tuple(m[:3] for m in MONTHS)


def _as_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _as_datetime(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def tanggal(value: Any) -> str:
    """`1 Desember 2026`."""
    d = _as_date(value)
    return indonesian_date(d) if d else "–"


def tanggal_pendek(value: Any) -> str:
    """`1 Des 2026`."""
    d = _as_date(value)
    return f"{d.day} {SHORT_MONTHS[d.month - 1]} {d.year}" if d else "–"


def waktu(value: Any, zone: str = "Asia/Jakarta") -> str:
    """`1 Des 2026 09.30 WIT`, in the person's government's time zone."""
    moment = _as_datetime(value)
    if moment is None:
        return "–"
    if moment.tzinfo is not None:
        moment = moment.astimezone(ZoneInfo(zone))
    label = ZONE_ABBREVIATIONS.get(zone, "")
    return f"{tanggal_pendek(moment)} {moment:%H.%M} {label}".rstrip()


def angka(value: Any, decimals: int = 0) -> str:
    """`1.234` and `87,5`: Indonesian separators."""
    if value is None or value == "":
        return "–"
    text = f"{float(value):,.{decimals}f}" if decimals else f"{int(round(float(value))):,}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def sisa_hari(days: int | None) -> str:
    """A step's working days left as a person reads them on their task list."""
    if days is None:
        return "tanpa tenggat"
    if days < 0:
        return f"terlambat {-days} hari kerja"
    if days == 0:
        return "tenggat hari ini"
    return f"{days} hari kerja lagi"


def label(value: Any, table: str) -> str:
    found: dict[str, str] = getattr(labels, table.upper())
    return found.get(str(value), str(value)) if value is not None else "–"


def tone(status: str) -> str:
    return labels.STATUS_TONE.get(status, "info")


def build_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    env = templates.env
    env.autoescape = True
    env.trim_blocks = True
    env.lstrip_blocks = True
    # Templates ship with the code: no stat of every template file on every render.
    env.auto_reload = False
    env.filters.update(
        tanggal=tanggal,
        tanggal_pendek=tanggal_pendek,
        waktu=waktu,
        angka=angka,
        label=label,
        tone=tone,
        sisa_hari=sisa_hari,
    )
    return templates
