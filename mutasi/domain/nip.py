"""NIP, the 18-digit civil-servant number: YYYYMMDD birth, YYYYMM CPNS start, gender, sequence.

Example 197803132000021001: born 1978-03-13, CPNS since 2000-02, male (1), sequence 001.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mutasi.domain.errors import DomainError

NIP_LENGTH = 18
MIN_CPNS_AGE = 18  # UU ASN: a CPNS applicant is at least 18 years old

_GENDER_BY_DIGIT = {"1": "L", "2": "P"}
_GENDER_ALIASES = {
    "l": "L",
    "laki-laki": "L",
    "laki laki": "L",
    "lk": "L",
    "pria": "L",
    "m": "L",
    "male": "L",
    "p": "P",
    "perempuan": "P",
    "pr": "P",
    "wanita": "P",
    "f": "P",
    "female": "P",
}


class NipInvalid(DomainError):
    """A NIP that is malformed or disagrees with the employee's other data."""


@dataclass(frozen=True, slots=True)
class Nip:
    value: str
    birth_date: date
    cpns_start: tuple[int, int]  # (year, month)
    gender: str  # 'L' (laki-laki) or 'P' (perempuan)
    sequence: int

    def __str__(self) -> str:
        return self.value


def parse_gender(text: str) -> str:
    """'L' or 'P' from the usual spellings (L/P, Laki-laki/Perempuan, Pria/Wanita, M/F)."""
    gender = _GENDER_ALIASES.get(" ".join(text.split()).lower())
    if gender is None:
        raise DomainError(
            "gender.invalid",
            f"Jenis kelamin tidak dikenali: '{text}' (gunakan L atau P)",
            f"Unknown gender: '{text}' (use L or P)",
            value=text,
        )
    return gender


def parse_nip(
    nip: str,
    *,
    birth_date: date | None = None,
    gender: str | None = None,
    today: date | None = None,
) -> Nip:
    """Parse and check a NIP; with `birth_date`/`gender` also check it agrees with them.

    `today` enables the checks that need a clock: birth date and CPNS start not in the future.
    """
    value = "".join(nip.split())  # BKN prints NIPs grouped: "19780313 200002 1 001"
    if value and not (value.isascii() and value.isdigit()):
        raise NipInvalid(
            "nip.not_digits",
            f"NIP hanya boleh berisi angka: '{value}'",
            f"NIP must contain digits only: '{value}'",
        )
    if len(value) != NIP_LENGTH:
        raise NipInvalid(
            "nip.length",
            f"NIP harus 18 digit, bukan {len(value)}: '{value}'",
            f"NIP must have 18 digits, not {len(value)}: '{value}'",
        )
    born = _birth_date(value, today)
    cpns_start = _cpns_start(value, born, today)
    parsed = Nip(value, born, cpns_start, _gender(value), int(value[15:]))
    _check_agreement(parsed, birth_date, gender)
    return parsed


def _birth_date(value: str, today: date | None) -> date:
    try:
        born = date(int(value[0:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        born = None
    if born is None or born.year < 1900 or (today is not None and born > today):
        raise NipInvalid(
            "nip.birth_date_invalid",
            f"Tanggal lahir dalam NIP tidak valid: '{value[0:8]}'",
            f"The birth date inside the NIP is not a valid date: '{value[0:8]}'",
        )
    return born


def _cpns_start(value: str, born: date, today: date | None) -> tuple[int, int]:
    year, month = int(value[8:12]), int(value[12:14])
    # Month precision: a CPNS start in the month of the 18th birthday is accepted.
    reason = None
    if not 1 <= month <= 12:
        reason = ("bulan tidak valid", "invalid month")
    elif (year, month) < (born.year + MIN_CPNS_AGE, born.month):
        reason = ("sebelum usia 18 tahun", "before the age of 18")
    elif today is not None and (year, month) > (today.year, today.month):
        reason = ("di masa depan", "in the future")
    if reason:
        raise NipInvalid(
            "nip.cpns_start_invalid",
            f"TMT CPNS dalam NIP tidak valid ({reason[0]}): '{value[8:14]}'",
            f"The CPNS start inside the NIP is invalid ({reason[1]}): '{value[8:14]}'",
        )
    return year, month


def _gender(value: str) -> str:
    gender = _GENDER_BY_DIGIT.get(value[14])
    if gender is None:
        raise NipInvalid(
            "nip.gender_invalid",
            f"Digit jenis kelamin dalam NIP harus 1 atau 2, bukan {value[14]}",
            f"The gender digit of a NIP must be 1 or 2, not {value[14]}",
        )
    return gender


def _check_agreement(parsed: Nip, birth_date: date | None, gender: str | None) -> None:
    if birth_date is not None and birth_date != parsed.birth_date:
        raise NipInvalid(
            "nip.birth_date_mismatch",
            f"Tanggal lahir {birth_date:%d-%m-%Y} tidak sesuai dengan NIP "
            f"({parsed.birth_date:%d-%m-%Y})",
            f"Birth date {birth_date.isoformat()} disagrees with the NIP "
            f"({parsed.birth_date.isoformat()})",
        )
    if gender is not None and parse_gender(gender) != parsed.gender:
        raise NipInvalid(
            "nip.gender_mismatch",
            f"Jenis kelamin '{gender}' tidak sesuai dengan NIP ({parsed.gender})",
            f"Gender '{gender}' disagrees with the NIP ({parsed.gender})",
        )


def is_valid_nip(nip: str) -> bool:
    try:
        parse_nip(nip)
    except NipInvalid:
        return False
    return True
