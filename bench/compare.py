"""Each figure beside its previous value: the last earlier run on this machine that measured
it (bench/results/<time>.json), else the reference run committed with the code
(bench/results/baseline.json, which says where and how loaded it was measured).

A change of more than 20 % in the figure or in its ratio to the floor is flagged: the
machine moves figures by about that much between runs, so a larger change is worth a look,
and a ratio that moved while the figure did not (or the reverse) says whether it was the
code or the machine.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FLAG_ABOVE = 0.20
BASELINE = "baseline.json"


@dataclass(frozen=True, slots=True)
class Earlier:
    value: float
    ratio: float
    run: str  # the run's finish time, or "baseline"


def _figures(path: Path) -> list[dict[str, Any]]:
    try:
        return list(json.loads(path.read_text())["figures"])
    except (OSError, ValueError, KeyError):
        return []  # a run cut short or hand-edited: skip it


def earlier_figures(results: Path) -> dict[str, Earlier]:
    """Figure name -> its most recent earlier measurement."""
    runs = sorted((p for p in results.glob("2*.json")), reverse=True)  # UTC stamps sort
    found: dict[str, Earlier] = {}
    for path in [*runs, results / BASELINE]:
        label = "baseline" if path.name == BASELINE else path.stem
        for figure in _figures(path):
            found.setdefault(
                figure["name"], Earlier(figure["value"], figure.get("ratio", 0.0), label)
            )
    return found


def _change(now: float, before: float) -> float | None:
    return (now - before) / before if before else None


def _percent(change: float | None) -> str:
    return "n/a" if change is None else f"{100 * change:+.0f} %"


def beside(value: float, ratio: float, unit: str, before: Earlier | None) -> tuple[str, bool]:
    """The text printed after a figure, and whether it changed by more than FLAG_ABOVE."""
    if before is None:
        return "previous: none", False
    value_change, ratio_change = _change(value, before.value), _change(ratio, before.ratio)
    flagged = any(c is not None and abs(c) > FLAG_ABOVE for c in (value_change, ratio_change))
    text = (
        f"previous ({before.run}): {before.value:,.3f} {unit}, ratio {before.ratio:.2f}"
        f" → {_percent(value_change)} figure, {_percent(ratio_change)} ratio"
    )
    return (f"CHANGED > {100 * FLAG_ABOVE:.0f} %: {text}" if flagged else text), flagged
