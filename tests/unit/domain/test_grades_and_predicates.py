"""Grades, SKP predicates and education levels as officers type them."""

import pytest

from mutasi.domain.education import EducationLevel, parse_education_level
from mutasi.domain.errors import DomainError
from mutasi.domain.grades import ALL_GRADES, Grade, canonical_grade, parse_grade
from mutasi.domain.performance import Performance, parse_performance


@pytest.mark.parametrize("text", ["III/a", "iii / a", "III-a", " III a ", "3/a", "IIIa", "iii/A"])
def test_grade_spellings_become_the_canonical_form(text):
    assert canonical_grade(text) == "III/a"


def test_there_are_exactly_17_grades_from_ia_to_ive_in_order():
    assert len(ALL_GRADES) == 17
    assert str(ALL_GRADES[0]) == "I/a" and str(ALL_GRADES[-1]) == "IV/e"
    assert list(ALL_GRADES) == sorted(ALL_GRADES)
    assert parse_grade("II/d") < parse_grade("III/a") < parse_grade("IV/e")


def test_grade_iii_f_is_refused_with_the_last_room_of_the_group():
    with pytest.raises(DomainError) as caught:
        parse_grade("III/f")
    assert caught.value.code == "grade.invalid"
    assert "III/f tidak ada" in caught.value.message_id
    assert "hanya sampai ruang d" in caught.value.message_id


def test_only_group_iv_has_room_e():
    assert parse_grade("IV/e") == Grade(4, "e")
    with pytest.raises(DomainError):
        parse_grade("II/e")


@pytest.mark.parametrize("text", ["V/a", "III", "golongan tiga", "", "III//a"])
def test_nonsense_grades_are_refused_as_format_errors(text):
    with pytest.raises(DomainError) as caught:
        parse_grade(text)
    assert caught.value.code == "grade.format"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sangat Baik", Performance.VERY_GOOD),
        ("  sangat   BAIK ", Performance.VERY_GOOD),
        ("baik", Performance.GOOD),
        ("Butuh  Perbaikan", Performance.NEEDS_IMPROVEMENT),
        ("KURANG", Performance.POOR),
        ("Sangat Kurang", Performance.VERY_POOR),
        ("needs_improvement", Performance.NEEDS_IMPROVEMENT),
    ],
)
def test_predicates_are_normalised(text, expected):
    assert parse_performance(text) is expected


def test_predicates_are_ordered_by_merit_and_have_codes_and_labels():
    order = [
        Performance.VERY_POOR,
        Performance.POOR,
        Performance.NEEDS_IMPROVEMENT,
        Performance.GOOD,
        Performance.VERY_GOOD,
    ]
    assert sorted(reversed(order)) == order
    assert Performance.VERY_GOOD >= Performance.GOOD > Performance.NEEDS_IMPROVEMENT
    assert [p.value for p in Performance] == [
        "very_good",
        "good",
        "needs_improvement",
        "poor",
        "very_poor",
    ]
    assert Performance.NEEDS_IMPROVEMENT.label == "Butuh Perbaikan"


def test_unknown_predicate_is_refused():
    with pytest.raises(DomainError) as caught:
        parse_performance("Luar Biasa")
    assert caught.value.code == "performance.invalid"
    assert "Luar Biasa" in caught.value.message_id


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("S1", EducationLevel.S1),
        ("D-III", EducationLevel.D3),
        ("SLTA", EducationLevel.SMA),
        ("d iv", EducationLevel.D4),
        ("Magister", EducationLevel.S2),
    ],
)
def test_education_aliases(text, level):
    assert parse_education_level(text) is level


def test_education_levels_are_ordered_and_d4_counts_as_s1():
    assert EducationLevel.SMA < EducationLevel.D3 < EducationLevel.S1 < EducationLevel.S2
    assert EducationLevel.D4.meets(EducationLevel.S1)
    assert EducationLevel.S1.meets(EducationLevel.D4)
    assert not EducationLevel.D3.meets(EducationLevel.S1)
    assert EducationLevel.SD.meets(None)
