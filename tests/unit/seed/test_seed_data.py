"""The demo seed: five real-looking governments, valid people, and a demo story that works."""

from collections import Counter
from dataclasses import replace
from datetime import date

import pytest

from mutasi.domain.employee_csv import parse_employee_csv
from mutasi.domain.model import TransferKind
from mutasi.domain.nip import parse_nip
from mutasi.domain.rules import Proposer, RuleContext, evaluate, rotation_due
from mutasi.seed.data import generate, position_code_for


@pytest.fixture(scope="module")
def seed():
    return generate()


def test_same_seed_gives_the_same_data_and_another_seed_differs():
    assert generate(7, 100) == generate(7, 100)
    first = generate(7, 100).employees["kota-medan"]
    assert [e.nip for e in first] != [e.nip for e in generate(8, 100).employees["kota-medan"]]


def test_seed_size_is_a_parameter_with_a_floor():
    assert sum(len(e) for e in generate(1, 150).employees.values()) == 5 * 150
    with pytest.raises(ValueError, match="at least 100"):
        generate(1, 20)


def test_the_five_governments_of_the_spec(seed):
    assert [(t.slug, t.kind.value, t.province) for t in seed.tenants] == [
        ("kota-sorong", "kota", "Papua Barat Daya"),
        ("provinsi-jambi", "provinsi", "Jambi"),
        ("kota-palembang", "kota", "Sumatera Selatan"),
        ("kabupaten-bengkulu-selatan", "kabupaten", "Bengkulu"),
        ("kota-medan", "kota", "Sumatera Utara"),
    ]
    assert seed.seats["kabupaten-bengkulu-selatan"] == "Manna"


def test_every_nip_is_valid_agrees_with_the_person_and_is_unique(seed):
    people = [e for employees in seed.employees.values() for e in employees]
    assert len(people) == 5 * 600
    for person in people:
        parsed = parse_nip(person.nip, birth_date=person.birth_date, gender=person.gender,
                           today=seed.reference_date)  # fmt: skip
        assert date(*parsed.cpns_start, 1) <= person.position_since <= seed.reference_date
    assert len({p.nip for p in people}) == len(people)


def test_kota_sorong_has_the_units_the_sample_export_expects(seed, sorong_units):
    names = {unit.name for unit in seed.units["kota-sorong"]}
    assert sorong_units <= names


def test_positions_named_in_the_sample_export_exist_under_their_unit(
    seed, sample_export, sorong_units
):
    codes = {p.code for p in seed.positions["kota-sorong"]}
    unit_code = {u.name: u.code for u in seed.units["kota-sorong"]}
    imported = parse_employee_csv(sample_export, known_units=sorong_units,
                                  today=date(2026, 11, 23))  # fmt: skip
    missing = {
        row.position_name for row in imported.rows
        if position_code_for(unit_code[row.unit_name], row.position_name) not in codes
    }  # fmt: skip
    assert missing == {"Kepala Seksi; Pelayanan Umum"}  # created on import


def test_headcounts_match_the_people_and_units_are_over_and_under_staffed(seed):
    for slug, positions in seed.positions.items():
        held = Counter(e.position_code for e in seed.employees[slug])
        assert {p.code: p.filled for p in positions if p.filled} == dict(held)
        by_unit = Counter()
        for p in positions:
            by_unit[p.unit_code] += p.filled - p.needed
        assert min(by_unit.values()) < 0 < max(by_unit.values()), slug
        assert any(p.is_vacant for p in positions)


def test_some_people_are_due_for_rotation_and_a_few_are_under_sanction(seed):
    people = [e for employees in seed.employees.values() for e in employees]
    due = sum(rotation_due(e, seed.reference_date) for e in people)
    sanctioned = sum(bool(e.active_sanctions(seed.reference_date)) for e in people)
    assert 0.2 * len(people) < due < 0.6 * len(people)
    assert 0 < sanctioned < 0.06 * len(people)


def test_every_employee_has_one_current_holding_of_their_position(seed):
    for slug, employees in seed.employees.items():
        current = {h.nip: h for h in seed.holdings[slug] if h.end is None}
        assert {e.nip: (e.position_code, e.position_since) for e in employees} == {
            nip: (h.position_code, h.start) for nip, h in current.items()
        }
        assert all(h.end >= h.start for h in seed.holdings[slug] if h.end)


def _demo_context(seed, nip, **overrides):
    slug = seed.demo.tenant_slug
    employee = next(e for e in seed.employees[slug] if e.nip == nip)
    target = next(p for p in seed.positions[slug] if p.code == seed.demo.target_position_code)
    context = RuleContext(
        employee=employee, target_position=target, target_unit_code=seed.demo.target_unit_code,
        origin_position=None, today=seed.reference_date, kind=TransferKind.WITHIN_GOVERNMENT,
        proposer=Proposer(id="demo", role="supervisor", nip=seed.demo.supervisor_nip),
        tenants=(seed.tenant(slug),),
        attached_documents=frozenset({"proposal_letter", "skp_two_years", "last_decree"}),
    )  # fmt: skip
    return replace(context, **overrides)


def test_demo_eligible_employee_passes_every_rule_for_the_vacant_target(seed):
    report = evaluate(_demo_context(seed, seed.demo.eligible_nip))
    assert [r.code for r in report.results if not r.passed] == []
    # Profile matching (R5): one competency a level above the standard weighs 4.5, not 5.
    assert report.match_score == 97.5


def test_demo_sanctioned_and_long_serving_people_show_r4_and_r3(seed):
    assert not evaluate(_demo_context(seed, seed.demo.sanctioned_nip)).result("R4").passed
    r3 = evaluate(_demo_context(seed, seed.demo.due_for_rotation_nip)).result("R3")
    assert r3.details["due_for_rotation"]


def test_bengkulu_selatan_is_in_the_political_freeze_at_the_reference_date(seed):
    context = _demo_context(seed, seed.demo.eligible_nip,
                            tenants=(seed.tenant("kabupaten-bengkulu-selatan"),))  # fmt: skip
    assert not evaluate(context).result("R9").passed
