"""Master data of the domain: governments, units, positions, employees, position history.

Frozen pydantic models: validated once on construction, then values that can be shared freely
between workflows and services. Collections are tuples and read-only mappings.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    model_validator,
)

from mutasi.domain.education import EducationLevel
from mutasi.domain.grades import canonical_grade
from mutasi.domain.nip import parse_gender, parse_nip
from mutasi.domain.performance import Performance

GradeText = Annotated[str, AfterValidator(canonical_grade)]
NipText = Annotated[str, AfterValidator(lambda v: "".join(v.split()))]
GenderText = Annotated[str, AfterValidator(parse_gender)]
CompetencyLevel = Annotated[int, Field(ge=0, le=5)]  # 0 = none … 5 = expert


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class TenantKind(Enum):
    KOTA = "kota"
    KABUPATEN = "kabupaten"
    PROVINSI = "provinsi"


class Tenant(_Frozen):
    slug: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    name: str = Field(min_length=1)
    kind: TenantKind
    province: str = Field(min_length=1)
    head_inaugurated_on: date | None = None
    election_candidate_determination_on: date | None = None


class Unit(_Frozen):
    code: str = Field(min_length=1)
    name: str = Field(min_length=1)
    parent_code: str | None = None
    head_position_code: str | None = None


class PositionKind(Enum):
    JPT = "JPT"  # jabatan pimpinan tinggi (struktural eselon II)
    ADMINISTRATOR = "administrator"
    PENGAWAS = "pengawas"
    PELAKSANA = "pelaksana"
    FUNGSIONAL = "fungsional"


class Position(_Frozen):
    code: str = Field(min_length=1)
    name: str = Field(min_length=1)
    unit_code: str = Field(min_length=1)
    kind: PositionKind
    # kelas jabatan; "class" outside Python (JSON, SQL), where it is not a reserved word
    class_: int = Field(
        default=7,
        ge=1,
        le=17,
        validation_alias=AliasChoices("class", "class_"),
        serialization_alias="class",
    )
    required_education_level: EducationLevel | None = None
    required_education_fields: tuple[str, ...] = ()
    required_competencies: dict[str, CompetencyLevel] = Field(default_factory=dict)
    needed: int = Field(default=1, ge=0)  # kebutuhan (ABK)
    filled: int = Field(default=0, ge=0)  # bezetting

    @property
    def vacancies(self) -> int:
        return max(self.needed - self.filled, 0)

    @property
    def is_vacant(self) -> bool:
        return self.filled < self.needed


class SanctionKind(Enum):
    RINGAN = "ringan"  # light
    SEDANG = "sedang"  # moderate
    BERAT = "berat"  # severe


class Sanction(_Frozen):
    """A disciplinary sanction (hukuman disiplin), in force from `start` to `end` inclusive."""

    start: date
    end: date
    kind: SanctionKind

    def is_active(self, today: date) -> bool:
        # Inclusive: a sanction ending today still binds today and lapses tomorrow.
        return self.start <= today <= self.end

    @model_validator(mode="after")
    def _ordered(self) -> Sanction:
        if self.end < self.start:
            raise ValueError("sanction end is before its start")
        return self


class Aspirations(_Frozen):
    """Where the employee would like to go (unit codes, position codes, city names)."""

    units: tuple[str, ...] = ()
    positions: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()


class Employee(_Frozen):
    nip: NipText
    name: str = Field(min_length=1)
    birth_date: date
    gender: GenderText
    grade: GradeText
    position_code: str
    unit_code: str
    position_since: date  # TMT jabatan
    education_level: EducationLevel
    education_field: str | None = None
    competencies: dict[str, CompetencyLevel] = Field(default_factory=dict)
    performance: dict[int, Performance] = Field(default_factory=dict)  # year -> SKP predicate
    sanctions: tuple[Sanction, ...] = ()
    home_city: str | None = None
    aspirations: Aspirations = Aspirations()

    @model_validator(mode="after")
    def _nip_agrees(self) -> Employee:
        parse_nip(self.nip, birth_date=self.birth_date, gender=self.gender)
        return self

    def active_sanctions(self, today: date) -> tuple[Sanction, ...]:
        return tuple(s for s in self.sanctions if s.is_active(today))


class PositionHolding(_Frozen):
    """One period in a position (riwayat jabatan); `end` None means still held."""

    nip: NipText
    position_code: str
    start: date
    end: date | None = None


class TransferKind(Enum):
    WITHIN_GOVERNMENT = "within_government"
    BETWEEN_GOVERNMENTS_SAME_PROVINCE = "between_governments_same_province"
    BETWEEN_PROVINCES = "between_provinces"

    @property
    def is_inter_government(self) -> bool:
        return self is not TransferKind.WITHIN_GOVERNMENT


DecreeAuthority = Literal["ppk", "governor", "mendagri"]


def determine_kind(origin: Tenant, target: Tenant) -> TransferKind:
    """PP 11/2017 Pasal 191–193: the kind follows from the two governments involved."""
    if origin.slug == target.slug:
        return TransferKind.WITHIN_GOVERNMENT
    if " ".join(origin.province.split()).casefold() == " ".join(target.province.split()).casefold():
        return TransferKind.BETWEEN_GOVERNMENTS_SAME_PROVINCE
    return TransferKind.BETWEEN_PROVINCES


_AUTHORITY: dict[TransferKind, DecreeAuthority] = {
    TransferKind.WITHIN_GOVERNMENT: "ppk",
    TransferKind.BETWEEN_GOVERNMENTS_SAME_PROVINCE: "governor",
    TransferKind.BETWEEN_PROVINCES: "mendagri",
}


def decree_authority(kind: TransferKind) -> DecreeAuthority:
    """Who signs the decree: the government's PPK, the governor, or the Minister (Mendagri)."""
    return _AUTHORITY[kind]


class RequiredDocument(_Frozen):
    code: str
    label_id: str
    label_en: str


def _doc(code: str, label_id: str, label_en: str) -> RequiredDocument:
    return RequiredDocument(code=code, label_id=label_id, label_en=label_en)


# Peraturan BKN 5/2019: the file for a move between governments.
INTER_GOVERNMENT_DOCUMENTS: tuple[RequiredDocument, ...] = (
    _doc(
        "request_letter",
        "Surat permohonan pindah dari PNS yang bersangkutan",
        "The employee's request letter",
    ),
    _doc(
        "receiving_ppk_proposal",
        "Surat usul PPK instansi penerima yang menyebutkan jabatan",
        "The receiving PPK's proposal naming the post",
    ),
    _doc(
        "origin_ppk_consent",
        "Surat persetujuan PPK instansi asal yang menyebutkan jabatan",
        "The origin PPK's consent naming the post",
    ),
    _doc(
        "anjab_abk",
        "Analisis jabatan dan analisis beban kerja (ANJAB/ABK) jabatan tujuan",
        "ANJAB/ABK of the post",
    ),
    _doc(
        "no_sanction_statement",
        "Surat pernyataan tidak sedang dijatuhi hukuman disiplin atau proses peradilan",
        "Statement of no disciplinary sanction or court case",
    ),
    _doc("last_decree", "SK pangkat/jabatan terakhir", "The last rank/position decree"),
    _doc(
        "skp_two_years",
        "SKP 2 tahun terakhir dengan predikat minimal Baik",
        "SKP 'Baik' or better for the last 2 years",
    ),
    _doc(
        "no_study_leave_statement",
        "Surat pernyataan tidak sedang tugas belajar atau ikatan dinas",
        "Statement of not being on study leave or under a service bond",
    ),
    _doc(
        "inspectorate_certificate",
        "Surat keterangan bebas temuan dari Inspektorat",
        "The Inspectorate's no-findings certificate",
    ),
)

WITHIN_GOVERNMENT_DEFAULT_DOCUMENTS: tuple[RequiredDocument, ...] = (
    _doc("proposal_letter", "Surat usul mutasi", "Transfer proposal letter"),
    _doc("skp_two_years", "SKP 2 tahun terakhir", "SKP of the last 2 years"),
    _doc("last_decree", "SK pangkat/jabatan terakhir", "The last rank/position decree"),
)

_KNOWN_DOCUMENTS = {
    d.code: d for d in INTER_GOVERNMENT_DOCUMENTS + WITHIN_GOVERNMENT_DEFAULT_DOCUMENTS
}


def required_documents(
    kind: TransferKind, tenant_checklist: list[str] | None = None, self_application: bool = False
) -> tuple[RequiredDocument, ...]:
    """The documents a transfer of `kind` must carry.

    Between governments the national list applies whatever the tenant configured. Within a
    government the tenant's own checklist (document codes) applies, else the defaults; a code
    the domain does not know is kept, labelled with the code itself. An employee applying
    for themself brings their own request letter where a proposer brings a proposal letter.
    """
    if kind.is_inter_government:
        return INTER_GOVERNMENT_DOCUMENTS
    codes = (
        list(dict.fromkeys(tenant_checklist))
        if tenant_checklist is not None
        else [d.code for d in WITHIN_GOVERNMENT_DEFAULT_DOCUMENTS]
    )  # de-duplicated, order kept
    if self_application:
        codes = list(dict.fromkeys(_OWN_LETTER.get(code, code) for code in codes))
    return tuple(_KNOWN_DOCUMENTS.get(code) or _doc(code, code, code) for code in codes)


# The proposer's letter, and what an employee applying for themself brings instead.
_OWN_LETTER = {"proposal_letter": "request_letter"}
