"""Profile matching for many employees × many posts at once, with numpy.

The same numbers as `mutasi.domain.profile_matching.profile_match` (a test compares them
pair by pair), computed as matrices: ranking one post among 10,000 employees and the score
matrix of a 2,000 × 2,000 plan take milliseconds, not seconds. What depends on the employee
alone (levels, education, SKP, wishes, home) is gathered once in `People` and reused for
every post, so a cached `People` makes each ranking a few matrix products.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from mutasi.domain.competency import CompetencyKind, kind_of
from mutasi.domain.model import Employee, Position
from mutasi.domain.naming import normalise_name
from mutasi.domain.profile_config import ASPECTS, FIT_ASPECTS, ProfileConfig
from mutasi.domain.profile_matching import (
    SCALE,
    SKP_REQUIRED,
    field_matches,
    skp_years,
    soft_penalties,
)
from mutasi.planning.places import km_matrix

Matrix = NDArray[np.float64]
Vector = NDArray[np.float64]
_ASPECT_OF = {
    CompetencyKind.MANAGERIAL: "managerial",
    CompetencyKind.SOCIOCULTURAL: "sociocultural",
    CompetencyKind.TECHNICAL: "technical",
}
_MAX_RANK = 8  # education ranks are 1..7
SMALL_PRODUCT = 32  # posts


@dataclass(frozen=True)
class People:
    """What profile matching needs of each employee, as arrays (built once, reused)."""

    employees: Sequence[Employee]
    today: date
    config: ProfileConfig
    competency_index: dict[str, int]  # normalised competency name -> column of `levels`
    levels: NDArray[np.int64]  # n × names; -1 = not assessed
    ranks: NDArray[np.int64]  # education rank
    fields: list[str]  # distinct education fields
    field_of: NDArray[np.intp]  # index in `fields` per employee
    performance: Vector  # the performance aspect's value, 1–5
    penalties: Vector  # points off for R2/R6
    homes: Matrix  # n × 2 (latitude, longitude); NaN = unknown
    position_codes: NDArray[np.object_]  # the post each holds
    sanctioned: NDArray[np.bool_]  # under an active sanction today (R4)
    row_of: dict[str, int]  # NIP -> row
    wishes: dict[str, dict[str, NDArray[np.intp]]]  # position|unit|city -> key -> rows
    has_wishes: NDArray[np.bool_]

    @classmethod
    def build(
        cls,
        employees: Sequence[Employee],
        *,
        today: date,
        config: ProfileConfig,
        homes: Matrix | None = None,
    ) -> People:
        names = sorted({normalise_name(c) for e in employees for c in e.competencies})
        index = {name: k for k, name in enumerate(names)}
        every_field = [e.education_field or "" for e in employees]
        fields = list(dict.fromkeys(every_field))
        field_index = {f: k for k, f in enumerate(fields)}
        levels = np.full((len(employees), len(names)), -1, dtype=np.int64)
        for i, employee in enumerate(employees):
            for name, level in employee.competencies.items():
                levels[i, index[normalise_name(name)]] = level
        return cls(
            employees=employees,
            today=today,
            config=config,
            competency_index=index,
            levels=levels,
            ranks=np.array([e.education_level.rank for e in employees], dtype=np.intp),
            fields=fields,
            field_of=np.array([field_index[f] for f in every_field], dtype=np.intp),
            performance=np.array([_performance(e, today, config) for e in employees]),
            penalties=np.array(
                [sum(p.points for p in soft_penalties(e, today, config)) for e in employees]
            ),
            homes=homes if homes is not None else np.full((len(employees), 2), np.nan),
            position_codes=np.array([e.position_code for e in employees], dtype=object),
            sanctioned=np.array([bool(e.active_sanctions(today)) for e in employees], dtype=bool),
            row_of={e.nip: i for i, e in enumerate(employees)},
            wishes=_wishes(employees),
            has_wishes=np.array(
                [
                    bool(e.aspirations.units or e.aspirations.positions or e.aspirations.cities)
                    for e in employees
                ],
                dtype=bool,
            ),
        )

    def __len__(self) -> int:
        return len(self.employees)

    @cached_property
    def holders(self) -> dict[str, NDArray[np.intp]]:
        """Post code -> the rows of those who hold it (R1 excludes them from its ranking)."""
        rows: dict[str, list[int]] = {}
        for i, code in enumerate(self.position_codes.tolist()):
            rows.setdefault(code, []).append(i)
        return {code: np.array(found, dtype=np.intp) for code, found in rows.items()}


def _wishes(employees: Sequence[Employee]) -> dict[str, dict[str, NDArray[np.intp]]]:
    found: dict[str, dict[str, list[int]]] = {"position": {}, "unit": {}, "city": {}}
    for i, e in enumerate(employees):
        wishes = e.aspirations
        for kind, keys in (
            ("position", wishes.positions),
            ("unit", wishes.units),
            ("city", [normalise_name(c) for c in wishes.cities]),
        ):
            for key in set(keys):
                found[kind].setdefault(key, []).append(i)
    return {
        kind: {key: np.array(rows, dtype=np.intp) for key, rows in table.items()}
        for kind, table in found.items()
    }


def _performance(employee: Employee, today: date, cfg: ProfileConfig) -> float:
    weights = []
    for year in skp_years(today):
        rating = employee.performance.get(year)
        gap = None if rating is None else rating.rank - SKP_REQUIRED.rank
        weights.append(cfg.unknown_weight if gap is None else cfg.minimum_weight(gap))
    return cfg.core_share * weights[0] + (1 - cfg.core_share) * weights[1]


@dataclass(frozen=True)
class Posts:
    """The posts scored against: the positions, the city and coordinates of each."""

    positions: Sequence[Position]
    cities: Sequence[str | None]
    coords: Matrix  # P × 2; NaN = unknown

    def __len__(self) -> int:
        return len(self.positions)


@dataclass(frozen=True)
class Scores:
    """Employees × posts; all on the 0–100 scale of `profile_match`."""

    score: Matrix  # after penalties (the ranking)
    base: Matrix  # before penalties
    fit: Matrix  # R5: competency and education aspects
    performance: Vector  # per employee
    aspiration: Matrix
    distance: Matrix  # the distance criterion's weight × 20
    km: Matrix  # NaN = unknown


def _product(a: Matrix, b: Matrix) -> Matrix:
    """a @ b. For a few posts (a ranking) numpy's own loop, not BLAS: OpenBLAS hands even a
    10,000 × 10 product to its threads, which then spin waiting for more work — on a busy
    two-core machine they took the core the next request needed (ranking p95 ×3, bench plan).
    A plan's thousands of posts are worth BLAS."""
    return a @ b if b.shape[1] > SMALL_PRODUCT else np.einsum("nc,cp->np", a, b)


def _competency_aspects(
    people: People, posts: Posts
) -> dict[str, tuple[Matrix | None, Matrix | None]]:
    """(core mean, secondary mean) per competency aspect; None where a post has none."""
    cfg = people.config
    core_managerial = {normalise_name(n) for n in cfg.core_managerial}
    lut = np.empty((7, 6))  # [level + 1, required]: row 0 = not assessed
    for required in range(1, 6):
        lut[0, required] = cfg.unknown_weight
        for level in range(0, 6):
            lut[level + 1, required] = cfg.gap_weight(level - required)
    columns: dict[tuple[str, int], int] = {}
    needs: list[tuple[int, int, str, bool]] = []  # (column, post, aspect, core)
    for j, position in enumerate(posts.positions):
        for name, required in position.required_competencies.items():
            if required <= 0:
                continue
            key, kind = normalise_name(name), kind_of(name)
            col = columns.setdefault((key, required), len(columns))
            core = kind is not CompetencyKind.MANAGERIAL or key in core_managerial
            needs.append((col, j, _ASPECT_OF[kind], core))
    features = np.empty((len(people), len(columns)))
    for (key, required), col in columns.items():
        k = people.competency_index.get(key)
        have = people.levels[:, k] if k is not None else np.full(len(people), -1)
        features[:, col] = lut[have + 1, required]
    found: dict[str, tuple[Matrix | None, Matrix | None]] = {}
    for aspect in ("managerial", "sociocultural", "technical"):
        means: list[Matrix | None] = []
        for core in (True, False):
            pick = np.zeros((len(columns), len(posts)))
            for col, j, a, c in needs:
                if a == aspect and c == core:
                    pick[col, j] += 1.0
            count = pick.sum(axis=0)
            means.append(
                None if not count.any() else _product(features, pick) / np.maximum(count, 1)
            )
            if means[-1] is not None:
                means[-1] = np.where(count > 0, means[-1], np.nan)  # type: ignore[call-overload]
        found[aspect] = (means[0], means[1])
    return found


def _education(people: People, posts: Posts) -> Matrix:
    """The education aspect's value (both criteria are core: their mean); NaN: no standard."""
    cfg = people.config
    required = np.array(
        [
            p.required_education_level.rank if p.required_education_level else 0
            for p in posts.positions
        ],
        dtype=np.intp,
    )
    lut = np.empty((_MAX_RANK, _MAX_RANK))
    for have in range(_MAX_RANK):
        for need in range(_MAX_RANK):
            lut[have, need] = cfg.minimum_weight(have - need)
    level = lut[people.ranks[:, None], required[None, :]]
    has_level = required > 0
    fields = [tuple(f for f in p.required_education_fields if f.strip()) for p in posts.positions]
    has_field = np.array([bool(f) for f in fields])
    wanted = list(dict.fromkeys(fields))
    table = np.array([[field_matches(f, w) for w in wanted] for f in people.fields], dtype=bool)
    table = table.reshape(len(people.fields), len(wanted))
    met = table[people.field_of][:, np.array([wanted.index(f) for f in fields], dtype=np.intp)]
    field = np.where(met, cfg.gap_weights[0], cfg.field_mismatch_weight)
    total = np.where(has_level, level, 0.0) + np.where(has_field, field, 0.0)
    count = has_level.astype(float) + has_field.astype(float)
    return np.where(count > 0, total / np.maximum(count, 1.0), np.nan)


def _aspiration(people: People, posts: Posts) -> Matrix:
    cfg = people.config
    weights = cfg.aspiration
    out = np.full((len(people), len(posts)), cfg.unknown_weight)
    out[people.has_wishes, :] = weights.other
    none = np.empty(0, dtype=np.intp)
    for j, (position, city) in enumerate(zip(posts.positions, posts.cities, strict=True)):
        # Lowest priority first, so a post wished for by name wins over its unit and city.
        if city:
            out[people.wishes["city"].get(normalise_name(city), none), j] = weights.city
        out[people.wishes["unit"].get(position.unit_code, none), j] = weights.unit
        out[people.wishes["position"].get(position.code, none), j] = weights.position
    return out


def _distance(people: People, posts: Posts) -> tuple[Matrix, Matrix]:
    cfg = people.config
    km = km_matrix(people.homes, posts.coords)
    weight = np.full(km.shape, cfg.beyond_bands_weight)
    for band in reversed(cfg.distance_bands):
        weight = np.where(km <= band.up_to_km, band.weight, weight)
    return np.where(np.isnan(km), cfg.unknown_weight, weight), km


def _combine(core: Matrix | None, secondary: Matrix | None, share: float) -> Matrix | None:
    if core is None and secondary is None:
        return None
    if core is None or secondary is None:
        return core if core is not None else secondary
    both = share * core + (1 - share) * secondary
    return np.where(np.isnan(core), secondary, np.where(np.isnan(secondary), core, both))


def _weighted(values: dict[str, Matrix], cfg: ProfileConfig, aspects: tuple[str, ...]) -> Matrix:
    shape = next(iter(values.values())).shape
    total, weight = np.zeros(shape), np.zeros(shape)
    for aspect in aspects:
        w = cfg.aspect_weights.get(aspect, 0.0)
        if aspect not in values or w <= 0:
            continue
        present = ~np.isnan(values[aspect])
        total += np.where(present, w * values[aspect], 0.0)
        weight += np.where(present, w, 0.0)
    return np.where(weight > 0, SCALE * total / np.maximum(weight, 1e-12), 100.0)


def score(people: People, posts: Posts) -> Scores:
    """Every employee × every post, as `profile_match` would score each pair."""
    cfg = people.config
    n, p = len(people), len(posts)
    values: dict[str, Matrix] = {}
    for aspect, (core, secondary) in _competency_aspects(people, posts).items():
        combined = _combine(core, secondary, cfg.core_share)
        if combined is not None:
            values[aspect] = combined
    values["education"] = _education(people, posts)
    values["performance"] = np.broadcast_to(people.performance[:, None], (n, p))
    aspiration = _aspiration(people, posts)
    distance, km = _distance(people, posts)
    values["preference"] = cfg.core_share * aspiration + (1 - cfg.core_share) * distance
    base = _weighted(values, cfg, ASPECTS)
    return Scores(
        score=np.maximum(base - people.penalties[:, None], 0.0),
        base=base,
        fit=_weighted(values, cfg, FIT_ASPECTS),
        performance=SCALE * people.performance,
        aspiration=SCALE * aspiration,
        distance=SCALE * distance,
        km=km,
    )
