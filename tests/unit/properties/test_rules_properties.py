"""Rules R1–R10 for any proposal: every rule answers, in both languages, with the SPEC's
severity; the hard rules block exactly when their condition holds."""

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from mutasi.domain.model import (
    Employee,
    Position,
    Sanction,
    Tenant,
    TransferKind,
    required_documents,
)
from mutasi.domain.rules import Proposer, RuleContext, Severity, evaluate

TODAY = date(2026, 11, 23)
CODES = [f"R{k}" for k in range(1, 11)]
HARD = {"R1", "R4", "R7", "R8", "R9", "R10"}
UNITS = ("disdik", "dinkes", "bkpsdm", "bpkad")
FIELDS = ("Pendidikan", "Manajemen", "Akuntansi", "Kesehatan Masyarakat")
COMPETENCIES = ("Perencanaan", "Analisis Data", "Pelayanan Publik")
DOCUMENTS = tuple(d.code for kind in TransferKind for d in required_documents(kind))
PREDICATES = ("very_good", "good", "needs_improvement", "poor", "very_poor")
days = st.dates(min_value=date(2015, 1, 1), max_value=date(2027, 12, 31))


@st.composite
def sanctions(draw: st.DrawFn) -> Sanction:
    start = draw(days)
    end = start + timedelta(days=draw(st.integers(min_value=0, max_value=900)))
    return Sanction(start=start, end=end, kind=draw(st.sampled_from(["ringan", "sedang", "berat"])))


@st.composite
def employees(draw: st.DrawFn) -> Employee:
    born = draw(st.dates(min_value=date(1965, 1, 1), max_value=date(1998, 12, 31)))
    gender = draw(st.sampled_from("LP"))
    nip = f"{born:%Y%m%d}{born.year + 22}{born.month:02d}{'1' if gender == 'L' else '2'}001"
    unit = draw(st.sampled_from(UNITS))
    return Employee(
        nip=nip,
        name="Pegawai Uji",
        birth_date=born,
        gender=gender,
        grade="III/b",
        position_code=f"{unit}.staf",
        unit_code=unit,
        position_since=draw(st.dates(min_value=date(2015, 1, 1), max_value=TODAY)),
        education_level=draw(st.sampled_from(["SMA", "D3", "S1", "S2"])),
        education_field=draw(st.sampled_from(FIELDS)),
        competencies=draw(
            st.dictionaries(st.sampled_from(COMPETENCIES), st.integers(min_value=0, max_value=5))
        ),
        performance=draw(
            st.dictionaries(st.sampled_from([2024, 2025]), st.sampled_from(PREDICATES))
        ),
        sanctions=tuple(draw(st.lists(sanctions(), max_size=2))),
    )


@st.composite
def positions(draw: st.DrawFn) -> Position:
    unit = draw(st.sampled_from(UNITS))
    return Position(
        code=f"{unit}.analis",
        name="Analis",
        unit_code=unit,
        kind="fungsional",
        required_education_level=draw(st.sampled_from(["D3", "S1", "S2"])),
        required_education_fields=tuple(draw(st.lists(st.sampled_from(FIELDS), max_size=2))),
        required_competencies=draw(
            st.dictionaries(st.sampled_from(COMPETENCIES), st.integers(min_value=1, max_value=5))
        ),
        needed=draw(st.integers(min_value=0, max_value=4)),
        filled=draw(st.integers(min_value=0, max_value=4)),
    )


@st.composite
def tenants(draw: st.DrawFn) -> Tenant:
    return Tenant(
        slug="kota-uji",
        name="Kota Uji",
        kind="kota",
        province="Papua Barat Daya",
        head_inaugurated_on=draw(st.none() | days),
        election_candidate_determination_on=draw(st.none() | days),
    )


@st.composite
def contexts(draw: st.DrawFn) -> RuleContext:
    target = draw(st.none() | positions())
    return RuleContext(
        employee=draw(employees()),
        target_position=target,
        target_unit_code=target.unit_code if target and draw(st.booleans()) else "bpkad",
        origin_position=None,
        proposer=Proposer(
            id="u-1",
            role=draw(st.sampled_from(["supervisor", "hr_officer"])),
            is_relative=draw(st.booleans()),
        ),
        kind=draw(st.sampled_from(TransferKind)),
        today=TODAY,
        open_transfer_exists=draw(st.booleans()),
        target_vacated_in_plan=draw(st.booleans()),
        tenants=tuple(draw(st.lists(tenants(), max_size=2))),
        ministerial_consent_document=draw(st.none() | st.just("100.2.2.6/123/OTDA")),
        attached_documents=frozenset(draw(st.lists(st.sampled_from(DOCUMENTS)))),
    )


@given(contexts())
def test_every_rule_answers_once_in_order_with_the_specs_severity_in_both_languages(ctx):
    report = evaluate(ctx)
    assert [r.code for r in report.results] == CODES
    for result in report.results:
        assert result.severity is (Severity.HARD if result.code in HARD else Severity.SOFT)
        assert result.message_id and result.message_en
        assert "{" not in result.message_id + result.message_en  # no unfilled placeholder
    assert 0 <= report.match_score <= 100


@given(contexts())
def test_the_proposal_is_blocked_exactly_when_a_hard_rule_fails(ctx):
    report = evaluate(ctx)
    failed_hard = {r.code for r in report.results if r.code in HARD and not r.passed}
    assert report.passed_hard == (not failed_hard)
    assert {r.code for r in report.hard_failures} == failed_hard
    assert not set(report.justification_required) & HARD  # hard rules cannot be argued away


@given(contexts())
def test_r4_blocks_exactly_when_a_sanction_is_in_force_today(ctx):
    in_force = any(s.start <= TODAY <= s.end for s in ctx.employee.sanctions)
    assert evaluate(ctx).result("R4").passed is not in_force


@given(contexts())
def test_r8_blocks_exactly_when_another_transfer_is_open(ctx):
    assert evaluate(ctx).result("R8").passed is not ctx.open_transfer_exists


@given(contexts())
def test_r1_blocks_a_missing_target(ctx):
    if ctx.target_position is None:
        assert not evaluate(ctx).result("R1").passed


@given(contexts(), st.lists(st.sampled_from(DOCUMENTS)))
def test_r10_passes_exactly_when_every_required_document_is_attached(ctx, more):
    required = {d.code for d in required_documents(ctx.kind)}
    assert evaluate(ctx).result("R10").passed == required.issubset(ctx.attached_documents)
    richer = replace(ctx, attached_documents=ctx.attached_documents | set(more))
    if evaluate(ctx).result("R10").passed:  # attaching more never un-passes the rule
        assert evaluate(richer).result("R10").passed


@given(contexts())
def test_r9_freeze_is_lifted_by_a_recorded_consent(ctx):
    consented = evaluate(replace(ctx, ministerial_consent_document="100.2.2.6/1/OTDA"))
    assert consented.result("R9").passed
