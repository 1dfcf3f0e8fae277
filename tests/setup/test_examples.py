"""The example exports in examples/ are what the project's generator makes, and the README's
import example prints exactly what it says, from the repository alone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mutasi.seed.data import generate
from mutasi.seed.exports import FILES, TENANT, write
from tests.integration.import_support import fresh_tenant, run_cli

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"


def test_the_committed_examples_are_what_the_generator_makes(tmp_path):
    for made in write(tmp_path):
        committed = EXAMPLES / made.name
        assert committed.read_bytes() == made.read_bytes(), f"{made.name}: run make examples"


def test_the_examples_are_shaped_like_a_simpeg_export():
    for name in FILES.values():
        data = (EXAMPLES / name).read_bytes()
        assert data.startswith("\ufeff".encode()), name  # UTF-8 with a BOM
        assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b""), name
        assert data.split(b"\r\n")[0].count(b";") >= 3, name
    employees = (EXAMPLES / FILES["employees"]).read_text(encoding="utf-8-sig")
    assert re.search(r"^\d{18};[^;]+;\d\d-\d\d-\d{4};[LP];", employees, re.MULTILINE)


def _readme_example() -> list[tuple[list[str], list[str]]]:
    """Each `mutasi import …` of the README's master-data block, with the lines shown after
    it as its output (`# …` comments)."""
    readme = (REPO / "README.md").read_text()
    section = readme.split("## Master data from spreadsheets", 1)[1]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    steps: list[tuple[list[str], list[str]]] = []
    for line in block.splitlines():
        if line.startswith(".venv/bin/mutasi "):
            steps.append((line.split()[1:], []))
        elif line.startswith("# ") and steps:
            steps[-1][1].append(line[2:])
    return steps


@pytest.mark.usefixtures("seeded")
async def test_the_readme_import_example_prints_what_the_readme_says(settings, pool):
    steps = _readme_example()
    assert [args[:2] for args, _ in steps] == [
        ["import", "units"],
        ["import", "positions"],
        ["import", "employees"],
    ]
    # A government with Kota Sorong's units but nothing else of this run's other tests.
    units = tuple((u.code, u.name) for u in generate(employees_per_tenant=100).units[TENANT])
    tenant = await fresh_tenant(pool, units)
    for args, shown in steps:
        assert args[2].startswith("examples/") and args[3:] == ["--tenant", TENANT]
        done = run_cli(settings, *args[:3], "--tenant", tenant)
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines() == shown, " ".join(args)
    # Importing the same files again changes nothing.
    for args, _ in steps:
        again = run_cli(settings, *args[:3], "--tenant", tenant).stdout.splitlines()[-1]
        assert again.startswith("0 diimpor (0 baru, 0 diperbarui)"), again
