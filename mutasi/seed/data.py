"""Deterministic demo data: the five governments of SPEC §1, their units, positions, people.

`generate(seed, employees_per_tenant)` always returns the same data for the same arguments
(one `random.Random(seed)`, no clock). Dates are relative to `reference_date`; pass today's
date when seeding a live demo so that SKP years and tenures stay current.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from mutasi.domain.dates import add_months
from mutasi.domain.model import Employee, Position, PositionHolding, Tenant, TenantKind, Unit
from mutasi.domain.naming import guess_position_kind, position_code_for
from mutasi.seed.cast import DEMO_TENANT, DemoCast, apply_demo_cast
from mutasi.seed.catalog import NEXT_CANDIDATE_DETERMINATION, TENANTS, TenantProfile
from mutasi.seed.people import Place, make_employee
from mutasi.seed.structure import build_units, headcounts

__all__ = [
    "DEFAULT_REFERENCE_DATE", "DemoCast", "SeedData", "generate", "guess_position_kind",
    "position_code_for",
]  # fmt: skip

DEFAULT_REFERENCE_DATE = date(2026, 11, 1)
# Each government has about 70 structural posts; below this there is no one left for the rest.
MIN_EMPLOYEES_PER_TENANT = 100


@dataclass(frozen=True)
class SeedData:
    reference_date: date
    tenants: tuple[Tenant, ...]
    # Keyed by tenant slug: unit and position codes are unique within a government only.
    units: Mapping[str, tuple[Unit, ...]]
    positions: Mapping[str, tuple[Position, ...]]
    employees: Mapping[str, tuple[Employee, ...]]
    holdings: Mapping[str, tuple[PositionHolding, ...]]
    seats: Mapping[str, str]  # tenant slug -> city of its offices
    demo: DemoCast

    def tenant(self, slug: str) -> Tenant:
        return next(t for t in self.tenants if t.slug == slug)


def _tenant(profile: TenantProfile, today: date) -> Tenant:
    # A head inaugurated 75 days ago (after a re-vote) keeps that government in the freeze.
    inaugurated = profile.head_inaugurated_on or today - timedelta(days=75)
    return Tenant(
        slug=profile.slug, name=profile.name, kind=TenantKind(profile.kind),
        province=profile.province, head_inaugurated_on=inaugurated,
        election_candidate_determination_on=NEXT_CANDIDATE_DETERMINATION,
    )  # fmt: skip


def _holdings(
    rng: random.Random, employee: Employee, positions: tuple[Position, ...], cpns_start: date
) -> list[PositionHolding]:
    current = PositionHolding(
        nip=employee.nip, position_code=employee.position_code, start=employee.position_since
    )
    if employee.position_since <= add_months(cpns_start, 12):
        return [current]
    earlier = rng.choice([p for p in positions if p.code != employee.position_code])
    previous = PositionHolding(
        nip=employee.nip, position_code=earlier.code, start=cpns_start,
        end=employee.position_since - timedelta(days=1),
    )  # fmt: skip
    return [previous, current]


def _government(
    rng: random.Random, profile: TenantProfile, size: int, today: date, taken: set[str]
) -> tuple[tuple[Unit, ...], tuple[Position, ...], list[Employee]]:
    units = build_units(profile)
    counts = headcounts(rng, units, size)
    if profile.slug == DEMO_TENANT:
        counts = DemoCast.make_room(counts)
    positions = tuple(draft.position(needed, filled) for draft, needed, filled in counts)
    unit_codes = tuple(unit.code for unit, _ in units)
    codes = tuple(p.code for p in positions)
    employees: list[Employee] = []
    for position in positions:
        place = Place(profile.slug, position, profile.seat, profile.cities, unit_codes, codes)
        employees.extend(make_employee(rng, place, today, taken) for _ in range(position.filled))
    return tuple(unit for unit, _ in units), positions, employees


def generate(
    seed: int = 2026,
    employees_per_tenant: int = 600,
    *,
    reference_date: date = DEFAULT_REFERENCE_DATE,
) -> SeedData:
    if employees_per_tenant < MIN_EMPLOYEES_PER_TENANT:
        raise ValueError(f"employees_per_tenant must be at least {MIN_EMPLOYEES_PER_TENANT}")
    rng = random.Random(seed)
    taken: set[str] = set()
    units, positions, employees, holdings, seats = {}, {}, {}, {}, {}
    for profile in TENANTS:
        tenant_units, tenant_positions, people = _government(
            rng, profile, employees_per_tenant, reference_date, taken
        )
        if profile.slug == DEMO_TENANT:
            people = apply_demo_cast(people, reference_date)
        units[profile.slug], positions[profile.slug] = tenant_units, tenant_positions
        employees[profile.slug] = tuple(people)
        holdings[profile.slug] = tuple(
            holding
            for person in people
            for holding in _holdings(rng, person, tenant_positions, _cpns_start(person.nip))
        )
        seats[profile.slug] = profile.seat
    return SeedData(
        reference_date=reference_date,
        tenants=tuple(_tenant(p, reference_date) for p in TENANTS),
        units=units, positions=positions, employees=employees, holdings=holdings,
        seats=seats, demo=DemoCast.for_kota_sorong(),
    )  # fmt: skip


def _cpns_start(nip: str) -> date:
    return date(int(nip[8:12]), int(nip[12:14]), 1)
