"""What BKPSDM asks of a transfer plan: its scope, the weights of its objective, its limits.

These are the body of `POST /plans` and of `plan.drafted`/`plan.edited`, so they are strict
pydantic models with Indonesian descriptions; their defaults are documented in
docs/planning.md.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from mutasi.web.text import Code, ShortText

Nip = Annotated[str, StringConstraints(pattern=r"^\d{18}$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PlanWeights(_Strict):
    """Relative weights of the objective's components (each scored 0–100)."""

    fit: float = Field(0.45, ge=0, description="Kesesuaian kompetensi dan pendidikan (R5)")
    workload: float = Field(0.2, ge=0, description="Pemerataan beban kerja menurut ABK")
    aspiration: float = Field(0.15, ge=0, description="Aspirasi pegawai")
    distance: float = Field(0.1, ge=0, description="Kedekatan dengan domisili")
    performance: float = Field(0.1, ge=0, description="Predikat SKP (untuk yang dipindah)")

    @model_validator(mode="after")
    def _some(self) -> PlanWeights:
        if not any(self.model_dump().values()):
            raise ValueError("setidaknya satu bobot harus lebih dari 0 / some weight > 0")
        return self

    @property
    def total(self) -> float:
        return sum(self.model_dump().values())


class Pair(_Strict):
    nip: Nip
    position_code: Code


class UnitLimit(_Strict):
    unit: Code
    max_out: int = Field(ge=0, description="Paling banyak sekian pegawai keluar dari unit ini")


class PlanRules(_Strict):
    """Constraints: the hard rules always hold; these add BKPSDM's own limits."""

    min_tenure: bool = Field(
        True, description="R2: yang belum 2 tahun dalam jabatan tidak dipindah"
    )
    rotation_due_must_move: bool = Field(
        False, description="R3: yang lebih dari 5 tahun dalam jabatan wajib dipindah"
    )
    max_moves_out_per_unit: int | None = Field(
        None, ge=0, description="Paling banyak sekian pegawai keluar dari satu unit"
    )
    max_moves_out: list[UnitLimit] = Field(
        default_factory=list, description="Batas keluar per unit (menimpa batas umum)"
    )
    min_staffing_ratio: float | None = Field(
        None, ge=0, le=2, description="Setiap unit tetap terisi ≥ rasio × kebutuhan ABK"
    )
    max_moves: int | None = Field(None, ge=0, description="Paling banyak sekian mutasi")
    min_fit: float = Field(0.0, ge=0, le=100, description="Skor kesesuaian minimal di jabatan baru")
    min_gain: float = Field(
        1.0, ge=0, le=100, description="Mutasi hanya bila nilainya naik sekian poin dari tetap"
    )
    locked: list[Pair] = Field(default_factory=list, description="Pasangan yang wajib ada")
    excluded: list[Pair] = Field(default_factory=list, description="Pasangan yang dilarang")
    excluded_employees: list[Nip] = Field(
        default_factory=list, description="Pegawai yang tidak diikutkan"
    )


class PlanScope(_Strict):
    units: list[Code] = Field(
        default_factory=list, description="Unit kerja dalam rencana; kosong: seluruh instansi"
    )
    period_start: date = Field(description="Awal periode; TMT usulan dari rencana ini")
    period_end: date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> PlanScope:
        if self.period_end is not None and self.period_end < self.period_start:
            raise ValueError("akhir periode sebelum awalnya / period ends before it starts")
        return self


class PlanSpec(_Strict):
    title: ShortText
    scope: PlanScope
    weights: PlanWeights = PlanWeights()
    rules: PlanRules = PlanRules()
