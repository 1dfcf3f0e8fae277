"""Fresh people for browser stories: an employee made for the test, with a vacancy made for it
in their own unit, enrolled at the local issuer (as an identity provider would add an account).

Lookups use their own event loop in a worker thread: Playwright's sync API owns this one.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import asyncpg

from mutasi import clock
from mutasi.db import create_pool
from mutasi.domain.lifecycle import FINISHED as _FINISHED
from mutasi.domain.profile_matching import skp_years
from mutasi.imports.runs import ImportRequest, run_import
from mutasi.log.store import Actor
from mutasi.oidc_local.directory import DemoPerson, directory_path, read_directory
from mutasi.seed.cast import DemoCast
from mutasi.settings import Settings

CAST = DemoCast.for_kota_sorong()
ZONE = "Asia/Jayapura"  # Kota Sorong (WIT)
FINISHED = [status.value for status in _FINISHED]
_CAST_NIPS = [CAST.eligible_nip, CAST.sanctioned_nip, CAST.due_for_rotation_nip,
              CAST.supervisor_nip, CAST.hr_officer_nip, *CAST.panel_member_nips]  # fmt: skip


@dataclass(frozen=True)
class Case:
    tenant: str
    nip: str
    name: str
    unit: str
    target_position: str  # code
    target_name: str
    supervisor: str  # the sign-in id of the head of the unit


def run(coroutine: Any) -> Any:
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


_NAMES = (
    "Yohana Rumbiak",
    "Markus Wanma",
    "Ester Kambu",
    "Daniel Mayor",
    "Rut Sawaki",
    "Yakob Fatem",
    "Debora Ayomi",
    "Petrus Kambuaya",
    "Maria Sagrim",
    "Simon Yable",
)


def fresh_case(settings: Settings, tenant: str = "kota-sorong") -> Case:
    """A case made for this test alone: a new vacancy (one more formation of an analyst post)
    in a unit whose head is in post and not being moved, and a new employee of that unit in
    an existing post — both through BKPSDM's CSV imports, as a government adds them. No test
    takes another's case, so a long session cannot run out of employees to move."""
    return run(_fresh_case(settings, tenant))


async def _fresh_case(settings: Settings, tenant: str, vacancy: bool = True) -> Case:
    pool = await create_pool(settings, max_size=2)
    try:
        unit = await pool.fetchrow(
            """
            SELECT u.code, u.name, h.nip AS head_nip, h.name AS head_name, p.name AS post
            FROM units u
            JOIN employees h ON h.tenant = u.tenant AND h.position_code = u.head_position_code
            JOIN positions p ON p.tenant = u.tenant AND p.unit_code = u.code
              AND p.code <> u.head_position_code AND p.code NOT LIKE '%.formasi-%'
            WHERE u.tenant = $1 AND h.nip <> ALL($2::text[])
              AND NOT EXISTS (SELECT 1 FROM transfers t WHERE t.employee_nip = h.nip
                              AND t.status <> ALL($3::text[]))
            ORDER BY u.code, p.code LIMIT 1
            """,
            tenant, _CAST_NIPS, FINISHED,
        )  # fmt: skip
        assert unit is not None, f"no unit of {tenant} with a head in post"
        today = clock.today(ZONE)
        nip = await _free_nip(pool, today)
        name = _NAMES[int(nip[-3:]) % len(_NAMES)]
        target = f"{unit['code']}.formasi-{nip[-6:]}"
        target_name = f"Analis SDM Aparatur Ahli Pertama (formasi {nip[-6:]})"
        positions = (
            "Kode Jabatan;Nama Jabatan;Unit Kerja;Jenis Jabatan;Kelas Jabatan;Kebutuhan\n"
            f"{target};{target_name};{unit['code']};fungsional;8;1\n"
        )
        files = [("positions", positions)] if vacancy else []
        years = skp_years(today)
        since = date(today.year - 3, 1, 2)  # past R2's two years, not yet due for rotation
        employees = (
            "NIP;Nama;Gol/Ruang;Jabatan;Unit Kerja;TMT Jabatan;Pendidikan Terakhir;Jurusan;"
            f"SKP {years[0]};SKP {years[1]};Domisili\n"
            f"{nip};{name};III/a;{unit['post']};{unit['name']};{since:%d-%m-%Y};S1;Manajemen;"
            "Baik;Baik;Kota Sorong\n"
        )
        for kind, data in [*files, ("employees", employees)]:
            officer = Actor(f"bkpsdm@{tenant}", "hr_officer")
            request = ImportRequest(tenant, kind, data.encode(), officer, f"{kind}.csv",
                                    today=today)  # fmt: skip
            report = await run_import(pool, request)
            assert report.counts.created == 1, (kind, report)
    finally:
        await pool.close()
    head = DemoPerson(
        id=f"{tenant}:supervisor:{unit['head_nip']}", sub=f"nip:{unit['head_nip']}",
        name=unit["head_name"], tenant=tenant, tenant_name="Kota Sorong", roles=["supervisor"],
        unit=unit["code"], unit_name=unit["name"], nip=unit["head_nip"], zoneinfo=ZONE,
    )  # fmt: skip
    employee = DemoPerson(
        id=f"{tenant}:employee:{nip}", sub=f"nip:{nip}", name=name, tenant=tenant,
        tenant_name="Kota Sorong", roles=["employee"], unit=unit["code"],
        unit_name=unit["name"], nip=nip, zoneinfo=ZONE,
    )  # fmt: skip
    enrol(settings, head, employee)
    return Case(tenant, nip, name, unit["code"], target, target_name, head.id)


async def _free_nip(pool: asyncpg.Pool, today: date) -> str:
    """A NIP nobody holds: born in 1990–1994, CPNS since January 2015, a random sequence."""
    for _ in range(100):
        born = date(
            1990 + secrets.randbelow(5), 1 + secrets.randbelow(12), 1 + secrets.randbelow(28)
        )
        nip = f"{born:%Y%m%d}201501{1 + secrets.randbelow(2)}{1 + secrets.randbelow(999):03d}"
        if not await pool.fetchval("SELECT EXISTS (SELECT 1 FROM employees WHERE nip = $1)", nip):
            return nip
    raise AssertionError("no free NIP found")


def enrol(settings: Settings, *people: DemoPerson) -> None:
    """Add accounts to the local issuer's directory (idempotent)."""
    known = {p.id: p for p in read_directory(settings)}
    known |= {p.id: p for p in people}
    directory_path(settings).write_text(
        json.dumps([asdict(p) for p in known.values()], ensure_ascii=False)
    )


@dataclass(frozen=True)
class Wanted:
    """An employee of one government that another government's PPK asks for."""

    nip: str
    name: str


def wanted_elsewhere(settings: Settings, origin: str) -> Wanted:
    """An employee of `origin` made for the test (CSV import there), whom another
    government's PPK asks for: no other test has touched them, however long the session."""
    case = run(_fresh_case(settings, origin, vacancy=False))
    return Wanted(case.nip, case.name)


def person_named(settings: Settings, prefix: str) -> DemoPerson:
    """The first demo person whose sign-in id starts with `prefix`."""
    return next(p for p in read_directory(settings) if p.id.startswith(prefix))
