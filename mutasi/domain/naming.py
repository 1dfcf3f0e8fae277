"""Names typed by people, turned into stable keys and codes."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from mutasi.domain.model import PositionKind


@lru_cache(maxsize=8192)
def normalise_name(text: str) -> str:
    """Key for matching names typed by people: case, accents and spacing ignored.

    Memoised: ranking and the vacancy list fold the same competency and field names for
    every post they score."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(folded.split()).casefold()


_SLUG_MAX = 48


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", normalise_name(text)).strip("-")
    if len(slug) > _SLUG_MAX:
        # Keep long names unique and stable: truncate, then add a hash of the full name.
        digest = hashlib.sha1(slug.encode()).hexdigest()[:8]
        slug = f"{slug[:_SLUG_MAX].rstrip('-')}-{digest}"
    return slug or "x"


def position_code_for(unit_code: str, position_name: str) -> str:
    """Stable code of a position by unit and name, so an import can upsert by code."""
    return f"{unit_code}.{slugify(position_name)}"


_FUNCTIONAL_WORDS = re.compile(
    r"\b(ahli|terampil|mahir|penyelia|dokter|guru|perawat|bidan|apoteker|pengawas sekolah"
    r"|widyaiswara|penyuluh|arsiparis|pustakawan)\b"
)
_STRUCTURAL = (
    (
        re.compile(r"^(kepala (dinas|badan|inspektorat)|sekretaris daerah|inspektur|asisten)\b"),
        PositionKind.JPT,
    ),
    (
        re.compile(r"^(sekretaris|kepala bidang|kepala bagian|camat|kabid|kabag)\b"),
        PositionKind.ADMINISTRATOR,
    ),
    (
        re.compile(
            r"^(kepala (seksi|sub ?bagian|sub ?bidang|uptd|puskesmas)|kasi|kasubbag|lurah)\b"
        ),
        PositionKind.PENGAWAS,
    ),
)


def guess_position_kind(position_name: str) -> PositionKind:
    """Kind of a position known only by name (CSV import): structural titles first,
    then functional words (Ahli, Terampil, Dokter, Guru, …), otherwise pelaksana."""
    name = normalise_name(position_name)
    for pattern, kind in _STRUCTURAL:
        if pattern.search(name):
            return kind
    if _FUNCTIONAL_WORDS.search(name):
        return PositionKind.FUNGSIONAL
    return PositionKind.PELAKSANA
