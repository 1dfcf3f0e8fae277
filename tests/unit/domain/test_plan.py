"""Transfer plan: BKPSDM distributes candidates over vacancies and trusts it is the best."""

import itertools
import random
from datetime import date

import numpy as np
import pytest

from mutasi.domain.matching import match
from mutasi.domain.model import Aspirations, Employee, Position, Sanction
from mutasi.domain.nip import parse_nip
from mutasi.domain.plan import PlanWeights, plan_transfers, score_matrix, unit_staffing
from mutasi.domain.plan_matrix import fit_matrix

TODAY = date(2026, 11, 23)
COMPETENCIES = ("Analisis Data", "Perencanaan", "Pelayanan Publik", "Teknologi Informasi")
FIELDS = ("Akuntansi", "Teknik Informatika", "Kesehatan Masyarakat", "Ilmu Hukum")


def person(k: int, rng: random.Random, **overrides) -> Employee:
    nip = f"1985{(k % 12) + 1:02d}15201001{'12'[k % 2]}{k:03d}"
    parsed = parse_nip(nip)
    data = dict(
        nip=nip, name=f"Pegawai {k}", birth_date=parsed.birth_date, gender=parsed.gender,
        grade="III/b", position_code=f"u{k % 3}.staf", unit_code=f"u{k % 3}",
        position_since=date(2020, 1, 1), education_level=rng.choice(["D3", "S1", "S2"]),
        education_field=rng.choice(FIELDS),
        competencies={c: rng.randint(0, 5) for c in rng.sample(COMPETENCIES, 3)},
        home_city=rng.choice(["Kota Sorong", "Kabupaten Sorong"]),
        aspirations=Aspirations(units=(f"u{rng.randint(0, 3)}",)),
    )  # fmt: skip
    return Employee(**(data | overrides))


def post(k: int, rng: random.Random, **overrides) -> Position:
    data = dict(
        code=f"u{k % 4}.jabatan-{k}", name=f"Jabatan {k}", unit_code=f"u{k % 4}",
        kind="pelaksana", required_education_level=rng.choice(["D3", "S1"]),
        required_education_fields=(rng.choice(FIELDS),),
        required_competencies={c: rng.randint(1, 5) for c in rng.sample(COMPETENCIES, 2)},
        needed=rng.randint(1, 3), filled=0,
    )  # fmt: skip
    return Position(**(data | overrides))


def brute_force_best(total: np.ndarray) -> float:
    """Best sum over every partial matching of rows to columns using finite entries."""
    rows, cols = total.shape
    best = 0.0
    for choice in itertools.product(range(-1, cols), repeat=rows):
        used = [c for c in choice if c >= 0]
        if len(used) != len(set(used)):
            continue
        values = [total[r, c] for r, c in enumerate(choice) if c >= 0]
        if all(np.isfinite(values)):
            best = max(best, float(sum(values)))
    return best


@pytest.mark.parametrize("seed", range(8))
def test_plan_total_equals_the_brute_force_optimum(seed):
    rng = random.Random(seed)
    employees = [person(k, rng) for k in range(rng.randint(3, 5))]
    positions = [post(k, rng) for k in range(rng.randint(2, 3))]
    forbidden = {(employees[0].nip, positions[0].code)}
    scores = score_matrix(employees, positions, today=TODAY, forbidden=forbidden)
    result = plan_transfers(employees, positions, today=TODAY, forbidden=forbidden)
    assert result.total_score == pytest.approx(brute_force_best(scores.total))
    assert (employees[0].nip, positions[0].code) not in {
        (a.nip, a.position_code) for a in result.assignments}  # fmt: skip


def test_vectorised_fit_is_the_r5_match_score():
    rng = random.Random(42)
    employees = [person(k, rng) for k in range(12)]
    positions = [post(k, rng) for k in range(9)]
    fit = fit_matrix(employees, positions)
    for i, employee in enumerate(employees):
        for j, position in enumerate(positions):
            assert 100 * fit[i, j] == pytest.approx(match(employee, position).score, abs=0.05)


def test_each_vacancy_is_a_slot_and_leftovers_are_reported():
    rng = random.Random(1)
    employees = [person(k, rng) for k in range(5)]
    positions = [post(0, rng, needed=3, filled=1), post(1, rng, needed=1, filled=1)]
    result = plan_transfers(employees, positions, today=TODAY)
    assert [a.position_code for a in result.assignments] == [positions[0].code] * 2
    assert len(result.unassigned_nips) == 3 and result.unfilled_positions == ()
    assert result.total_score == pytest.approx(sum(a.score for a in result.assignments), abs=0.01)


def test_sanctioned_people_and_their_own_position_are_never_planned():
    rng = random.Random(3)
    sanction = (Sanction(start=date(2026, 1, 1), end=TODAY, kind="ringan"),)
    sanctioned = person(0, rng, sanctions=sanction)
    holder = person(1, rng, position_code="u0.jabatan-0", unit_code="u0")
    result = plan_transfers([sanctioned, holder], [post(0, rng)], today=TODAY)
    assert result.assignments == ()
    assert result.unfilled_positions == ("u0.jabatan-0",)


def test_wishes_and_workload_decide_between_equally_fit_people():
    rng = random.Random(5)
    position = post(1, rng, required_competencies={}, required_education_fields=(),
                    required_education_level=None)  # fmt: skip
    keen = person(0, rng, aspirations=Aspirations(positions=(position.code,)))
    indifferent = person(2, rng, aspirations=Aspirations(), home_city=keen.home_city)
    keen = keen.model_copy(update={"unit_code": indifferent.unit_code})
    result = plan_transfers([indifferent, keen], [position], today=TODAY)
    assert [a.nip for a in result.assignments] == [keen.nip]
    assert result.assignments[0].aspiration == pytest.approx(0.4)


def test_moving_out_of_an_overstaffed_unit_scores_higher():
    rng = random.Random(8)
    target = post(1, rng, needed=4, filled=2)  # unit u1 short of 2
    crowded = person(0, rng, unit_code="u0", aspirations=Aspirations())
    balanced = person(2, rng, unit_code="u2", aspirations=Aspirations())
    staffing = {"u0": (10, 15), "u1": (4, 2), "u2": (10, 10)}
    scores = score_matrix([crowded, balanced], [target], today=TODAY, staffing=staffing,
                                weights=PlanWeights(fit=0, aspiration=0, distance=0))  # fmt: skip
    assert scores.workload[:, 0].tolist() == pytest.approx([0.5 * 0.5 + 0.5 * 0.5, 0.25])
    assert unit_staffing([target]) == {"u1": (4, 2)}


def test_distance_prefers_the_home_city_and_uses_known_kilometres():
    rng = random.Random(9)
    positions = [post(0, rng, needed=1), post(1, rng, needed=1)]
    people = [person(0, rng, home_city="Kota Sorong"), person(1, rng, home_city="Manna")]
    km = {frozenset({"Kota Sorong", "Manna"}): 3000.0}
    scores = score_matrix(
        people, positions, today=TODAY, unit_cities={"u0": "Kota Sorong", "u1": "Manna"},
        distance_km=lambda a, b: km.get(frozenset({a, b})),
    )  # fmt: skip
    np.testing.assert_allclose(scores.distance, [[1.0, 1 / 31], [1 / 31, 1.0]])
