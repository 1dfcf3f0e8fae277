"""R1–R10: what an officer sees when the system checks a proposal before any human does."""

from dataclasses import replace
from datetime import date

import pytest

from mutasi.domain.model import (
    INTER_GOVERNMENT_DOCUMENTS,
    Employee,
    Position,
    Sanction,
    Tenant,
    TransferKind,
)
from mutasi.domain.rules import Proposer, RuleContext, Severity, evaluate, panel_member_conflict

TODAY = date(2026, 11, 23)
WITHIN_DOCS = frozenset({"proposal_letter", "skp_two_years", "last_decree"})


def employee(**overrides) -> Employee:
    data = dict(
        nip="198210152009052001",
        name="Siti Rahmawati",
        birth_date=date(1982, 10, 15),
        gender="P",
        grade="III/b",
        position_code="disdik.analis-kurikulum",
        unit_code="disdik",
        position_since=date(2022, 1, 10),
        education_level="S1",
        education_field="Pendidikan Matematika",
        competencies={"Perencanaan": 4, "Analisis Data": 3},
        performance={2024: "good", 2025: "very_good"},
    )
    return Employee(**(data | overrides))


def target(**overrides) -> Position:
    data = dict(
        code="bkpsdm.analis-sdm",
        name="Analis SDM Aparatur",
        unit_code="bkpsdm",
        kind="fungsional",
        required_education_level="S1",
        required_education_fields=("Pendidikan", "Manajemen"),
        required_competencies={"Perencanaan": 3, "Analisis Data": 3},
        needed=2,
        filled=1,
    )
    return Position(**(data | overrides))


def context(**overrides) -> RuleContext:
    base = RuleContext(
        employee=employee(),
        target_position=target(),
        target_unit_code="bkpsdm",
        origin_position=None,
        proposer=Proposer(id="u-7", role="supervisor", nip="197212282002101001"),
        kind=TransferKind.WITHIN_GOVERNMENT,
        today=TODAY,
        attached_documents=WITHIN_DOCS,
    )
    return replace(base, **overrides)


def result(ctx: RuleContext, code: str):
    return evaluate(ctx).result(code)


def test_a_clean_proposal_passes_every_rule_with_a_high_match_score():
    report = evaluate(context())
    assert [r.code for r in report.results] == [f"R{i}" for i in range(1, 11)]
    assert all(r.passed for r in report.results), [r.message_en for r in report.results]
    assert report.passed_hard and not report.soft_warnings
    # Profile matching: Perencanaan 4 where 3 is required (+1 → 4.5), the rest exact (5):
    # competencies (4.5 + 5) / 2 and education 5, weighted 25:25 → 4.875 × 20.
    assert report.match_score == 97.5
    assert report.to_dict()["hard_failures"] == []


def test_every_rule_has_the_severity_of_the_spec():
    hard = {r.code for r in evaluate(context()).results if r.severity is Severity.HARD}
    assert hard == {"R1", "R4", "R7", "R8", "R9", "R10"}


# R1 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "outcome"),
    [
        ({"target_position": None}, "not_found"),
        ({"target_unit_code": "dinkes"}, "other_unit"),
        ({"target_position": target(filled=2)}, "not_vacant"),
        ({"target_position": target(code="disdik.analis-kurikulum")}, "same_position"),
    ],
)
def test_r1_blocks_a_target_that_is_missing_elsewhere_full_or_already_held(overrides, outcome):
    r1 = result(context(**overrides), "R1")
    assert not r1.passed and r1.details["outcome"] == outcome
    assert not evaluate(context(**overrides)).passed_hard


def test_r1_a_post_of_the_same_code_in_another_government_is_not_the_one_held():
    held = target(code="disdik.analis-kurikulum")
    for kind in (TransferKind.BETWEEN_GOVERNMENTS_SAME_PROVINCE, TransferKind.BETWEEN_PROVINCES):
        r1 = result(context(target_position=held, kind=kind), "R1")
        assert r1.details["outcome"] == "ok", kind


def test_r1_full_position_is_allowed_when_vacated_in_the_same_plan():
    r1 = result(context(target_position=target(filled=2), target_vacated_in_plan=True), "R1")
    assert r1.passed
    assert "tidak lowong" in result(context(target_position=target(filled=2)), "R1").message_id


# R2 / R3 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("since", "passes"),
    [(date(2024, 11, 23), True), (date(2024, 11, 24), False), (date(2020, 1, 1), True)],
)
def test_r2_exactly_two_years_to_the_day_passes(since, passes):
    r2 = result(context(employee=employee(position_since=since)), "R2")
    assert r2.passed is passes
    assert r2.severity is Severity.SOFT


def test_r2_leap_day_start_reaches_two_years_on_the_first_of_march():
    leap = employee(position_since=date(2024, 2, 29))
    assert not result(context(employee=leap, today=date(2026, 2, 28)), "R2").passed
    r2 = result(context(employee=leap, today=date(2026, 3, 1)), "R2")
    assert r2.passed and r2.details["eligible_from"] == "2026-03-01"


def test_r2_failure_asks_for_a_written_justification():
    report = evaluate(context(employee=employee(position_since=date(2025, 6, 1))))
    assert report.passed_hard
    assert report.justification_required == ("R2",)
    assert "perlu justifikasi tertulis" in report.result("R2").message_id


@pytest.mark.parametrize(
    ("since", "due"),
    [(date(2021, 11, 23), False), (date(2021, 11, 22), True), (date(2024, 1, 1), False)],
)
def test_r3_flags_more_than_five_years_as_due_for_rotation(since, due):
    report = evaluate(context(employee=employee(position_since=since)))
    r3 = report.result("R3")
    assert r3.details["due_for_rotation"] is due and r3.passed is (not due)
    assert "R3" not in report.justification_required  # informs, never needs a justification


def test_r3_leap_day_start_is_due_only_after_march_first():
    leap = employee(position_since=date(2020, 2, 29))
    assert result(context(employee=leap, today=date(2025, 3, 1)), "R3").passed
    assert not result(context(employee=leap, today=date(2025, 3, 2)), "R3").passed


# R4 ------------------------------------------------------------------------------------------


def _sanctioned(start: date, end: date) -> Employee:
    return employee(sanctions=(Sanction(start=start, end=end, kind="sedang"),))


def test_r4_sanction_ending_today_still_blocks_today():
    r4 = result(context(employee=_sanctioned(date(2026, 5, 23), TODAY)), "R4")
    assert not r4.passed and r4.severity is Severity.HARD
    assert "hukuman disiplin sedang sampai 23-11-2026" in r4.message_id


def test_r4_sanction_that_ended_yesterday_or_starts_tomorrow_does_not_block():
    ended = _sanctioned(date(2026, 1, 1), date(2026, 11, 22))
    future = _sanctioned(date(2026, 11, 24), date(2027, 11, 23))
    assert result(context(employee=ended), "R4").passed
    assert result(context(employee=future), "R4").passed


# R5 ------------------------------------------------------------------------------------------


def test_r5_reports_the_match_score_by_the_documented_formula():
    # Gaps −2 (weight 3) and 0 (weight 5) -> technical 4; level and field met -> education 5;
    # fit = 20 × (25 × 4 + 25 × 5) / 50 = 90 (docs/planning.md).
    weak = employee(competencies={"Perencanaan": 2, "Analisis Data": 3})
    ctx = context(
        employee=weak,
        target_position=target(required_competencies={"Perencanaan": 4, "Analisis Data": 3}),
    )
    report = evaluate(ctx)
    assert report.match_score == pytest.approx(90.0)
    assert report.result("R5").passed
    assert report.result("R5").details["missing_competencies"] == ["Perencanaan"]


def test_r5_fails_when_education_level_is_below_the_requirement():
    r5 = result(context(employee=employee(education_level="D3")), "R5")
    # D3 for S1 is one rank short (weight 4), the field fits (5): education 4.5; the
    # competencies 4.75 → 92.5, yet R5 fails: the required level is not met.
    assert not r5.passed and r5.details["score"] == 92.5
    assert "skor kesesuaian 92.5" in r5.message_id


def test_r5_fails_with_a_low_score_when_field_and_competencies_miss():
    ctx = context(employee=employee(education_field="Kedokteran", competencies={}))
    r5 = result(ctx, "R5")
    # Not assessed: each competency weighs 3 (unknown, not 0); level met 5, field missed 1:
    # 20 × (25 × 3 + 25 × 3) / 50 = 60, below the pass score of 70.
    assert not r5.passed and r5.details["score"] == 60.0
    assert r5.details["not_assessed"] == ["Perencanaan", "Analisis Data"]


# R6 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("performance", "passes"),
    [
        ({2024: "good", 2025: "good"}, True),
        ({2024: "needs_improvement", 2025: "very_good"}, False),
        ({2025: "very_good"}, False),  # 2024 missing
        ({2023: "very_good", 2025: "very_good", 2026: "good"}, False),
    ],
)
def test_r6_needs_at_least_baik_in_each_of_the_last_two_years(performance, passes):
    r6 = result(context(employee=employee(performance=performance)), "R6")
    assert r6.passed is passes


def test_r6_names_the_failing_years_in_indonesian():
    poor = employee(performance={2024: "poor", 2025: "good"})
    r6 = result(context(employee=poor), "R6")
    assert r6.details["failing_years"] == [2024]
    assert "2024: Kurang" in r6.message_id


# R7 ------------------------------------------------------------------------------------------


def test_r7_relative_as_proposer_is_a_conflict():
    relative = Proposer(id="u-9", role="supervisor", nip="197212282002101001", is_relative=True)
    r7 = result(context(proposer=relative), "R7")
    assert not r7.passed and r7.details["outcome"] == "relative"


def test_r7_employee_may_only_propose_themself_as_a_self_application():
    me = Proposer(id="u-1", role="employee", nip="19821015 200905 2 001")
    assert not result(context(proposer=me), "R7").passed
    assert result(context(proposer=me, self_application=True), "R7").passed


def test_r7_self_application_by_someone_else_is_refused():
    r7 = result(context(self_application=True), "R7")
    assert not r7.passed and r7.details["outcome"] == "not_own_application"


def test_panel_member_cannot_vote_on_own_or_relatives_case():
    assert panel_member_conflict("198210152009052001", "198210152009052001")
    assert panel_member_conflict(
        "197212282002101001", "198210152009052001", relatives={"19721228 200210 1 001"}
    )
    assert not panel_member_conflict("197212282002101001", "198210152009052001")
    assert not panel_member_conflict(None, "198210152009052001")


# R8 ------------------------------------------------------------------------------------------


def test_r8_second_open_transfer_is_blocked():
    assert not result(context(open_transfer_exists=True), "R8").passed
    assert result(context(open_transfer_exists=False), "R8").passed


# R9 ------------------------------------------------------------------------------------------


def _tenant(**dates) -> Tenant:
    return Tenant(
        slug="kota-sorong", name="Kota Sorong", kind="kota", province="Papua Barat Daya", **dates
    )


@pytest.mark.parametrize(
    ("dates", "frozen"),
    [
        ({"head_inaugurated_on": date(2026, 5, 24)}, True),  # 6 months less a day
        ({"head_inaugurated_on": date(2026, 5, 23)}, False),  # exactly 6 months
        ({"election_candidate_determination_on": date(2027, 5, 23)}, True),
        ({"election_candidate_determination_on": date(2027, 5, 24)}, False),
        (
            {
                "election_candidate_determination_on": date(2026, 9, 1),
                "head_inaugurated_on": date(2021, 2, 26),
            },
            True,
        ),  # incumbent until a new head
        (
            {
                "election_candidate_determination_on": date(2025, 9, 1),
                "head_inaugurated_on": date(2026, 2, 20),
            },
            False,
        ),  # new head, 9 months on
        ({}, False),
    ],
)
def test_r9_political_freeze_windows(dates, frozen):
    r9 = result(context(tenants=(_tenant(**dates),)), "R9")
    assert r9.passed is (not frozen)


def test_r9_freeze_is_lifted_by_a_recorded_ministerial_consent():
    frozen = (_tenant(head_inaugurated_on=date(2026, 9, 1)),)
    blocked = result(context(tenants=frozen), "R9")
    assert not blocked.passed and "persetujuan tertulis Menteri Dalam Negeri" in blocked.message_id
    allowed = result(context(tenants=frozen, ministerial_consent_document="doc-100.2/123"), "R9")
    assert allowed.passed and allowed.details["consent"] == "doc-100.2/123"


# R10 -----------------------------------------------------------------------------------------


def test_r10_lists_the_missing_documents():
    r10 = result(context(attached_documents=frozenset({"proposal_letter"})), "R10")
    assert not r10.passed
    assert r10.details["missing"] == ["skp_two_years", "last_decree"]
    assert "SK pangkat/jabatan terakhir" in r10.message_id


def test_r10_inter_government_needs_the_national_list_and_tenant_checklist_applies_within():
    inter = context(kind=TransferKind.BETWEEN_PROVINCES)
    assert len(result(inter, "R10").details["missing"]) == 7
    complete = frozenset(d.code for d in INTER_GOVERNMENT_DOCUMENTS)
    assert result(replace(inter, attached_documents=complete), "R10").passed
    own = context(tenant_checklist=("proposal_letter",), attached_documents={"proposal_letter"})
    assert result(own, "R10").passed
