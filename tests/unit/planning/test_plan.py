"""A plan BKPSDM can trust: hard rules hold, SKP counts, chains fill vacated posts."""

from datetime import date

import numpy as np
import pytest

from mutasi.domain.model import Employee, Position, Sanction
from mutasi.domain.nip import parse_nip
from mutasi.domain.profile_config import DEFAULT_PROFILE
from mutasi.planning.outcome import optimise
from mutasi.planning.plan import PlanData, UnitInfo, build
from mutasi.planning.problem import check
from mutasi.planning.spec import Pair, PlanRules, PlanWeights

TODAY = date(2026, 11, 23)
SKILLS = {"Analisis Data": 3, "Perencanaan": 3}


def person(k: int, post: Position, **overrides) -> Employee:
    nip = f"1985{k % 12 + 1:02d}15201001{'12'[k % 2]}{k:03d}"
    parsed = parse_nip(nip)
    data = dict(
        nip=nip, name=f"Pegawai {k}", birth_date=parsed.birth_date, gender=parsed.gender,
        grade="III/b", position_code=post.code, unit_code=post.unit_code,
        position_since=date(2019, 1, 1), education_level="S1",
        education_field="Statistika", competencies=dict(SKILLS),
        performance={2024: "good", 2025: "good"},
    )  # fmt: skip
    return Employee(**(data | overrides))


def post(code: str, unit: str, needed: int, filled: int, **overrides) -> Position:
    data = dict(
        code=code, name=code, unit_code=unit, kind="fungsional", needed=needed, filled=filled,
        required_education_level="S1", required_education_fields=("Statistika",),
        required_competencies=SKILLS,
    )  # fmt: skip
    return Position(**(data | overrides))


def plan(employees, positions, rules=PlanRules(), blocked=None):
    units = {}
    for p in positions:
        needed, filled = units.get(p.unit_code, (0, 0))
        units[p.unit_code] = (needed + p.needed, filled + p.filled)
    data = PlanData(
        employees=employees, positions=positions, today=TODAY, profile=DEFAULT_PROFILE,
        units={u: UnitInfo(u, u, n, f) for u, (n, f) in units.items()},
        blocked=blocked or {},
    )  # fmt: skip
    built = build(data, PlanWeights(), rules)
    outcome = optimise(built)
    assert check(built.problem, np.array([
        built.data.positions.index(next(p for p in positions if p.code == code))
        for code in _final(outcome, employees)
    ])) == []  # fmt: skip
    return outcome


def _final(outcome, employees) -> list[str]:
    moved = {line.nip: line.target_position for line in outcome.lines}
    return [moved.get(e.nip, e.position_code) for e in employees]


def moves(outcome) -> dict[str, str]:
    return {line.nip: line.target_position for line in outcome.lines}


# A crowded unit (3 people where 1 is needed) and a unit with one vacancy.
CROWDED = post("a.staf", "a", needed=1, filled=3, required_competencies={"Perencanaan": 5})
VACANT = post("b.analis", "b", needed=2, filled=1)
HOLDER = post("b.kepala", "b", needed=1, filled=1)


def test_the_better_rated_of_two_equal_candidates_gets_the_post():
    # The case: identical people, one rated Sangat Kurang twice, the other Baik.
    weak = person(1, CROWDED, performance={2024: "very_poor", 2025: "very_poor"})
    good = person(2, CROWDED)
    third = person(3, CROWDED, competencies={"Perencanaan": 5})
    outcome = plan([weak, good, third], [CROWDED, VACANT])
    assert moves(outcome) == {good.nip: VACANT.code}


def test_sanctioned_and_busy_employees_and_the_newly_placed_stay():
    sanctioned = person(
        1,
        CROWDED,
        sanctions=(Sanction(start=date(2026, 1, 1), end=date(2027, 1, 1), kind="sedang"),),
    )
    busy = person(2, CROWDED)
    newcomer = person(3, CROWDED, position_since=date(2025, 6, 1))
    outcome = plan([sanctioned, busy, newcomer], [CROWDED, VACANT], blocked={busy.nip: "R8"})
    assert moves(outcome) == {}
    allowed = plan([sanctioned, busy, newcomer], [CROWDED, VACANT], PlanRules(min_tenure=False),
                   blocked={busy.nip: "R8"})  # fmt: skip
    assert moves(allowed) == {newcomer.nip: VACANT.code}


def test_a_post_vacated_by_the_plan_is_filled_by_it():
    # b.kepala has no vacancy; its holder fits a.staf's standard only as well as they fit
    # their own, but someone fits b.kepala far better than a.staf: a chain of two moves.
    kepala = post("b.kepala", "b", needed=1, filled=1, required_competencies={"Perencanaan": 5})
    staf = post("a.staf", "a", needed=2, filled=1, required_competencies={"Analisis Data": 3})
    holder = person(1, kepala, competencies={"Perencanaan": 2, "Analisis Data": 3})
    expert = person(2, staf, competencies={"Perencanaan": 5, "Analisis Data": 1})
    outcome = plan([holder, expert], [kepala, staf])
    assert moves(outcome) == {holder.nip: staf.code, expert.nip: kepala.code}
    line = next(x for x in outcome.lines if x.nip == expert.nip)
    assert line.vacated_by == holder.nip


def test_locked_and_excluded_pairs_and_unit_limits_hold():
    people = [person(k, CROWDED) for k in range(1, 4)]
    free = plan(people, [CROWDED, VACANT])
    chosen = next(iter(moves(free)))
    other = next(e.nip for e in people if e.nip != chosen)
    rules = PlanRules(excluded=[Pair(nip=chosen, position_code=VACANT.code)],
                      locked=[Pair(nip=other, position_code=VACANT.code)])  # fmt: skip
    assert moves(plan(people, [CROWDED, VACANT], rules)) == {other: VACANT.code}
    assert moves(plan(people, [CROWDED, VACANT], PlanRules(max_moves_out_per_unit=0))) == {}


def test_the_optimum_is_never_below_greedy_and_says_so():
    people = [person(k, CROWDED) for k in range(1, 4)]
    outcome = plan(people, [CROWDED, VACANT, HOLDER])
    assert outcome.optimum.value >= outcome.greedy.value
    assert outcome.gap == pytest.approx(0.0)
    assert sum(outcome.optimum.parts.values()) == pytest.approx(outcome.optimum.value, abs=0.05)


def test_a_scope_without_people_or_posts_scores_nothing_and_fails_nothing():
    from mutasi.planning.scoring import People, Posts, score

    people = People.build([], today=TODAY, config=DEFAULT_PROFILE)
    empty = score(people, Posts([VACANT], ["Kota Jambi"], np.full((1, 2), np.nan)))
    assert empty.score.shape == (0, 1)
    nobody = score(People.build([person(1, CROWDED)], today=TODAY, config=DEFAULT_PROFILE),
                   Posts([], [], np.empty((0, 2))))  # fmt: skip
    assert nobody.score.shape == (1, 0)
