"""`mutasi doctor` (also `python -m mutasi.doctor`, which `make run` calls first): why would
the set-up fail here, and how to fix it. Exit status 1 on a problem that stops `make run`.

Runs with `python -m` so that a venv too broken for the `mutasi` command still gets a
diagnosis: everything beyond the standard library is imported inside a guarded check.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from mutasi.doctor.findings import Finding, Level, fail
from mutasi.doctor.machine import REINSTALL_EN, REINSTALL_ID


def _guarded(check: str, run: Callable[[], list[Finding]]) -> list[Finding]:
    try:
        return run()
    except ImportError as exc:
        return [fail(check, f"venv rusak / broken venv: {exc}", REINSTALL_ID, REINSTALL_EN)]
    except Exception as exc:  # noqa: BLE001 - one failing check must not hide the others
        return [fail(check, f"{type(exc).__name__}: {exc}", "lihat pesan di atas", "see above")]


def _settings():  # noqa: ANN202 - a Settings, imported only once the venv is known to work
    from mutasi.settings import get_settings

    return get_settings()


def _ports() -> list[Finding]:
    from mutasi.doctor.servers import ports

    return ports(_settings())


def _servers() -> list[Finding]:
    from mutasi.doctor.servers import server_versions

    return server_versions()


def findings(before_run: bool = False) -> list[Finding]:
    from mutasi.doctor import machine

    out = [machine.python_version(), machine.venv()]
    out += _guarded("disk", lambda: [machine.disk(_settings().var_dir)])
    out += _guarded("data", lambda: machine.data_directory(_settings().var_dir))
    out += _guarded("port", _ports)
    out += _guarded("server", _servers)
    if not before_run:
        out.append(machine.chromium())
    return out


def report(found: list[Finding], before_run: bool, echo: Callable[[str], None] = print) -> int:
    problems = [f for f in found if f.level is Level.FAIL]
    for finding in found:
        if before_run and finding.level is Level.OK:
            continue
        for line in finding.lines():
            echo(line)
    if problems:
        echo(
            f"mutasi doctor: {len(problems)} masalah harus diperbaiki dulu"
            f" / {len(problems)} problem(s) to fix first"
        )
        return 1
    if not before_run:
        echo("mutasi doctor: siap / ready")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mutasi doctor", description=__doc__)
    parser.add_argument(
        "--before-run", action="store_true", help="only what is wrong; no browser check"
    )
    args = parser.parse_args(argv)
    return report(findings(args.before_run), args.before_run)


if __name__ == "__main__":
    sys.exit(main())
