"""The candidates for one post, best first, each score explained criterion by criterion.

All employees are scored at once (scoring.py); only the shown page is explained, by
`profile_match` itself, so the explanation and the ranking agree to the last decimal.
Hard rules exclude before ranking: the post's own holders (R1), an active sanction (R4),
an open transfer (R8); those are reported with the reason, not silently dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from mutasi.domain.model import Position
from mutasi.domain.profile_matching import ProfileMatch, profile_match
from mutasi.planning.places import km_between
from mutasi.planning.scoring import People, Posts, Vector, score

_NOBODY = np.empty(0, dtype=np.intp)


@dataclass(frozen=True)
class Candidate:
    index: int  # in People.employees
    rank: int  # 1 = best
    match: ProfileMatch
    km: float | None


@dataclass(frozen=True)
class Ranking:
    candidates: list[Candidate]  # the requested page
    total: int  # candidates after exclusions
    excluded: dict[str, int]  # rule code -> how many employees it excluded


def _excluded(
    people: People, post: Position, blocked: Mapping[str, str]
) -> tuple[NDArray[np.int8], list[str]]:
    """A reason per employee, as an index into the returned rule codes (0 = candidate).
    Later marks win: an employee who holds the post is reported under R1."""
    reasons = np.zeros(len(people), dtype=np.int8)
    rules = [""]

    def mark(rows: NDArray[np.intp] | NDArray[np.bool_] | int, rule: str) -> None:
        if rule not in rules:
            rules.append(rule)
        reasons[rows] = rules.index(rule)

    mark(people.sanctioned, "R4")
    for nip, rule in blocked.items():
        if (i := people.row_of.get(nip)) is not None:
            mark(i, rule)
    mark(people.holders.get(post.code, _NOBODY), "R1")
    return reasons, rules


def _best(scores: Vector, eligible: NDArray[np.intp], count: int) -> NDArray[np.intp]:
    """The `count` best of `eligible` by score, ties by row: the order a full sort gives,
    without sorting all 10,000 (only those scoring at least the count-th best)."""
    if 0 < count < len(eligible):
        kth = np.partition(scores[eligible], len(eligible) - count)[len(eligible) - count]
        eligible = eligible[scores[eligible] >= kth]
    return eligible[np.lexsort((eligible, -scores[eligible]))][:count]


def rank(
    people: People,
    post: Position,
    *,
    city: str | None,
    coords: tuple[float, float] | None,
    blocked: Mapping[str, str] | None = None,
    offset: int = 0,
    limit: int = 20,
) -> Ranking:
    """Rank every employee of `people` for `post`; `blocked`: nip -> rule keeping them (R8)."""
    where = np.array([coords if coords else (np.nan, np.nan)], dtype=float)
    scores = score(people, Posts([post], [city], where)).score[:, 0]
    reasons, rules = _excluded(people, post, blocked or {})
    eligible = np.flatnonzero(reasons == 0)
    page = _best(scores, eligible, offset + limit)[offset:]
    candidates = []
    for k, i in enumerate(page.tolist()):
        employee = people.employees[i]
        home = people.homes[i]
        km = None
        if coords and not np.isnan(home).any():
            km = km_between((float(home[0]), float(home[1])), coords)
        explained = profile_match(
            employee, post, today=people.today, config=people.config, city=city, distance_km=km
        )
        candidates.append(Candidate(i, offset + k + 1, explained, km))
    tally = np.bincount(reasons, minlength=len(rules))
    counts = {rules[k]: int(tally[k]) for k in range(1, len(rules)) if tally[k]}
    return Ranking(candidates, len(eligible), counts)
