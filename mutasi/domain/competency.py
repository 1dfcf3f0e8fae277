"""Competencies of the ASN competency standard (Permenpan RB 38/2017) and their levels.

A position's standard names the level (1–5) it requires of each competency: the eight
managerial ones, the socio-cultural one (*Perekat Bangsa*) and the technical ones of its
field. An assessment-centre report gives an employee's level in each. Everything that is
neither managerial nor socio-cultural is technical.

Officers write levels as `3`, ` 4 `, `III` or `Level 3`; `3,5`, `7` and an empty cell are
refused, since a level is a whole number from 1 to 5.
"""

from __future__ import annotations

import re
from enum import StrEnum

from mutasi.domain.errors import DomainError
from mutasi.domain.naming import normalise_name

MIN_LEVEL, MAX_LEVEL = 1, 5


class CompetencyKind(StrEnum):
    MANAGERIAL = "managerial"
    SOCIOCULTURAL = "sociocultural"
    TECHNICAL = "technical"


MANAGERIAL: tuple[str, ...] = (
    "Integritas",
    "Kerja Sama",
    "Komunikasi",
    "Orientasi pada Hasil",
    "Pelayanan Publik",
    "Pengembangan Diri dan Orang Lain",
    "Mengelola Perubahan",
    "Pengambilan Keputusan",
)
SOCIOCULTURAL: tuple[str, ...] = ("Perekat Bangsa",)
STANDARD_COLUMNS: tuple[str, ...] = MANAGERIAL + SOCIOCULTURAL

_KIND = {normalise_name(n): CompetencyKind.MANAGERIAL for n in MANAGERIAL} | {
    normalise_name(n): CompetencyKind.SOCIOCULTURAL for n in SOCIOCULTURAL
}
_CANONICAL = {normalise_name(n): n for n in STANDARD_COLUMNS}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5}
_LEVEL = re.compile(r"^(?:level|tingkat|lvl\.?)?\s*([0-9]+|[ivx]+)$")
_TECHNICAL_ITEM = re.compile(r"^(.+?)\s*[:=]\s*(.+)$")


def kind_of(name: str) -> CompetencyKind:
    return _KIND.get(normalise_name(name), CompetencyKind.TECHNICAL)


def canonical_name(name: str) -> str:
    """The standard spelling of a managerial/socio-cultural name; others keep their own."""
    cleaned = " ".join(name.split())
    return _CANONICAL.get(normalise_name(cleaned), cleaned)


def _invalid(raw: str) -> DomainError:
    return DomainError(
        "competency.level_invalid",
        f"Tingkat kompetensi '{raw}' tidak sah (bilangan bulat {MIN_LEVEL}–{MAX_LEVEL}, "
        "boleh ditulis III atau Level 3)",
        f"Competency level '{raw}' is invalid (a whole number {MIN_LEVEL}–{MAX_LEVEL}; "
        "III or Level 3 also read)",
        value=raw,
    )


def parse_level(raw: str) -> int:
    """`3`, ` 4 `, `III`, `Level 3` → the level; anything else (e.g. `3,5`, `7`) refused."""
    text = " ".join(raw.split()).casefold()
    match = _LEVEL.match(text)
    if match is None:
        raise _invalid(raw.strip())
    token = match.group(1)
    level = int(token) if token.isdigit() else _ROMAN.get(token, 0)
    if not MIN_LEVEL <= level <= MAX_LEVEL:
        raise _invalid(raw.strip())
    return level


def parse_technical(raw: str) -> dict[str, int]:
    """`Name:level; Name:level` (also `,` or `|` between items) → {name: level}."""
    found: dict[str, int] = {}
    for item in (i.strip() for i in re.split(r"[;|]", raw) if i.strip()):
        match = _TECHNICAL_ITEM.match(item)
        if match is None:
            raise DomainError(
                "competency.technical_invalid",
                f"Kompetensi teknis '{item}' harus ditulis 'Nama:tingkat'",
                f"Technical competency '{item}' must read 'Name:level'",
                value=item,
            )
        found[" ".join(match.group(1).split())] = parse_level(match.group(2))
    return found
