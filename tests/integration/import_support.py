"""Helpers for import tests: a fresh government shaped like Kota Sorong, and the sample export
with its NIPs moved to sequences nobody holds, so every test imports into a clean slate."""

from __future__ import annotations

import random
import re
import subprocess
import sys
from pathlib import Path
from uuid import uuid4

import asyncpg

from mutasi.embedded.stack import settings_env
from mutasi.settings import Settings
from tests.conftest import REPO, SHARED_DATA

SAMPLE = SHARED_DATA / "pegawai_kota_sorong.csv"
# The repository's own export (examples/), for tests that need any real export, not the
# shared sample's documented outcome.
EXAMPLE = REPO / "examples" / "pegawai_kota_sorong.csv"
SORONG_UNITS = (
    ("dinkes", "Dinas Kesehatan"),
    ("disdikbud", "Dinas Pendidikan dan Kebudayaan"),
    ("dishub", "Dinas Perhubungan"),
    ("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil"),
    ("bpkad", "Badan Pengelolaan Keuangan dan Aset Daerah"),
    ("bkpsdm", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"),
)
# The sample's refused rows (line -> column and code of the first reason), per data/README.md.
REFUSED = {
    32: ("NIP", "nip.length"),
    33: ("NIP", "nip.birth_date_invalid"),
    34: ("NIP", "nip.gender_invalid"),
    35: ("Tanggal Lahir", "nip.birth_date_mismatch"),
    36: ("TMT Jabatan", "date.invalid"),
    37: ("Unit Kerja", "unit.unknown"),
    38: ("Gol/Ruang", "grade.invalid"),
    39: ("SKP 2025", "performance.invalid"),
    40: ("Nama", "value.missing"),
    41: ("NIP", "nip.not_digits"),
}
FIRST_IMPORT = (
    "33 diimpor (32 baru, 1 diperbarui), 0 tidak berubah, 1 duplikat, 1 konflik, 10 ditolak"
)
SECOND_IMPORT = (
    "0 diimpor (0 baru, 0 diperbarui), 33 tidak berubah, 1 duplikat, 1 konflik, 10 ditolak"
)
# A valid NIP (18 digits) at the start of a record, BOM or not; the last 3 are the sequence.
_NIP = re.compile(rb"(?m)^(\xef\xbb\xbf)?(\d{15})(\d{3})(?=;)")


async def fresh_tenant(
    pool: asyncpg.Pool, units: tuple[tuple[str, str], ...] = SORONG_UNITS
) -> str:
    slug = f"uji-{uuid4().hex[:10]}"
    await pool.execute(
        "INSERT INTO tenants (slug, name, kind, province, capital, timezone, head_title)"
        " VALUES ($1, $2, 'kota', 'Papua Barat Daya', 'Uji', 'Asia/Jayapura', 'Wali Kota Uji')",
        slug,
        f"Kota Uji {slug[4:]}",
    )
    await pool.executemany(
        "INSERT INTO units (tenant, code, name) VALUES ($1, $2, $3)",
        [(slug, code, name) for code, name in units],
    )
    return slug


async def with_fresh_nips(pool: asyncpg.Pool, data: bytes) -> bytes:
    """The same file, each valid-looking NIP given a sequence (001–399) nobody holds yet.

    Only the sequence changes, so every row keeps its verdict: a bad birth date, gender digit
    or length stays bad, and repeated NIPs stay repeated.
    """
    for _ in range(20):
        shift = random.randrange(1, 400)

        def moved(m: re.Match[bytes], shift: int = shift) -> bytes:
            sequence = 1 + (int(m.group(3)) - 1 + shift) % 399
            return (m.group(1) or b"") + m.group(2) + b"%03d" % sequence

        fresh = _NIP.sub(moved, data)
        nips = [m.group(2).decode() + m.group(3).decode() for m in _NIP.finditer(fresh)]
        if set(nips) & set(sample_nips(data)):
            continue  # a shifted NIP landing on one of the file's own would touch those
        if not await pool.fetchval(
            "SELECT count(*) FROM employees WHERE nip = ANY($1::text[])", nips
        ):
            return fresh
    raise AssertionError("no free NIP sequences left for the sample")


def sample_nips(data: bytes) -> list[str]:
    return sorted({m.group(2).decode() + m.group(3).decode() for m in _NIP.finditer(data)})


def run_cli(settings: Settings, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """`mutasi …` in a child process configured exactly like the running system."""
    return subprocess.run(
        [sys.executable, "-m", "mutasi.cli", *map(str, args)],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=settings_env(settings) | {"PATH": "/usr/bin:/bin"},
        timeout=120,
    )
