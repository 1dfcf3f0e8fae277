"""A fixed cast of named people in Kota Sorong, so a demo can tell one story end to end.

Yosephina Mandacan (Pengelola Data Kesehatan, 3 years in post, good SKP, matching skills) can
be moved to the vacant post of Epidemiolog Kesehatan Ahli Pertama in the same agency: every
rule passes. Her head of agency proposes; BKPSDM verifies; three officials sit on the panel.
Daniel Sapisa is under a sanction (R4 blocks) and Agnes Malibela is due for rotation (R3).
Their NIPs use sequences 401–408, apart from seeded (500–999) and imported ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from mutasi.domain.dates import add_months
from mutasi.domain.model import Aspirations, Employee, Sanction, SanctionKind
from mutasi.domain.naming import position_code_for
from mutasi.domain.performance import Performance
from mutasi.seed.catalog import UNITS

UNIT_NAMES = {unit.code: unit.name for unit in UNITS}

DEMO_TENANT = "kota-sorong"
TARGET = "dinkes.epidemiolog-kesehatan-ahli-pertama"
_GOOD = (Performance.GOOD, Performance.VERY_GOOD, Performance.VERY_GOOD)

# role -> (nip, name, position code, months in post, grade, level, field, competencies)
_CAST: dict[str, tuple[Any, ...]] = {
    "eligible": ("199005122015032401", "Yosephina Mandacan", "dinkes.pengelola-data-kesehatan",
                 38, "III/b", "S1", "Kesehatan Masyarakat",
                 {"Analisis Data": 4, "Teknologi Informasi": 3, "Kesehatan Masyarakat": 3}),
    "supervisor": ("197208171998031402", "Markus Kalami", "dinkes.kepala-dinas-kesehatan",
                   30, "IV/c", "S2", "Kesehatan Masyarakat",
                   {"Kepemimpinan": 4, "Manajemen Pemerintahan": 3, "Pelayanan Kesehatan": 4}),
    "hr_officer": ("198511032010042403", "Ratna Dewi Sawaki",
                   "bkpsdm.analis-sumber-daya-manusia-aparatur-ahli-muda", 26, "III/c", "S1",
                   "Manajemen SDM", {"Manajemen SDM": 4, "Analisis Data": 3}),
    "panel_sekda": ("196801251994031404", "Hendrik Howay", "setda.sekretaris-daerah", 40,
                    "IV/d", "S2", "Ilmu Pemerintahan",
                    {"Kepemimpinan": 5, "Manajemen Pemerintahan": 4}),
    "panel_bkpsdm": ("197506302000122405", "Ani Rumbekwan",
                     position_code_for("bkpsdm", f"Kepala {UNIT_NAMES['bkpsdm']}"),
                     28, "IV/c", "S2", "Manajemen SDM", {"Kepemimpinan": 4, "Manajemen SDM": 5}),
    "panel_inspektur": ("197009091996021406", "Samuel Ayamiseba", "inspektorat.inspektur", 34,
                        "IV/c", "S2", "Akuntansi",
                        {"Kepemimpinan": 4, "Audit dan Pengawasan": 5}),
    "sanctioned": ("198802142012061407", "Daniel Sapisa",
                   "disdukcapil.pengadministrasi-kependudukan", 50, "II/d", "SMA", "IPS",
                   {"Administrasi Kependudukan": 3, "Pelayanan Publik": 2}),
    "due_for_rotation": ("198304212008012408", "Agnes Malibela", "bpkad.bendahara", 84,
                         "III/b", "D3", "Akuntansi", {"Pengelolaan Keuangan": 4}),
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class DemoCast:
    tenant_slug: str
    eligible_nip: str
    target_position_code: str  # vacant, in the same unit as the eligible employee
    target_unit_code: str
    supervisor_nip: str  # head of the eligible employee's unit
    hr_officer_nip: str
    panel_member_nips: tuple[str, ...]
    sanctioned_nip: str
    due_for_rotation_nip: str

    @classmethod
    def for_kota_sorong(cls) -> DemoCast:
        nip = {role: spec[0] for role, spec in _CAST.items()}
        return cls(
            tenant_slug=DEMO_TENANT, eligible_nip=nip["eligible"], target_position_code=TARGET,
            target_unit_code=TARGET.split(".")[0], supervisor_nip=nip["supervisor"],
            hr_officer_nip=nip["hr_officer"],
            panel_member_nips=(nip["panel_sekda"], nip["panel_bkpsdm"], nip["panel_inspektur"]),
            sanctioned_nip=nip["sanctioned"], due_for_rotation_nip=nip["due_for_rotation"],
        )  # fmt: skip

    @property
    def nips(self) -> tuple[str, ...]:
        """Every cast member's NIP: the people the demo and the web's tests sign in as."""
        return (
            self.eligible_nip, self.supervisor_nip, self.hr_officer_nip, *self.panel_member_nips,
            self.sanctioned_nip, self.due_for_rotation_nip,
        )  # fmt: skip

    @staticmethod
    def make_room(counts: list[Any]) -> list[Any]:
        """Headcounts adjusted so every cast member's post has a seat and the target a
        vacancy; people moved keep the government's total unchanged."""
        counts = [list(c) for c in counts]
        by_code = {c[0].code: c for c in counts}
        cast_codes = {spec[2] for spec in _CAST.values()}
        spare = max((c for c in counts if c[0].code not in cast_codes | {TARGET}),
                    key=lambda c: c[2])  # fmt: skip
        for code in cast_codes:
            if by_code[code][2] == 0:
                by_code[code][2], spare[2] = 1, spare[2] - 1
        target = by_code[TARGET]
        target[1] = max(target[1], 2)
        excess = max(target[2] - (target[1] - 1), 0)
        target[2], spare[2] = target[2] - excess, spare[2] + excess
        return [tuple(c) for c in counts]


def _employee(spec: tuple[Any, ...], today: date) -> Employee:
    nip, name, position, months, grade, level, field, competencies = spec
    years = range(today.year - 3, today.year)
    return Employee(
        nip=nip, name=name, birth_date=date(int(nip[:4]), int(nip[4:6]), int(nip[6:8])),
        gender="L" if nip[14] == "1" else "P", grade=grade, position_code=position,
        unit_code=position.split(".")[0], position_since=add_months(today, -months).replace(day=1),
        education_level=level, education_field=field, competencies=competencies,
        performance=dict(zip(years, _GOOD, strict=True)), home_city="Kota Sorong",
    )  # fmt: skip


def apply_demo_cast(people: list[Employee], today: date) -> list[Employee]:
    """`people` with one seeded holder of each cast member's post replaced by the member."""
    people = list(people)
    for role, spec in _CAST.items():
        member = _employee(spec, today)
        if role == "sanctioned":
            start = today - timedelta(days=90)
            sanction = Sanction(
                start=start, end=start + timedelta(days=364), kind=SanctionKind.SEDANG
            )
            member = member.model_copy(update={"sanctions": (sanction,)})
        if role == "eligible":
            wishes = Aspirations(units=("dinkes",), positions=(TARGET,), cities=("Kota Sorong",))
            member = member.model_copy(update={"aspirations": wishes})
        index = next(i for i, p in enumerate(people) if p.position_code == member.position_code)
        people[index] = member
    return people
