"""Units and positions of one government for the demo seed, with ABK need and headcount."""

from __future__ import annotations

import random
from dataclasses import dataclass

from mutasi.domain.education import EducationLevel
from mutasi.domain.model import Position, PositionKind, Unit
from mutasi.domain.naming import position_code_for
from mutasi.seed.catalog import (
    COMPETENCIES,
    FIELDS,
    PROVINCE_RENAMES,
    PROVINCE_SKIPS,
    UNITS,
    PositionTemplate,
    TenantProfile,
    UnitTemplate,
)

# How staffed a unit is relative to its ABK need: some short, some over (bezetting/kebutuhan).
STAFFING_FACTORS = (0.65, 0.8, 0.95, 1.0, 1.1, 1.3)


@dataclass(frozen=True, slots=True)
class Draft:
    """A position before its headcount is known."""

    template: PositionTemplate
    unit_code: str
    code: str
    structural: bool

    def position(self, needed: int, filled: int) -> Position:
        t = self.template
        fields = tuple(f for key in t.fields.split() for f in FIELDS[key])
        competencies = {
            COMPETENCIES[key]: int(level)
            for key, level in (pair.split(":") for pair in t.competencies.split())
        }
        return Position(
            code=self.code, name=t.name, unit_code=self.unit_code, kind=PositionKind(t.kind),
            class_=t.class_,
            required_education_level=EducationLevel(t.level) if t.level else None,
            required_education_fields=fields, required_competencies=competencies,
            needed=needed, filled=filled,
        )  # fmt: skip


def _structural(unit: UnitTemplate, name: str) -> tuple[PositionTemplate, ...]:
    domain = unit.positions[0].competencies.split()[0].split(":")[0]
    secretary = "Kepala Bagian Umum" if unit.code == "setda" else f"Sekretaris {name}"
    divisions = tuple(d if not d.startswith(("Bidang", "Bagian")) else f"Kepala {d}"
                      for d in unit.divisions)  # fmt: skip
    head = unit.head if unit.head != f"Kepala {unit.name}" else f"Kepala {name}"
    return (
        PositionTemplate(head, "JPT", 14, "S1", "", f"lead:4 gov:3 {domain}:3", 1),
        PositionTemplate(secretary, "administrator", 12, "S1", "", "lead:3 admin:3 fin:2", 1),
        *(PositionTemplate(d, "administrator", 11, "S1", unit.domain,
                           f"lead:3 {domain}:3", 1) for d in divisions),
        PositionTemplate("Kepala Sub Bagian Umum dan Kepegawaian", "pengawas", 9, "S1", "",
                         "lead:2 admin:3 hr:2", 1),
    )  # fmt: skip


def build_units(profile: TenantProfile) -> list[tuple[Unit, list[Draft]]]:
    province = profile.kind == "provinsi"
    built = []
    for template in UNITS:
        if province and template.code in PROVINCE_SKIPS:
            continue
        name = PROVINCE_RENAMES.get(template.code, template.name) if province else template.name
        structural = _structural(template, name)
        drafts = [
            Draft(t, template.code, position_code_for(template.code, t.name), i < len(structural))
            for i, t in enumerate(structural + template.positions)
        ]
        unit = Unit(code=template.code, name=name, head_position_code=drafts[0].code)
        built.append((unit, drafts))
    return built


def needed_counts(drafts: list[Draft], employees: int) -> list[int]:
    """ABK need per position, scaled so that the whole government needs about `employees`."""
    structural = sum(d.structural for d in drafts)
    base = sum(d.template.base_needed for d in drafts if not d.structural)
    # Needs run a little above headcount: most regions are short-staffed overall.
    scale = max(employees * 1.08 - structural, 1) / base
    return [1 if d.structural else max(1, round(d.template.base_needed * scale)) for d in drafts]


def allocate(weights: list[float], total: int) -> list[int]:
    """Split `total` people in proportion to `weights` (largest remainder, deterministic)."""
    whole = sum(weights)
    quotas = [w * total / whole for w in weights]
    counts = [int(q) for q in quotas]
    by_remainder = sorted(range(len(weights)), key=lambda i: (counts[i] - quotas[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def headcounts(
    rng: random.Random, units: list[tuple[Unit, list[Draft]]], employees: int
) -> list[tuple[Draft, int, int]]:
    """(draft, needed, filled) for every position; filled sums to exactly `employees`."""
    drafts = [d for _, unit_drafts in units for d in unit_drafts]
    factors = {unit.code: rng.choice(STAFFING_FACTORS) for unit, _ in units}
    needed = needed_counts(drafts, employees)
    # About one structural post in ten is vacant (held by a Plt. in real life).
    weights = [
        (0.0 if rng.random() < 0.1 else 1.0) if d.structural else n * factors[d.unit_code]
        for d, n in zip(drafts, needed, strict=True)
    ]
    structural_filled = sum(1 for d, w in zip(drafts, weights, strict=True)
                            if d.structural and w)  # fmt: skip
    others = allocate([0.0 if d.structural else w for d, w in zip(drafts, weights, strict=True)],
                      max(employees - structural_filled, 0))  # fmt: skip
    filled = [int(w > 0) if d.structural else c
              for d, w, c in zip(drafts, weights, others, strict=True)]  # fmt: skip
    return list(zip(drafts, needed, filled, strict=True))
