"""Education level (pendidikan terakhir), ordered SD < SMP < SMA < D3 < D4 = S1 < S2 < S3.

D4 (Diploma IV / Sarjana Terapan) and S1 are the same KKNI level (6) and are interchangeable
in position requirements, so they share a rank: a D4 holder meets an S1 requirement and back.
"""

from __future__ import annotations

from enum import Enum

from mutasi.domain.errors import DomainError


class EducationLevel(Enum):
    SD = "SD"
    SMP = "SMP"
    SMA = "SMA"
    D3 = "D3"
    D4 = "D4"
    S1 = "S1"
    S2 = "S2"
    S3 = "S3"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    def meets(self, required: EducationLevel | None) -> bool:
        return required is None or self.rank >= required.rank

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, EducationLevel):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, EducationLevel):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, EducationLevel):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, EducationLevel):
            return NotImplemented
        return self.rank >= other.rank


_RANKS = {
    EducationLevel.SD: 1,
    EducationLevel.SMP: 2,
    EducationLevel.SMA: 3,
    EducationLevel.D3: 4,
    EducationLevel.D4: 5,
    EducationLevel.S1: 5,
    EducationLevel.S2: 6,
    EducationLevel.S3: 7,
}
# Spellings seen in SIMPEG exports, keyed without spaces, dashes or dots.
_ALIASES = {
    "SD": "SD",
    "MI": "SD",
    "SR": "SD",
    "SMP": "SMP",
    "SLTP": "SMP",
    "MTS": "SMP",
    "SMA": "SMA",
    "SLTA": "SMA",
    "SMU": "SMA",
    "SMK": "SMA",
    "STM": "SMA",
    "MA": "SMA",
    "D3": "D3",
    "DIII": "D3",
    "DIPLOMA3": "D3",
    "DIPLOMAIII": "D3",
    "D4": "D4",
    "DIV": "D4",
    "DIPLOMA4": "D4",
    "DIPLOMAIV": "D4",
    "S1": "S1",
    "SARJANA": "S1",
    "S2": "S2",
    "MAGISTER": "S2",
    "MASTER": "S2",
    "S3": "S3",
    "DOKTOR": "S3",
    "DOKTORAL": "S3",
}


def parse_education_level(text: str) -> EducationLevel:
    key = "".join(ch for ch in text.upper() if ch.isalnum())
    code = _ALIASES.get(key)
    if code is None:
        raise DomainError(
            "education.invalid",
            f"Jenjang pendidikan tidak dikenali: '{text.strip()}' "
            "(SD, SMP, SMA, D3, D4, S1, S2, S3)",
            f"Unknown education level: '{text.strip()}' (SD, SMP, SMA, D3, D4, S1, S2, S3)",
            value=text,
        )
    return EducationLevel(code)
