"""Golongan/ruang (grade): I/a–I/d, II/a–II/d, III/a–III/d, IV/a–IV/e, ordered low to high."""

from __future__ import annotations

import re
from dataclasses import dataclass

from mutasi.domain.errors import DomainError

_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
_ROMAN_BY_NUMBER = {number: roman for roman, number in _ROMAN.items()}
_ROOMS = {1: "abcd", 2: "abcd", 3: "abcd", 4: "abcde"}
# Accepts "III/a", "iii / a", "III-a", "III a", "3/a", "IIIa".
# A room glued to the group ("IIIa") must not be I or V, or "III" would read as "II/i".
_PATTERN = re.compile(r"^(IV|III|II|I|[1-4])(?:\s*[/\-.\s]\s*|(?=[A-HJ-UW-Z]))([A-Z])$")


@dataclass(frozen=True, order=True, slots=True)
class Grade:
    group: int  # golongan 1..4
    room: str  # ruang a..e

    def __str__(self) -> str:
        return f"{_ROMAN_BY_NUMBER[self.group]}/{self.room}"


ALL_GRADES: tuple[Grade, ...] = tuple(
    Grade(group, room) for group, rooms in _ROOMS.items() for room in rooms
)


def parse_grade(text: str) -> Grade:
    """Parse a grade written with any spacing, case or separator; reject impossible ones."""
    match = _PATTERN.match(text.strip().upper())
    if match is None:
        raise DomainError(
            "grade.format",
            f"Golongan/ruang tidak dikenali: '{text}' (contoh: III/a)",
            f"Unrecognised grade: '{text}' (example: III/a)",
            value=text,
        )
    group_text, room = match.groups()
    group = int(group_text) if group_text.isdigit() else _ROMAN[group_text]
    room = room.lower()
    if room not in _ROOMS[group]:
        last = _ROOMS[group][-1]
        raise DomainError(
            "grade.invalid",
            f"Golongan/ruang {_ROMAN_BY_NUMBER[group]}/{room} tidak ada: golongan "
            f"{_ROMAN_BY_NUMBER[group]} hanya sampai ruang {last}",
            f"Grade {_ROMAN_BY_NUMBER[group]}/{room} does not exist: group "
            f"{_ROMAN_BY_NUMBER[group]} only goes up to room {last}",
            value=text,
        )
    return Grade(group, room)


def canonical_grade(text: str) -> str:
    """The canonical spelling, e.g. ' iii - a ' -> 'III/a'."""
    return str(parse_grade(text))
