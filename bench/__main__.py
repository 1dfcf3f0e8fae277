"""`make bench`: run every bench/*_bench.py module's `run()`, in ORDER, then write the JSON.

`python -m bench plan events` runs only the modules whose names start with those words.
A module may return nothing; figures it reports through `bench.harness.report` are printed
at once, each beside its previous value (bench/compare.py), and land in
bench/results/<time>.json.
"""

from __future__ import annotations

import importlib
import sys
import time
import traceback
from pathlib import Path

from bench.harness import flagged, stop_shared_stack, write_results

# Pure figures first, then those needing the embedded stack, the heaviest last.
ORDER = ("plan", "log", "events", "lifecycle", "api", "web", "memory", "scale")


def _modules() -> list[str]:
    found = sorted(p.stem.removesuffix("_bench") for p in Path(__file__).parent.glob("*_bench.py"))
    known = [name for name in ORDER if name in found]
    return known + [name for name in found if name not in ORDER]


def main(selected: list[str]) -> int:
    started = time.perf_counter()
    failed = []
    try:
        for name in _modules():
            if selected and not any(name.startswith(s) for s in selected):
                continue
            print(f"== {name}", flush=True)
            begun = time.perf_counter()
            try:
                importlib.import_module(f"bench.{name}_bench").run()
            except Exception:  # noqa: BLE001 - one broken benchmark must not hide the others
                traceback.print_exc()
                failed.append(name)
            print(f"   ({name}: {time.perf_counter() - begun:.1f} s)", flush=True)
    finally:
        stop_shared_stack()
    path = write_results(started)
    print(f"== {time.perf_counter() - started:.0f} s in all; results in {path}")
    if flagged():
        print(f"== changed by more than 20 % since their previous run: {', '.join(flagged())}")
    if failed:
        print(f"== failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
