"""A government's configuration (SPEC §12): what a national administrator sets when it joins.

Pure: pydantic and the standard library only. The configuration is recorded in the
government's own log as `tenant.registered` (the first, whole configuration) and
`tenant.configured` (the whole configuration after a change), so every change is a fact with
an actor and a reason. The `tenants` table is its projection; `mutasi.tenants.config` reads it.

Settings and what they mean:

- `slug`, `name`, `kind` (kota/kabupaten/provinsi), `province`, `capital` — who it is.
- `time_zone` — WIB, WITA or WIT; `iana_time_zone` gives "Asia/Jakarta" etc. Deadlines, "today"
  and TMT are counted in it.
- `decree_number_format` — the SK number pattern (mutasi.documents.decree_number).
- `ppk`, `bkpsdm_head` — the approving official and the head of BKPSDM (name, title, NIP).
- `extra_holidays` — the government's own days off, on top of national holidays and cuti bersama.
- `incentive_policy` — transport allowance and housing support for far postings (SPEC §11).
- `public_page` — whether the government's public page (vacancies, decisions) is shown.
- `sla_working_days`, `document_checklist`, `head_inaugurated_on`,
  `election_candidate_determination_on`, `ministerial_consent_document` — the rules' inputs
  (deadlines, R10, R9) that the seed and BKPSDM already kept per government.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from mutasi.domain.model import TenantKind

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# Names and codes are one line; a note may break lines. No other control character: they
# would forge what an officer reads on a decree or notice (as mutasi.web.text refuses).
Line = Annotated[
    str, StringConstraints(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$")
]
Note = Annotated[
    str, StringConstraints(max_length=1000, pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$")
]


class TimeZone(StrEnum):
    WIB = "WIB"  # Waktu Indonesia Barat, UTC+7: Sumatra, Java, West/Central Kalimantan
    WITA = "WITA"  # Waktu Indonesia Tengah, UTC+8: Bali, Nusa Tenggara, Sulawesi, …
    WIT = "WIT"  # Waktu Indonesia Timur, UTC+9: Maluku, Papua

    @property
    def iana(self) -> str:
        return IANA_TIME_ZONES[self]

    @classmethod
    def from_iana(cls, name: str) -> TimeZone:
        """The zone of an IANA name as stored in `tenants.timezone` (Pontianak is WIB too)."""
        return {v: k for k, v in IANA_TIME_ZONES.items()}.get(name) or (
            cls.WIB if name == "Asia/Pontianak" else cls(name)
        )


IANA_TIME_ZONES = {
    TimeZone.WIB: "Asia/Jakarta",
    TimeZone.WITA: "Asia/Makassar",
    TimeZone.WIT: "Asia/Jayapura",
}


def _nip(value: str) -> str:
    digits = "".join(value.split())
    if not re.fullmatch(r"\d{18}", digits):
        raise ValueError("NIP harus 18 angka / a NIP has 18 digits")
    return digits


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Official(_Frozen):
    """A named office holder as printed on decrees and notices."""

    name: Line
    title: Line  # "Wali Kota Sorong", "Kepala BKPSDM"
    # Digits, spaces allowed as printed ("19720315 200003 2 001"); elected heads have none.
    nip: (
        Annotated[str, StringConstraints(pattern=r"^[0-9 ]{18,24}$"), AfterValidator(_nip)] | None
    ) = None


class IncentivePolicy(_Frozen):
    """Incentives for a posting far from home (SPEC §11); amounts in rupiah per month.

    Read as: a transfer whose new post is at least `transport_min_km` from the employee's
    domicile gets `transport_allowance_idr`; at least `housing_min_km`, `housing_support_idr`.
    A threshold of None means the government does not pay that incentive.
    """

    transport_min_km: int | None = Field(default=None, ge=0)  # whole km: the log stores no floats
    transport_allowance_idr: int | None = Field(default=None, ge=0)
    housing_min_km: int | None = Field(default=None, ge=0)
    housing_support_idr: int | None = Field(default=None, ge=0)
    note: Note | None = None


class TenantConfiguration(_Frozen):
    slug: str = Field(pattern=SLUG_PATTERN, min_length=3, max_length=63)
    name: Line
    kind: TenantKind
    province: Line
    capital: Line  # seat of its offices
    time_zone: TimeZone = TimeZone.WIB
    decree_number_format: Line = "800.1.3.3/{seq:04d}/BKPSDM/{year}"
    ppk: Official
    bkpsdm_head: Official
    extra_holidays: tuple[date, ...] = ()
    incentive_policy: IncentivePolicy = IncentivePolicy()
    public_page: bool = True
    sla_working_days: int = Field(default=5, ge=1, le=60)
    # The furthest ahead a TMT may lie when a transfer is proposed, revised or decided (days).
    max_effective_days: int = Field(default=365, ge=1, le=730)
    document_checklist: tuple[Line, ...] | None = None  # None: the default checklist
    head_inaugurated_on: date | None = None
    election_candidate_determination_on: date | None = None
    ministerial_consent_document: Line | None = None

    @property
    def iana_time_zone(self) -> str:
        return self.time_zone.iana

    def with_changes(self, **changes: Any) -> TenantConfiguration:
        """This configuration with some settings replaced, validated as a whole again."""
        return TenantConfiguration.model_validate(self.model_dump() | changes)

    def differences(self, other: TenantConfiguration) -> list[str]:
        """Names of the settings that differ from `other`, in declaration order."""
        mine, theirs = self.model_dump(), other.model_dump()
        return [name for name in type(self).model_fields if mine[name] != theirs[name]]


class TenantRegistered(TenantConfiguration):
    """Payload of `tenant.registered`: the government's first configuration, whole."""


class TenantConfigured(TenantConfiguration):
    """Payload of `tenant.configured`: the whole configuration after a change, and what changed."""

    changed: tuple[Line, ...] = Field(min_length=1)
