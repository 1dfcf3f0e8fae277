"""docs/security.md's threat model names, for each threat, the test that shows its control:
every test it names exists (and every test function it points into)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "security.md").read_text()


def _rows() -> list[list[str]]:
    table = DOC.split("## Threat model", 1)[1]
    rows = [line.split("|")[1:-1] for line in table.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in row] for row in rows[1:]]  # without the header


def test_the_threat_model_has_an_asset_threat_control_and_test_in_every_row():
    rows = _rows()
    assert len(rows) >= 14
    assert all(len(row) == 4 and all(row) for row in rows)


def test_every_test_the_threat_model_names_exists():
    missing = []
    for *_, tests in _rows():
        for name, _, function in re.findall(r"`([\w/]*test_\w+\.py)(::…(\w+)…)?`", tests):
            found = list(ROOT.glob(name if "/" in name else f"tests/**/{name}"))
            if not found:
                missing.append(name)
            elif function and not any(function in p.read_text() for p in found):
                missing.append(f"{name}::{function}")
    assert missing == []
