"""Profile matching: how well one employee fits one post, every number explained (SPEC §11).

The method Indonesian BKPSDM decision support uses (docs/planning.md has a worked example):

1. Criteria, grouped in aspects: the post's managerial, socio-cultural and technical
   competencies (levels 1–5), education (level, field), performance (SKP of the last two
   years) and preference (aspiration, distance from home).
2. Per criterion the gap = actual − required is mapped to a weight 1–5
   (`ProfileConfig.gap_weights`: 0 → 5, +1 → 4.5, −1 → 4, …). Education level and SKP are
   minimums: meeting or exceeding them weighs 5. A criterion without data (not assessed, no
   aspiration recorded, distance unknown) weighs `unknown_weight` (3): lacking data is
   neither merit nor fault.
3. Per aspect: core_share (60 %) × mean of its core factors + the rest × mean of its
   secondary factors (a group that is empty leaves the other alone).
4. score = 20 × Σ aspect weight × aspect value / Σ aspect weights (aspects without
   criteria drop out), so 100 is a perfect profile; broken soft rules (R2, R6) then take
   their penalty points off. `fit` is the same over the competency and education aspects
   only: R5's match score.

Each criterion's `contribution` is its share of the score in points, so the contributions
add up to the score before penalties.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mutasi.domain.competency import CompetencyKind, kind_of
from mutasi.domain.dates import add_years
from mutasi.domain.model import Employee, Position
from mutasi.domain.naming import normalise_name
from mutasi.domain.performance import Performance
from mutasi.domain.profile_config import (
    ASPECT_LABELS,
    ASPECTS,
    DEFAULT_PROFILE,
    FIT_ASPECTS,
    ProfileConfig,
)

SCALE = 20.0  # weights are 1–5; ×20 reads as points of 100
MIN_YEARS_IN_POSITION = 2
SKP_REQUIRED = Performance.GOOD
_KIND_ASPECT = {
    CompetencyKind.MANAGERIAL: "managerial",
    CompetencyKind.SOCIOCULTURAL: "sociocultural",
    CompetencyKind.TECHNICAL: "technical",
}


@dataclass(frozen=True, slots=True)
class Criterion:
    aspect: str
    name: str
    core: bool
    required: str | None  # as a person reads it: "3", "S1", "Baik", "Teknik Informatika"
    actual: str | None  # None: no data
    gap: int | None
    weight: float  # 1–5
    contribution: float = 0.0  # points of the score (before penalties)
    note: str = ""  # why, in Indonesian, where the numbers alone do not say


@dataclass(frozen=True, slots=True)
class AspectScore:
    aspect: str
    label: str
    weight: float  # as configured (relative)
    core_mean: float | None
    secondary_mean: float | None
    value: float  # 1–5


@dataclass(frozen=True, slots=True)
class Penalty:
    rule: str
    points: float
    reason: str


@dataclass(frozen=True, slots=True)
class ProfileMatch:
    score: float  # 0–100, after penalties
    fit: float  # 0–100: the competency and education aspects only (R5)
    base_score: float  # 0–100, before penalties
    aspects: tuple[AspectScore, ...]
    criteria: tuple[Criterion, ...]
    penalties: tuple[Penalty, ...]
    level_met: bool
    field_met: bool
    missing_competencies: tuple[str, ...]  # assessed below the required level
    not_assessed: tuple[str, ...]  # required competencies without data

    def passed(self, config: ProfileConfig = DEFAULT_PROFILE) -> bool:
        return self.level_met and self.fit >= config.pass_score


def field_matches(field: str | None, required_fields: tuple[str, ...]) -> bool:
    """One name contains the other, ignoring case and spacing ("Informatika" ~ "Teknik …")."""
    wanted = [normalise_name(f) for f in required_fields if f.strip()]
    if not wanted:
        return True
    have = normalise_name(field or "")
    return bool(have) and any(w in have or have in w for w in wanted)


def _competencies(employee: Employee, position: Position, cfg: ProfileConfig) -> list[Criterion]:
    have = {normalise_name(n): lvl for n, lvl in employee.competencies.items()}
    core_managerial = {normalise_name(n) for n in cfg.core_managerial}
    found = []
    for name, required in position.required_competencies.items():
        if required <= 0:
            continue
        kind = kind_of(name)
        key = normalise_name(name)
        level = have.get(key)
        core = kind is not CompetencyKind.MANAGERIAL or key in core_managerial
        if level is None:
            found.append(
                Criterion(
                    _KIND_ASPECT[kind],
                    name,
                    core,
                    str(required),
                    None,
                    None,
                    cfg.unknown_weight,
                    note="belum dinilai",
                )
            )
            continue
        gap = level - required
        note = "melebihi standar" if gap > 0 else ("di bawah standar" if gap < 0 else "")
        found.append(
            Criterion(
                _KIND_ASPECT[kind],
                name,
                core,
                str(required),
                str(level),
                gap,
                cfg.gap_weight(gap),
                note=note,
            )
        )
    return found


def _education(employee: Employee, position: Position, cfg: ProfileConfig) -> list[Criterion]:
    found = []
    required = position.required_education_level
    if required is not None:
        gap = employee.education_level.rank - required.rank
        found.append(
            Criterion(
                "education",
                "Jenjang pendidikan",
                True,
                required.value,
                employee.education_level.value,
                gap,
                cfg.minimum_weight(gap),
            )
        )
    fields = tuple(f for f in position.required_education_fields if f.strip())
    if fields:
        met = field_matches(employee.education_field, fields)
        found.append(
            Criterion(
                "education",
                "Bidang pendidikan",
                True,
                " / ".join(fields),
                employee.education_field,
                None,
                cfg.gap_weights[0] if met else cfg.field_mismatch_weight,
                note="sesuai" if met else "tidak sesuai",
            )
        )
    return found


def skp_years(today: date) -> tuple[int, int]:
    """The last full year (core factor) and the one before (secondary)."""
    return today.year - 1, today.year - 2


def _performance(employee: Employee, today: date, cfg: ProfileConfig) -> list[Criterion]:
    found = []
    for year, core in zip(skp_years(today), (True, False), strict=True):
        rating = employee.performance.get(year)
        if rating is None:
            found.append(
                Criterion(
                    "performance",
                    f"SKP {year}",
                    core,
                    SKP_REQUIRED.label,
                    None,
                    None,
                    cfg.unknown_weight,
                    note="tidak ada data",
                )
            )
            continue
        gap = rating.rank - SKP_REQUIRED.rank
        found.append(
            Criterion(
                "performance",
                f"SKP {year}",
                core,
                SKP_REQUIRED.label,
                rating.label,
                gap,
                cfg.minimum_weight(gap),
            )
        )
    return found


def aspiration_weight(
    employee: Employee, position: Position, city: str | None, cfg: ProfileConfig
) -> tuple[float, str]:
    wishes = employee.aspirations
    if not (wishes.units or wishes.positions or wishes.cities):
        return cfg.unknown_weight, "tidak ada aspirasi tercatat"
    if position.code in wishes.positions:
        return cfg.aspiration.position, "jabatan yang diminati"
    if position.unit_code in wishes.units:
        return cfg.aspiration.unit, "unit kerja yang diminati"
    if city and normalise_name(city) in {normalise_name(c) for c in wishes.cities}:
        return cfg.aspiration.city, "kota yang diminati"
    return cfg.aspiration.other, "tidak termasuk aspirasi"


def _preference(
    employee: Employee,
    position: Position,
    city: str | None,
    distance_km: float | None,
    cfg: ProfileConfig,
) -> list[Criterion]:
    weight, note = aspiration_weight(employee, position, city, cfg)
    aspiration = Criterion("preference", "Aspirasi", True, None, note, None, weight)
    if distance_km is None:
        distance = Criterion(
            "preference",
            "Jarak dari domisili",
            False,
            None,
            None,
            None,
            cfg.unknown_weight,
            note="jarak tidak diketahui",
        )
    else:
        distance = Criterion(
            "preference",
            "Jarak dari domisili",
            False,
            None,
            f"{distance_km:.0f} km",
            None,
            cfg.distance_weight(distance_km),
        )
    return [aspiration, distance]


def _aspect_scores(
    criteria: list[Criterion], cfg: ProfileConfig, aspects: tuple[str, ...]
) -> list[AspectScore]:
    grouped: dict[str, tuple[list[float], list[float]]] = {}  # aspect -> (core, secondary)
    for c in criteria:
        core, secondary = grouped.setdefault(c.aspect, ([], []))
        (core if c.core else secondary).append(c.weight)
    scores = []
    for aspect in aspects:
        weight = cfg.aspect_weights.get(aspect, 0.0)
        if aspect not in grouped or weight <= 0:
            continue
        core, secondary = grouped[aspect]
        core_mean = sum(core) / len(core) if core else None
        secondary_mean = sum(secondary) / len(secondary) if secondary else None
        if core_mean is None or secondary_mean is None:
            value = core_mean if core_mean is not None else secondary_mean
        else:
            value = cfg.core_share * core_mean + (1 - cfg.core_share) * secondary_mean
        assert value is not None
        scores.append(
            AspectScore(aspect, ASPECT_LABELS[aspect], weight, core_mean, secondary_mean, value)
        )
    return scores


def _total(aspects: list[AspectScore]) -> float:
    weight = sum(a.weight for a in aspects)
    return SCALE * sum(a.weight * a.value for a in aspects) / weight if weight else 100.0


def _contributions(
    criteria: list[Criterion], aspects: list[AspectScore], cfg: ProfileConfig
) -> list[Criterion]:
    total_weight = sum(a.weight for a in aspects)
    by_aspect = {a.aspect: a for a in aspects}
    group_size: dict[tuple[str, bool], int] = {}  # criteria sharing an aspect's core/secondary mean
    for c in criteria:
        group_size[c.aspect, c.core] = group_size.get((c.aspect, c.core), 0) + 1
    done = []
    for c in criteria:
        aspect = by_aspect.get(c.aspect)
        if aspect is None:
            done.append(c)
            continue
        both = aspect.core_mean is not None and aspect.secondary_mean is not None
        share = (cfg.core_share if c.core else 1 - cfg.core_share) if both else 1.0
        points = SCALE * aspect.weight / total_weight * share / group_size[c.aspect, c.core]
        done.append(
            Criterion(
                c.aspect,
                c.name,
                c.core,
                c.required,
                c.actual,
                c.gap,
                c.weight,
                points * c.weight,
                c.note,
            )  # fmt: skip
        )
    return done


def soft_penalties(employee: Employee, today: date, cfg: ProfileConfig) -> list[Penalty]:
    """R2 (under 2 years in post) and R6 (SKP below Baik or missing) lower a candidate."""
    found = []
    eligible = add_years(employee.position_since, MIN_YEARS_IN_POSITION)
    if today < eligible and cfg.penalties.r2_min_tenure:
        found.append(
            Penalty(
                "R2",
                cfg.penalties.r2_min_tenure,
                f"belum 2 tahun dalam jabatan (baru dapat dimutasi {eligible:%d-%m-%Y})",
            )
        )
    short = [
        y
        for y in skp_years(today)
        if (p := employee.performance.get(y)) is None or p < SKP_REQUIRED
    ]
    if short and cfg.penalties.r6_performance:
        years = ", ".join(str(y) for y in sorted(short))
        found.append(
            Penalty(
                "R6",
                cfg.penalties.r6_performance,
                f"SKP di bawah Baik atau tidak ada pada tahun {years}",
            )
        )
    return found


def profile_match(
    employee: Employee,
    position: Position,
    *,
    today: date,
    config: ProfileConfig = DEFAULT_PROFILE,
    city: str | None = None,
    distance_km: float | None = None,
    explain: bool = True,
) -> ProfileMatch:
    """Score `employee` for `position`; `city` is where the post is, `distance_km` from home.

    `explain=False` leaves each criterion's `contribution` at 0: a list that shows only the
    scores (the vacancies an employee sees) skips a third of the work."""
    criteria = [
        *_competencies(employee, position, config),
        *_education(employee, position, config),
        *_performance(employee, today, config),
        *_preference(employee, position, city, distance_km, config),
    ]
    aspects = _aspect_scores(criteria, config, ASPECTS)
    fit_aspects = _aspect_scores(criteria, config, FIT_ASPECTS)
    base = _total(aspects)
    penalties = soft_penalties(employee, today, config)
    competency = [c for c in criteria if c.aspect in ("managerial", "sociocultural", "technical")]
    return ProfileMatch(
        score=max(base - sum(p.points for p in penalties), 0.0),
        fit=_total(fit_aspects),
        base_score=base,
        aspects=tuple(aspects),
        criteria=tuple(_contributions(criteria, aspects, config) if explain else criteria),
        penalties=tuple(penalties),
        level_met=employee.education_level.meets(position.required_education_level),
        field_met=field_matches(employee.education_field, position.required_education_fields),
        missing_competencies=tuple(c.name for c in competency if c.gap is not None and c.gap < 0),
        not_assessed=tuple(c.name for c in competency if c.actual is None),
    )
