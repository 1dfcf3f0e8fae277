"""docs/planning.md's worked example is what the code computes, number by number."""

import re
from datetime import date
from pathlib import Path

import pytest

from mutasi.domain.competency import STANDARD_COLUMNS
from mutasi.domain.model import Employee, Position
from mutasi.domain.profile_matching import profile_match

DOC = (Path(__file__).resolve().parents[3] / "docs" / "planning.md").read_text()
STANDARD = dict(zip(STANDARD_COLUMNS, [3, 3, 3, 3, 3, 3, 2, 3, 3], strict=True))
LEVELS = dict(zip(STANDARD_COLUMNS, [3, 3, 2, 3, 3, 3, 3, 4, 2], strict=True))
TECHNICAL = {"Tata Kelola Sistem Informasi": 3, "Keamanan Informasi": 3}


def table(name: str) -> list[list[str]]:
    block = re.search(rf"<!-- {name} -->\n(.*?)<!-- /{name} -->", DOC, re.S)
    assert block, f"docs/planning.md has no {name} table"
    rows = [line.strip().strip("|").split("|") for line in block.group(1).splitlines()]
    return [[cell.strip() for cell in row] for row in rows[2:] if row != [""]]


@pytest.fixture(scope="module")
def pair():
    post = Position(
        code="diskominfo.pranata-komputer-ahli-muda", name="Pranata Komputer Ahli Muda",
        unit_code="diskominfo", kind="fungsional", required_education_level="S1",
        required_education_fields=("Teknik Informatika",),
        required_competencies=STANDARD | TECHNICAL, needed=3, filled=3,
    )  # fmt: skip
    taufik = Employee(
        nip="198603242009031001", name="Taufik Hidayat", birth_date=date(1986, 3, 24),
        gender="L", grade="III/d", position_code="dinkes.perawat-ahli-muda",
        unit_code="dinkes", position_since=date(2018, 11, 18), education_level="S1",
        education_field="Teknik Informatika", competencies=LEVELS | TECHNICAL,
        performance={2024: "needs_improvement", 2025: "needs_improvement"},
        home_city="Kota Jambi",
    )  # fmt: skip
    return taufik, post


def match(pair, **options):
    taufik, post = pair
    return profile_match(
        taufik, post, today=date(2026, 12, 1), city="Kota Jambi", distance_km=0, **options
    )


@pytest.fixture(scope="module")
def example(pair):
    return match(pair)


def test_a_match_without_explanation_scores_the_same(pair, example):
    """What the vacancy list asks for: the same numbers, only no points per criterion."""
    bare = match(pair, explain=False)
    assert (bare.score, bare.fit, bare.base_score) == (example.score, example.fit,
                                                       example.base_score)  # fmt: skip
    assert (bare.level_met, bare.field_met, bare.passed()) == (
        example.level_met, example.field_met, example.passed())  # fmt: skip
    assert bare.missing_competencies == example.missing_competencies
    assert bare.not_assessed == example.not_assessed
    assert [c.weight for c in bare.criteria] == [c.weight for c in example.criteria]
    assert {c.contribution for c in bare.criteria} == {0.0}


def test_every_criterion_in_the_document_is_what_the_code_computes(example):
    documented = table("worked-example:criteria")
    computed = [
        [c.aspect, c.name, "core" if c.core else "secondary", c.required or "–", c.actual or "–",
         "–" if c.gap is None else str(c.gap), f"{c.weight:.1f}", f"{c.contribution:.2f}"]
        for c in example.criteria
    ]  # fmt: skip
    assert documented == computed


def test_the_documented_totals_are_recomputed(example):
    totals = {name: float(value) for name, value in table("worked-example:totals")}
    assert totals["score before penalties"] == pytest.approx(example.base_score, abs=0.005)
    assert totals["R6 penalty"] == -sum(p.points for p in example.penalties if p.rule == "R6")
    assert totals["score"] == pytest.approx(example.score, abs=0.005)
    assert totals["fit (R5)"] == pytest.approx(example.fit, abs=0.005)
    assert sum(c.contribution for c in example.criteria) == pytest.approx(example.base_score)
