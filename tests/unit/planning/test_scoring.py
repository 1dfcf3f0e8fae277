"""Ranking at scale gives every employee exactly the score the explained profile gives."""

import random
from datetime import date

import numpy as np
import pytest

from mutasi.domain.competency import MANAGERIAL
from mutasi.domain.model import Aspirations, Employee, Position
from mutasi.domain.nip import parse_nip
from mutasi.domain.profile_config import DEFAULT_PROFILE, ProfileConfig
from mutasi.domain.profile_matching import profile_match
from mutasi.planning.places import km_between
from mutasi.planning.ranking import rank
from mutasi.planning.scoring import People, Posts, score

TODAY = date(2026, 11, 23)
TECHNICAL = ("Tata Kelola Sistem Informasi", "Keamanan Informasi", "Akuntansi Pemerintahan")
FIELDS = ("Teknik Informatika", "Akuntansi", "Keperawatan", "")
CITIES = ("Kota Jambi", "Kabupaten Bungo", "Kabupaten Kerinci")
COORDS = {
    "Kota Jambi": (-1.61, 103.61),
    "Kabupaten Bungo": (-1.485, 102.12),
    "Kabupaten Kerinci": (-1.93, 101.28),
}


def person(k: int, rng: random.Random) -> Employee:
    nip = f"1985{(k % 12) + 1:02d}15201001{'12'[k % 2]}{k:03d}"
    parsed = parse_nip(nip)
    names = rng.sample(MANAGERIAL + TECHNICAL, rng.randint(0, 8))
    return Employee(
        nip=nip,
        name=f"Pegawai {k}",
        birth_date=parsed.birth_date,
        gender=parsed.gender,
        grade="III/b",
        position_code=f"u{k % 3}.staf",
        unit_code=f"u{k % 3}",
        position_since=date(rng.choice([2019, 2025]), 3, 1),
        education_level=rng.choice(["SMA", "D3", "S1", "S2"]),
        education_field=rng.choice(FIELDS) or None,
        competencies={n: rng.randint(0, 5) for n in names},
        performance={
            y: rng.choice(["very_good", "good", "poor"])
            for y in rng.sample([2024, 2025], rng.randint(0, 2))
        },
        home_city=rng.choice(CITIES),
        aspirations=rng.choice(
            [
                Aspirations(),
                Aspirations(units=("u1",)),
                Aspirations(positions=("u2.p2",), cities=("Kabupaten Bungo",)),
            ]
        ),
    )


def post(k: int, rng: random.Random) -> Position:
    names = rng.sample(MANAGERIAL + TECHNICAL, rng.randint(0, 6))
    return Position(
        code=f"u{k % 3}.p{k}",
        name=f"Jabatan {k}",
        unit_code=f"u{k % 3}",
        kind="fungsional",
        required_education_level=rng.choice([None, "D3", "S1"]),
        required_education_fields=rng.choice([(), ("Teknik Informatika",), ("Akuntansi",)]),
        required_competencies={n: rng.randint(1, 5) for n in names},
    )


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize(
    "config",
    [
        DEFAULT_PROFILE,
        ProfileConfig(core_share=0.75, aspect_weights={"technical": 40, "education": 10}),
    ],
)
def test_matrix_scores_equal_the_explained_profile(seed, config):
    rng = random.Random(seed)
    employees = [person(k, rng) for k in range(14)]
    positions = [post(k, rng) for k in range(7)]
    cities = [rng.choice(CITIES) for _ in positions]
    homes = np.array([COORDS[e.home_city] for e in employees])
    coords = np.array([COORDS[c] for c in cities])
    people = People.build(employees, today=TODAY, config=config, homes=homes)
    scores = score(people, Posts(positions, cities, coords))
    for i, e in enumerate(employees):
        for j, p in enumerate(positions):
            km = km_between(COORDS[e.home_city], COORDS[cities[j]])
            one = profile_match(e, p, today=TODAY, config=config, city=cities[j], distance_km=km)
            assert scores.score[i, j] == pytest.approx(one.score, abs=1e-9)
            assert scores.fit[i, j] == pytest.approx(one.fit, abs=1e-9)
            if one.aspects:  # a post with nothing to weigh under this config scores 100
                assert sum(c.contribution for c in one.criteria) == pytest.approx(one.base_score)


@pytest.mark.parametrize("seed", range(8))
def test_a_ranking_page_is_the_full_sort_of_the_candidates_page(seed):
    """rank() sorts only the best it shows: each page equals the same slice of all eligible
    employees sorted by score (ties by row), and the exclusions are counted per rule."""
    rng = random.Random(seed)
    employees = [person(k, rng) for k in range(60)]  # few distinct profiles: many ties
    target = post(1, rng)
    for k in (2, 9, 30):  # they hold the post itself (R1); 9 is blocked too, R1 is reported
        employees[k] = employees[k].model_copy(update={"position_code": target.code})
    blocked = {employees[k].nip: "R8" for k in [9, *rng.sample(range(10, 30), 4)]}
    people = People.build(employees, today=TODAY, config=DEFAULT_PROFILE)
    full = score(people, Posts([target], [None], np.full((1, 2), np.nan))).score[:, 0]
    holders = {i for i, e in enumerate(employees) if e.position_code == target.code}
    sanctioned = {i for i, e in enumerate(employees) if e.active_sanctions(TODAY)}
    out = holders | {people.row_of[nip] for nip in blocked} | sanctioned
    eligible = sorted((i for i in range(60) if i not in out), key=lambda i: (-full[i], i))
    for offset, limit in ((0, 5), (0, 20), (3, 7), (10, 100), (0, 0)):
        ranking = rank(people, target, city=None, coords=None, blocked=blocked,
                       offset=offset, limit=limit)  # fmt: skip
        assert [c.index for c in ranking.candidates] == eligible[offset : offset + limit]
        assert [c.rank for c in ranking.candidates] == list(
            range(offset + 1, offset + 1 + len(ranking.candidates))
        )
        assert ranking.total == len(eligible)
    expected = {"R8": len({people.row_of[nip] for nip in blocked} - holders)}
    assert ranking.excluded == expected | {"R1": 3}
