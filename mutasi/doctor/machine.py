"""Checks of the machine and the venv: Python, the installed packages, disk, data directory,
Chromium. Standard library (and `packaging`) only, so they run in a half-installed venv."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

from mutasi.doctor.findings import Finding, fail, ok, warn
from mutasi.doctor.lockfile import drift, frozen

REPO = Path(__file__).resolve().parents[2]
SUPPORTED = ((3, 11), (3, 13))  # pyproject.toml's requires-python, both ends included
REINSTALL_ID = (
    "rm -rf .venv && make .venv/.installed (memasang ulang persis dari requirements.lock)"
)
REINSTALL_EN = "rm -rf .venv && make .venv/.installed (reinstalls exactly requirements.lock)"
MIN_FREE = 1 << 30  # PostgreSQL, the Temporal SQLite file and JetStream, seeded: ~0.3 GB
LOW_FREE = 5 << 30
POSTGRES_USER_ROOT = "embedded_postgres"  # mutasi/embedded/postgres.py runs it so under root


def python_version(version: tuple[int, int] = sys.version_info[:2]) -> Finding:
    shown = f"{version[0]}.{version[1]} ({sys.executable})"
    low, high = SUPPORTED
    if low <= version <= high:
        return ok("Python", shown)
    return fail(
        "Python",
        f"{shown}; Mutasi perlu / needs 3.11–3.13",
        "pasang Python 3.11, 3.12 atau 3.13 (apt-get install python3), hapus .venv, lalu"
        " make run PY=python3.x",
        "install Python 3.11, 3.12 or 3.13 (apt-get install python3), remove .venv, then"
        " make run PY=python3.x",
    )


def venv(lock: Path = REPO / "requirements.lock") -> Finding:
    if sys.prefix == sys.base_prefix:
        return warn(
            "venv",
            f"{sys.executable} tidak di venv / is not in a venv",
            "jalankan lewat .venv/bin/mutasi (make run membuatnya)",
            "run it as .venv/bin/mutasi (make run creates it)",
        )
    if not lock.is_file():
        return ok(
            "venv", f"{sys.prefix} (tanpa requirements.lock / no lockfile: installed elsewhere)"
        )
    installed = frozen()
    found = drift(lock, installed)
    if found.missing or found.wrong:
        shown = "; ".join(found.lines()[:4]) + (" …" if len(found.lines()) > 4 else "")
        return fail(
            "venv",
            f"tidak sesuai requirements.lock / differs from the lock: {shown}",
            REINSTALL_ID,
            REINSTALL_EN,
        )
    if found.extra:
        return warn(
            "venv",
            "; ".join(found.lines()[:4]),
            "make .venv/.installed menghapus paket yang tidak terkunci",
            "make .venv/.installed removes packages the lock does not list",
        )
    try:
        metadata.distribution("mutasi")
    except metadata.PackageNotFoundError:
        return fail(
            "venv",
            "paket mutasi belum terpasang / the mutasi package is not installed",
            "make .venv/.installed",
            "make .venv/.installed",
        )
    return ok("venv", f"{sys.prefix}: {len(installed)} paket sesuai requirements.lock / as locked")


def _existing(path: Path) -> Path:
    path = path.absolute()
    while not path.exists():
        path = path.parent
    return path


def disk(var_dir: Path, free: int | None = None) -> Finding:
    where = _existing(var_dir)
    free = shutil.disk_usage(where).free if free is None else free
    shown = f"{free / (1 << 30):.1f} GB kosong / free at {where}"
    fix_id = "kosongkan ruang disk, atau pindahkan data: MUTASI_VAR_DIR=/disk/lain/mutasi"
    fix_en = "free some disk space, or move the data: MUTASI_VAR_DIR=/other/disk/mutasi"
    if free < MIN_FREE:
        return fail("disk", f"{shown}; perlu / needs ≥ 1 GB", fix_id, fix_en)
    if free < LOW_FREE:
        return warn("disk", f"{shown}; kurang dari / under 5 GB", fix_id, fix_en)
    return ok("disk", shown)


def data_directory(var_dir: Path) -> list[Finding]:
    """var/ must be writable; PostgreSQL's files must belong to the user it runs as."""
    try:
        var_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=var_dir):
            pass
    except OSError as exc:
        return [
            fail(
                "direktori data / data directory",
                f"{var_dir}: {exc.strerror or exc}",
                f"pilih direktori yang bisa ditulis (MUTASI_VAR_DIR=…) atau chown -R {_me()}"
                f" {var_dir}",
                f"choose a writable directory: MUTASI_VAR_DIR=…, or chown -R {_me()} {var_dir}",
            )
        ]
    found = [ok("direktori data / data directory", f"{var_dir.absolute()} bisa ditulis / writable")]
    root = os.geteuid() == 0
    pgdata = var_dir / "postgres"
    if pgdata.exists():
        runs_as = POSTGRES_USER_ROOT if root else _me()
        owner = _owner(pgdata)
        if owner != runs_as:
            found.append(
                fail(
                    "PostgreSQL data",
                    f"{pgdata} milik / belongs to {owner}; PostgreSQL berjalan sebagai / runs"
                    f" as {runs_as}",
                    f"chown -R {runs_as} {pgdata}",
                    f"chown -R {runs_as} {pgdata}",
                )
            )
    elif root and shutil.which("useradd") is None and not _user_exists(POSTGRES_USER_ROOT):
        found.append(
            fail(
                "PostgreSQL user",
                f"sebagai root, PostgreSQL perlu pengguna / as root, PostgreSQL needs the user"
                f" {POSTGRES_USER_ROOT}; useradd tidak ada / missing",
                "apt-get install passwd (useradd), atau jalankan sebagai pengguna biasa",
                "apt-get install passwd (useradd), or run as an ordinary user",
            )
        )
    keys = var_dir / "keys"
    if keys.exists() and keys.stat().st_mode & 0o077:
        found.append(
            warn(
                "kunci / keys",
                f"{keys} terbaca orang lain / readable by others",
                f"chmod 700 {keys}",
                f"chmod 700 {keys}",
            )
        )
    return found


def chromium(path: str = "/usr/bin/chromium") -> Finding:
    """Only the browser tests need it; `make run` works without."""
    if not os.access(path, os.X_OK):
        return warn(
            "Chromium",
            f"{path} tidak ada / missing (hanya uji peramban / only the browser tests need it)",
            "apt-get update && apt-get install -y chromium chromium-driver",
            "apt-get update && apt-get install -y chromium chromium-driver",
        )
    return ok("Chromium", version([path, "--version"]) or path)


def version(args: list[str]) -> str | None:
    """The first line a program prints for its version, or None if it cannot run."""
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = (done.stdout or done.stderr).strip().splitlines()
    return lines[0] if done.returncode == 0 and lines else None


def _me() -> str:
    import pwd

    return pwd.getpwuid(os.geteuid()).pw_name


def _owner(path: Path) -> str:
    import pwd

    uid = path.stat().st_uid
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _user_exists(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True
