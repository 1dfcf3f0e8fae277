"""The bounds of a TMT (terhitung mulai tanggal): not before the decree can be issued, not
beyond the government's horizon (default one year). Checked when a transfer is proposed,
revised and decided, so a decree never says "31 Desember 9999" nor takes effect backdated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from mutasi.domain.id_dates import indonesian_date

# After the latest TMT a revision may set, the transfer's workflow still has this long to
# finish (the decree's notices, the appointment deadline between governments).
AFTER_LATEST_TMT = timedelta(days=60)


@dataclass(frozen=True)
class OutOfBounds:
    message_id: str
    message_en: str


def check_effective_date(tmt: date, today: date, max_days: int) -> OutOfBounds | None:
    """None when `tmt` lies from `today` (a decree signed today takes effect today at the
    earliest) up to `max_days` ahead."""
    if tmt < today:
        return OutOfBounds(
            f"TMT {indonesian_date(tmt)} sudah lewat; TMT paling cepat hari ini "
            f"({indonesian_date(today)}), karena SK tidak berlaku surut",
            f"The TMT {tmt.isoformat()} has passed; the earliest is today ({today.isoformat()})",
        )
    latest = today + timedelta(days=max_days)
    if tmt > latest:
        return OutOfBounds(
            f"TMT {indonesian_date(tmt)} terlalu jauh; paling lambat {indonesian_date(latest)}"
            f" ({max_days} hari dari hari ini)",
            f"The TMT {tmt.isoformat()} is too far ahead; the latest is {latest.isoformat()}",
        )
    return None


def lifetime(latest_tmt: date, today: date) -> timedelta:
    """How long a transfer's workflow may run: until the latest TMT, and a while after."""
    return latest_tmt - today + AFTER_LATEST_TMT


def latest_revision(first_tmt: date, max_days: int) -> date:
    """The latest TMT a revision of a transfer first proposed for `first_tmt` may set."""
    return first_tmt + timedelta(days=max_days)
