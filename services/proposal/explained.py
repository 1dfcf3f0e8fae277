"""How a profile-matching result is shown: every criterion with required, actual, gap,
weight and contribution; the aspects; the soft rules that lowered the score."""

from __future__ import annotations

from pydantic import BaseModel, Field

from mutasi.domain.profile_matching import ProfileMatch


class CriterionOut(BaseModel):
    aspect: str
    name: str
    factor: str = Field(description="core (faktor utama) atau secondary (faktor pendukung)")
    required: str | None
    actual: str | None = Field(description="null: belum ada data")
    gap: int | None
    weight: float = Field(description="Bobot nilai 1–5 dari tabel gap")
    contribution: float = Field(description="Sumbangan ke skor (poin dari 100)")
    note: str = ""


class AspectOut(BaseModel):
    aspect: str
    label: str
    weight: float
    core_mean: float | None
    secondary_mean: float | None
    value: float


class PenaltyOut(BaseModel):
    rule: str
    points: float
    reason: str


class ExplainedScore(BaseModel):
    score: float = Field(description="Skor akhir 0–100 (setelah pengurangan aturan lunak)")
    base_score: float
    fit: float = Field(description="Skor kesesuaian kompetensi dan pendidikan (R5)")
    passed_r5: bool
    distance_km: float | None
    aspects: list[AspectOut]
    criteria: list[CriterionOut]
    penalties: list[PenaltyOut]
    missing_competencies: list[str]
    not_assessed: list[str]


def explained(match: ProfileMatch, passed: bool, km: float | None) -> ExplainedScore:
    return ExplainedScore(
        score=round(match.score, 2),
        base_score=round(match.base_score, 2),
        fit=round(match.fit, 2),
        passed_r5=passed,
        distance_km=None if km is None else round(km, 1),
        aspects=[
            AspectOut(
                aspect=a.aspect,
                label=a.label,
                weight=a.weight,
                value=round(a.value, 4),
                core_mean=None if a.core_mean is None else round(a.core_mean, 4),
                secondary_mean=None if a.secondary_mean is None else round(a.secondary_mean, 4),
            )  # fmt: skip
            for a in match.aspects
        ],
        criteria=[
            CriterionOut(
                aspect=c.aspect,
                name=c.name,
                factor="core" if c.core else "secondary",
                required=c.required,
                actual=c.actual,
                gap=c.gap,
                weight=c.weight,
                contribution=round(c.contribution, 2),
                note=c.note,
            )  # fmt: skip
            for c in match.criteria
        ],
        penalties=[
            PenaltyOut(rule=p.rule, points=p.points, reason=p.reason) for p in match.penalties
        ],
        missing_competencies=list(match.missing_competencies),
        not_assessed=list(match.not_assessed),
    )
