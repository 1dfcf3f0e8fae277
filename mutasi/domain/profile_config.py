"""A government's profile-matching settings, with the documented defaults (docs/planning.md).

Every number a ranking or a plan uses comes from here, so a government that weighs education
more, or forgives over-qualification, changes its settings, not the code.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from mutasi.domain.competency import MANAGERIAL

ASPECTS: tuple[str, ...] = (
    "managerial",
    "sociocultural",
    "technical",
    "education",
    "performance",
    "preference",
)
# The aspects R5 calls "fit": does the person meet the post's competency and education standard.
FIT_ASPECTS: tuple[str, ...] = ("managerial", "sociocultural", "technical", "education")
ASPECT_LABELS = {
    "managerial": "Kompetensi manajerial",
    "sociocultural": "Kompetensi sosial kultural",
    "technical": "Kompetensi teknis",
    "education": "Pendidikan",
    "performance": "Kinerja (SKP)",
    "preference": "Aspirasi dan jarak",
}
# SPEC §11: gap = actual − required → weight; exceeding the standard costs a little too.
DEFAULT_GAP_WEIGHTS: dict[int, float] = {
    0: 5.0,
    1: 4.5,
    -1: 4.0,
    2: 3.5,
    -2: 3.0,
    3: 2.5,
    -3: 2.0,
    4: 1.5,
    -4: 1.0,
}
Weight = Annotated[float, Field(ge=0.0, le=5.0)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AspirationWeights(_Frozen):
    position: Weight = 5.0  # the post itself was wished for
    unit: Weight = 4.5
    city: Weight = 4.0
    other: Weight = 2.0  # wishes are recorded, none names this post


class DistanceBand(_Frozen):
    up_to_km: float = Field(ge=0)
    weight: Weight


class Penalties(_Frozen):
    """Points (of 100) a broken soft rule takes off a candidate's score."""

    r2_min_tenure: float = Field(default=10.0, ge=0, le=100)
    r6_performance: float = Field(default=5.0, ge=0, le=100)


class ProfileConfig(_Frozen):
    gap_weights: dict[int, Weight] = Field(default_factory=lambda: dict(DEFAULT_GAP_WEIGHTS))
    core_share: float = Field(default=0.6, ge=0.0, le=1.0)
    aspect_weights: dict[str, float] = Field(
        default_factory=lambda: {
            "managerial": 20.0,
            "sociocultural": 10.0,
            "technical": 25.0,
            "education": 25.0,
            "performance": 10.0,
            "preference": 10.0,
        }
    )
    core_managerial: tuple[str, ...] = MANAGERIAL[:4]
    unknown_weight: Weight = 3.0  # a criterion without data (not assessed): neither good nor bad
    field_mismatch_weight: Weight = 1.0
    aspiration: AspirationWeights = AspirationWeights()
    distance_bands: tuple[DistanceBand, ...] = (
        DistanceBand(up_to_km=25, weight=5.0),
        DistanceBand(up_to_km=75, weight=4.0),
        DistanceBand(up_to_km=150, weight=3.0),
        DistanceBand(up_to_km=300, weight=2.0),
    )
    beyond_bands_weight: Weight = 1.0
    penalties: Penalties = Penalties()
    pass_score: float = Field(default=70.0, ge=0, le=100)

    @field_validator("gap_weights")
    @classmethod
    def _has_zero(cls, value: dict[int, float]) -> dict[int, float]:
        if 0 not in value:
            raise ValueError("gap_weights needs an entry for gap 0")
        return value

    @field_validator("aspect_weights")
    @classmethod
    def _known_aspects(cls, value: dict[str, float]) -> dict[str, float]:
        unknown = set(value) - set(ASPECTS)
        if unknown or any(w < 0 for w in value.values()) or not any(value.values()):
            raise ValueError(f"aspect weights: known aspects {ASPECTS}, ≥ 0, not all 0")
        return {a: float(value.get(a, 0.0)) for a in ASPECTS}

    @model_validator(mode="after")
    def _bands_ordered(self) -> ProfileConfig:
        limits = [b.up_to_km for b in self.distance_bands]
        if limits != sorted(limits):
            raise ValueError("distance bands must be ordered by distance")
        return self

    def gap_weight(self, gap: int) -> float:
        """The weight of a gap; beyond the table, the table's last entry that way."""
        if gap in self.gap_weights:
            return self.gap_weights[gap]
        side = [g for g in self.gap_weights if (g > 0) == (gap > 0) and g != 0]
        if not side:
            return self.gap_weights[0]
        return self.gap_weights[max(side) if gap > 0 else min(side)]

    def minimum_weight(self, gap: int) -> float:
        """For "at least" criteria (education level, SKP): meeting or exceeding scores 5."""
        return self.gap_weights[0] if gap >= 0 else self.gap_weight(gap)

    def distance_weight(self, km: float) -> float:
        for band in self.distance_bands:
            if km <= band.up_to_km:
                return band.weight
        return self.beyond_bands_weight


DEFAULT_PROFILE = ProfileConfig()
