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

from mutasi.domain.model import Position
from mutasi.domain.profile_matching import ProfileMatch, profile_match
from mutasi.planning.places import km_between
from mutasi.planning.scoring import People, Posts, score


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


def _excluded(people: People, post: Position, blocked: Mapping[str, str]) -> np.ndarray:
    """A reason code per employee ("" = candidate)."""
    reasons = np.full(len(people), "", dtype=object)
    reasons[people.sanctioned] = "R4"
    for nip, rule in blocked.items():
        if (i := people.row_of.get(nip)) is not None:
            reasons[i] = rule
    reasons[people.position_codes == post.code] = "R1"
    return reasons


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
    reasons = _excluded(people, post, blocked or {})
    eligible = np.flatnonzero(reasons == "")
    order = eligible[np.lexsort((eligible, -scores[eligible]))]
    page = order[offset : offset + limit]
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
    counts: dict[str, int] = {}
    for reason in reasons[reasons != ""]:
        counts[reason] = counts.get(reason, 0) + 1
    return Ranking(candidates, len(order), counts)
