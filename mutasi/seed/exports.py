"""The example exports in examples/: Kota Sorong opens three UPTDs and brings their units,
posts and people from SIMPEG, as a BKPSDM officer would (README, "Master data").

`python -m mutasi.seed.exports examples` (`make examples`) writes them from the demo seed's
own structure and people generator, with a fixed seed and reference date: the same bytes each
time (tests/setup/test_examples.py checks the committed files against a fresh run). Shaped
like a SIMPEG export: UTF-8 with a BOM, `;`, CRLF, DD-MM-YYYY dates, Indonesian headers; with
the flaws a real export has (a repeated row, a NIP given twice, refused rows), so the import's
report has something to say. New people's NIPs use sequences 300–399, which neither the seed
(500–999), the demo cast (401–499) nor the shared sample (001–009) uses.
"""

from __future__ import annotations

import csv
import io
import random
import sys
from datetime import date
from pathlib import Path

from mutasi.domain.model import Employee, Position, PositionKind
from mutasi.domain.naming import position_code_for
from mutasi.seed.catalog import TENANTS
from mutasi.seed.data import DEFAULT_REFERENCE_DATE, generate
from mutasi.seed.people import Place, make_employee

TENANT = "kota-sorong"
SEED = 18
EXAMPLE_SEQUENCES = range(300, 400)
FILES = {
    "units": "unit_kerja_kota_sorong.csv",
    "positions": "jabatan_kota_sorong.csv",
    "employees": "pegawai_kota_sorong.csv",
}
# (code, name, parent) of the new units, and their posts:
# (name, kind, class, education, fields, competencies, needed)
UPTDS = (
    ("pkm-remu", "UPTD Puskesmas Remu", "dinkes", (
        ("Kepala UPTD Puskesmas Remu", "pengawas", 9, "S1", "Kesehatan Masyarakat",
         "Kepemimpinan:3, Pelayanan Kesehatan:3", 1),
        ("Perawat Terampil", "fungsional", 7, "D3", "Keperawatan", "Pelayanan Kesehatan:3", 4),
        ("Bidan Terampil", "fungsional", 7, "D3", "Kebidanan", "Pelayanan Kesehatan:3", 3),
        ("Pengadministrasi Perkantoran", "pelaksana", 5, "SMA", "",
         "Administrasi Perkantoran:2", 2),
    )),
    ("terminal-remu", "UPTD Terminal Penumpang Remu", "dishub", (
        ("Kepala UPTD Terminal Penumpang Remu", "pengawas", 9, "S1", "Transportasi",
         "Kepemimpinan:3, Transportasi:3", 1),
        ("Penguji Kendaraan Bermotor Terampil", "fungsional", 7, "D3",
         "Transportasi, Teknik Mesin", "Transportasi:3", 2),
        ("Pengatur Lalu Lintas", "pelaksana", 5, "SMA", "", "Transportasi:2", 3),
    )),
    ("dukcapil-sorut", "UPTD Pelayanan Administrasi Kependudukan Distrik Sorong Utara",
     "disdukcapil", (
        ("Administrator Database Kependudukan Ahli Pertama", "fungsional", 8, "S1",
         "Sistem Informasi, Teknik Informatika", "Administrasi Kependudukan:3", 2),
        ("Pengadministrasi Kependudukan", "pelaksana", 5, "SMA", "",
         "Administrasi Kependudukan:2", 2),
    )),
)  # fmt: skip
_KINDS = {"pengawas": PositionKind.PENGAWAS, "fungsional": PositionKind.FUNGSIONAL,
          "pelaksana": PositionKind.PELAKSANA}  # fmt: skip


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return "\ufeff".encode() + out.getvalue().encode()


def _positions() -> list[Position]:
    positions = []
    for unit_code, _, _, posts in UPTDS:
        for name, kind, class_, level, fields, competencies, needed in posts:
            pairs = (part.split(":") for part in competencies.split(","))
            required = {name.strip(): int(level) for name, level in pairs}
            positions.append(Position(
                code=position_code_for(unit_code, name), name=name, unit_code=unit_code,
                kind=_KINDS[kind], class_=class_, required_education_level=level,
                required_education_fields=tuple(f.strip() for f in fields.split(",") if f.strip()),
                required_competencies=required, needed=needed,
            ))  # fmt: skip
    return positions


def units_csv() -> bytes:
    rows = [[code, name, parent, ""] for code, name, parent, _ in UPTDS]
    rows.append(["pasar-remu", "UPTD Pasar Remu", "disperindag", ""])  # no such parent
    return _csv(["Kode Unit", "Nama Unit", "Unit Induk", "Jabatan Kepala"], rows)


def positions_csv() -> bytes:
    rows = []
    for unit_code, _, _, posts in UPTDS:
        for name, kind, class_, level, fields, competencies, needed in posts:
            code = position_code_for(unit_code, name)
            rows.append([code, name, unit_code, kind, str(class_), level, fields, competencies,
                         str(needed)])  # fmt: skip
    # As exports have them: a post whose kind is not one of the five.
    rows.append(["", "Juru Parkir", "terminal-remu", "honorer", "3", "SD", "", "", "4"])
    header = ["Kode Jabatan", "Nama Jabatan", "Unit Kerja", "Jenis Jabatan", "Kelas Jabatan",
              "Pendidikan Minimal", "Bidang Pendidikan", "Kompetensi", "Kebutuhan"]  # fmt: skip
    return _csv(header, rows)


def _people(today: date) -> list[tuple[Employee, str]]:
    """A new person for every seat of the new posts, then four more (refused: see below)."""
    seed = generate(reference_date=today)
    profile = next(p for p in TENANTS if p.slug == TENANT)
    units = {u.code: u.name for u in seed.units[TENANT]} | {c: n for c, n, _, _ in UPTDS}
    posts = _positions()
    codes = tuple(p.code for p in seed.positions[TENANT]) + tuple(p.code for p in posts)
    seats = [p for p in posts for _ in range(p.needed)] + posts[:4]
    rng, taken = random.Random(SEED), {e.nip for e in seed.employees[TENANT]}
    people = []
    for position in seats:
        place = Place(TENANT, position, profile.seat, profile.cities, tuple(units), codes)
        employee = make_employee(rng, place, today, taken)
        # The seed's sequences are 500–999: these people are new to the government.
        while (nip := employee.nip[:15] + f"{rng.choice(EXAMPLE_SEQUENCES):03d}") in taken:
            pass
        taken.add(nip)
        people.append((employee.model_copy(update={"nip": nip}), units[position.unit_code]))
    return people


def _employee_row(employee: Employee, unit_name: str, position_name: str) -> list[str]:
    performance = {year: p.label for year, p in employee.performance.items()}
    sanctions = " | ".join(
        f"{s.kind.value} {s.start:%d-%m-%Y} s.d. {s.end:%d-%m-%Y}" for s in employee.sanctions
    )
    return [
        employee.nip, employee.name, f"{employee.birth_date:%d-%m-%Y}", employee.gender,
        employee.grade, position_name, unit_name, f"{employee.position_since:%d-%m-%Y}",
        employee.education_level.value, employee.education_field or "",
        performance.get(2024, ""), performance.get(2025, ""), sanctions, employee.home_city or "",
    ]  # fmt: skip


def employees_csv(today: date = DEFAULT_REFERENCE_DATE) -> bytes:
    names = {p.code: p.name for p in _positions()}
    rows = [_employee_row(e, unit, names[e.position_code]) for e, unit in _people(today)]
    # The last four people come with a flaw each, and are refused.
    rows, (bad_nip, bad_grade, bad_unit, bad_skp) = rows[:-4], rows[-4:]
    rows.append(list(rows[3]))  # the same row twice: a duplicate, no effect
    conflict = list(rows[5])
    conflict[1] = conflict[1].upper()  # same NIP, other data, no later TMT: a conflict
    rows.append(conflict)
    bad_nip[0] = bad_nip[0][:-1]  # 17 digits
    bad_grade[4] = "III/f"
    bad_unit[6] = "Dinas Pariwisata"  # Kota Sorong has no such unit
    bad_skp[11] = "Istimewa"
    rows += [bad_nip, bad_grade, bad_unit, bad_skp]
    header = ["NIP", "Nama", "Tanggal Lahir", "Jenis Kelamin", "Gol/Ruang", "Jabatan",
              "Unit Kerja", "TMT Jabatan", "Pendidikan Terakhir", "Jurusan", "SKP 2024",
              "SKP 2025", "Hukuman Disiplin", "Domisili"]  # fmt: skip
    return _csv(header, rows)


def write(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    made = {"units": units_csv(), "positions": positions_csv(), "employees": employees_csv()}
    paths = []
    for kind, data in made.items():
        path = directory / FILES[kind]
        path.write_bytes(data)
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in write(Path(sys.argv[1] if len(sys.argv) > 1 else "examples")):
        print(written)
