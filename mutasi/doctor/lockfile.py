"""requirements.lock against what a virtual environment holds.

The lock is one universal resolution (`make lock`, uv) for Python 3.11–3.13 and every
platform: an entry whose marker does not hold here (colorama on Windows) is not expected.
Used by `make` (prune what a changed lock no longer lists), `mutasi doctor` (a venv that
drifted) and tests/unit/test_lockfile.py (a fresh install equals the lock).

Standard library plus `packaging` only: `make` runs it before the project is installed.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from packaging.markers import Marker
from packaging.utils import canonicalize_name

# `name==version ; marker \` opens an entry; hashes and `# via` comments follow on their own lines.
_ENTRY = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;\\]+)(?:\s*;(?P<marker>[^\\]+))?"
)
# `pip freeze` lines of the project itself (editable) or comments are not locked packages.
_FREEZE = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>\S+)$")


@dataclass(frozen=True)
class Drift:
    """What the venv has that the lock does not say, and the other way round."""

    missing: dict[str, str]  # locked name -> locked version, not installed
    wrong: dict[str, tuple[str, str]]  # name -> (locked, installed)
    extra: dict[str, str]  # installed name -> version, not locked

    def __bool__(self) -> bool:
        return bool(self.missing or self.wrong or self.extra)

    def lines(self) -> list[str]:
        out = [f"belum terpasang / missing: {n}=={v}" for n, v in sorted(self.missing.items())]
        out += [
            f"versi lain / other version: {n} {have} (terkunci / locked {want})"
            for n, (want, have) in sorted(self.wrong.items())
        ]
        out += [f"tidak terkunci / not locked: {n}=={v}" for n, v in sorted(self.extra.items())]
        return out


def locked(path: Path) -> dict[str, str]:
    """The entries of the lock that apply to this interpreter and platform: name -> version."""
    entries: dict[str, str] = {}
    for line in path.read_text().splitlines():
        match = _ENTRY.match(line)
        if match is None:
            continue
        marker = match["marker"]
        if marker and not Marker(marker.strip()).evaluate():
            continue
        entries[canonicalize_name(match["name"])] = match["version"]
    return entries


def frozen(python: str = sys.executable) -> dict[str, str]:
    """`pip freeze --all` of the environment of `python`: name -> version, editables left out."""
    output = subprocess.run(
        [python, "-m", "pip", "freeze", "--all"], capture_output=True, text=True, check=True
    ).stdout
    found = {}
    for line in output.splitlines():
        match = _FREEZE.match(line.strip())
        if match:
            found[canonicalize_name(match["name"])] = match["version"]
    return found


def drift(lock: Path, installed: dict[str, str], own: str = "mutasi") -> Drift:
    want = locked(lock)
    installed = {name: v for name, v in installed.items() if name != own}
    return Drift(
        missing={n: v for n, v in want.items() if n not in installed},
        wrong={
            n: (v, installed[n]) for n, v in want.items() if n in installed and installed[n] != v
        },
        extra={n: v for n, v in installed.items() if n not in want},
    )


def prune(lock: Path, python: str = sys.executable) -> list[str]:
    """Uninstall what the lock no longer lists (a dependency someone removed); names returned."""
    extra = sorted(drift(lock, frozen(python)).extra)
    if extra:
        subprocess.run([python, "-m", "pip", "uninstall", "--yes", "--quiet", *extra], check=True)
    return extra


def main(argv: list[str]) -> int:
    command, lock = argv[0], Path(argv[1])
    if command == "prune":
        for name in prune(lock):
            print(f"dihapus, tidak lagi terkunci / removed, no longer locked: {name}")
        return 0
    if command == "check":
        found = drift(lock, frozen())
        for line in found.lines():
            print(line)
        return 1 if found else 0
    print("usage: python -m mutasi.doctor.lockfile prune|check requirements.lock")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
