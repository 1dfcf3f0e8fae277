"""The people the local issuer can sign in: the seeded demo cast of every government.

The seed writes this directory next to the data it seeds (`<var>/demo/people.json`), so the
sign-in page lists exactly the people that exist — the same names whether `make run` seeded
600 employees per government or the tests 150. A real identity provider replaces all of it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from mutasi.domain.model import Employee, Unit
from mutasi.seed.data import SeedData
from mutasi.settings import Settings

BKN = ("bkn", "Badan Kepegawaian Negara")
_HEAD_TITLES = {"kota": "Wali Kota", "kabupaten": "Bupati", "provinsi": "Gubernur"}


@dataclass(frozen=True)
class DemoPerson:
    id: str  # stable key for the sign-in form
    sub: str
    name: str
    tenant: str
    tenant_name: str
    roles: list[str]
    unit: str | None = None
    unit_name: str | None = None
    nip: str | None = None
    note: str | None = None  # what the person is good for in a demo, in Indonesian
    zoneinfo: str = "Asia/Jakarta"  # the OIDC claim: the government's time zone

    def claims(self) -> dict[str, Any]:
        return {
            "sub": self.sub,
            "tenant": self.tenant,
            "roles": list(self.roles),
            "unit": self.unit,
            "nip": self.nip,
        }


@dataclass
class _Government:
    slug: str
    name: str
    kind: str
    zoneinfo: str
    units: dict[str, Unit]
    people: list[Employee]
    chosen: list[DemoPerson] = field(default_factory=list)

    def holder(self, position_code: str | None) -> Employee | None:
        return next((p for p in self.people if p.position_code == position_code), None)

    def head_of(self, unit: str) -> Employee | None:
        return self.holder(self.units[unit].head_position_code) if unit in self.units else None

    def add(self, person: Employee | None, role: str, note: str, *, unit: bool = True) -> None:
        if person is None:
            return
        self.chosen.append(
            DemoPerson(
                id=f"{self.slug}:{role}:{person.nip}",
                sub=f"nip:{person.nip}",
                name=person.name,
                tenant=self.slug,
                tenant_name=self.name,
                roles=[role],
                unit=person.unit_code if unit else None,
                unit_name=self.units[person.unit_code].name if person.unit_code else None,
                nip=person.nip,
                note=note,
                zoneinfo=self.zoneinfo,
            )
        )

    def add_office(self, sub: str, name: str, role: str, note: str) -> None:
        self.chosen.append(
            DemoPerson(
                f"{self.slug}:{role}:{sub}",
                sub,
                name,
                self.slug,
                self.name,
                [role],
                note=note,
                zoneinfo=self.zoneinfo,
            )  # fmt: skip
        )


def _region(name: str) -> str:
    return name.split(" ", 1)[1]


def _slugify(text: str) -> str:
    return "-".join(text.lower().split())


def _government(data: SeedData, slug: str, zoneinfo: str) -> _Government:
    tenant = data.tenant(slug)
    return _Government(
        slug,
        tenant.name,
        tenant.kind.value,
        zoneinfo,
        {u.code: u for u in data.units[slug]},
        list(data.employees[slug]),
    )


def _cast_of_sorong(gov: _Government, data: SeedData) -> None:
    cast, by_nip = data.demo, {p.nip: p for p in gov.people}
    gov.add(by_nip[cast.hr_officer_nip], "hr_officer", "BKPSDM: verifikasi, rapat, data induk")
    gov.add(by_nip[cast.supervisor_nip], "supervisor", "Atasan: mengusulkan pegawai unitnya")
    for nip in cast.panel_member_nips:
        gov.add(by_nip[nip], "panel_member", "Anggota Tim Penilai Kinerja", unit=False)
    gov.add_office("wali-kota-sorong", "Wali Kota Sorong", "approver", "PPK: memutuskan usulan")
    gov.add(by_nip[cast.eligible_nip], "employee", "Memenuhi syarat untuk jabatan lowong")
    gov.add(by_nip[cast.sanctioned_nip], "employee", "Sedang menjalani hukuman disiplin (R4)")
    gov.add(by_nip[cast.due_for_rotation_nip], "employee", "Lebih dari 5 tahun di jabatannya")
    gov.add_office("inspektorat-sorong", "Inspektorat Kota Sorong", "auditor", "Auditor")


def _cast_of(gov: _Government) -> None:
    bkpsdm = sorted(
        (p for p in gov.people if p.unit_code == "bkpsdm"),
        key=lambda p: (not p.position_code.split(".", 1)[1].startswith("analis"), p.nip),
    )
    gov.add(bkpsdm[0] if bkpsdm else None, "hr_officer", "BKPSDM: verifikasi, rapat, data induk")
    gov.add(gov.head_of("dinkes"), "supervisor", "Atasan: mengusulkan pegawai unitnya")
    panel = gov.head_of("setda") or gov.head_of("inspektorat")
    gov.add(panel, "panel_member", "Anggota Tim Penilai Kinerja", unit=False)
    head = f"{_HEAD_TITLES[gov.kind]} {_region(gov.name)}"
    gov.add_office(_slugify(head), head, "approver", "PPK: memutuskan usulan")
    heads = {u.head_position_code for u in gov.units.values()}
    staff = sorted(
        (p for p in gov.people if p.unit_code == "dinkes" and p.position_code not in heads),
        key=lambda p: p.nip,
    )
    for person in staff[:2]:
        gov.add(person, "employee", "Pegawai")
    inspectorate = f"Inspektorat {gov.name}"
    gov.add_office(_slugify(inspectorate), inspectorate, "auditor", "Auditor")


def build_directory(data: SeedData, timezones: dict[str, str]) -> list[DemoPerson]:
    people: list[DemoPerson] = []
    for tenant in data.tenants:
        gov = _government(data, tenant.slug, timezones.get(tenant.slug, "Asia/Jakarta"))
        if tenant.slug == data.demo.tenant_slug:
            _cast_of_sorong(gov, data)
        else:
            _cast_of(gov)
        people += gov.chosen
    slug, name = BKN
    people.append(
        DemoPerson(
            f"{slug}:bkn_officer:kanreg",
            "pertek@bkn",
            "Petugas Kantor Regional BKN",
            slug,
            name,
            ["bkn_officer"],
            note="Pertimbangan teknis mutasi antarinstansi",
        )
    )
    return people


def directory_path(settings: Settings) -> Path:
    return settings.var_dir / "demo" / "people.json"


def write_directory(settings: Settings, people: list[DemoPerson]) -> None:
    path = directory_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([asdict(p) for p in people], ensure_ascii=False, indent=1))


def read_directory(settings: Settings) -> list[DemoPerson]:
    path = directory_path(settings)
    if not path.is_file():
        return []
    return [DemoPerson(**item) for item in json.loads(path.read_text())]
