"""Master data invariants, transfer kinds, decree authority and required documents."""

from datetime import date

import pytest
from pydantic import ValidationError

from mutasi.domain.model import (
    INTER_GOVERNMENT_DOCUMENTS,
    Employee,
    Position,
    PositionKind,
    Sanction,
    Tenant,
    TransferKind,
    decree_authority,
    determine_kind,
    required_documents,
)
from mutasi.domain.naming import guess_position_kind, position_code_for
from mutasi.domain.performance import Performance


def _tenant(slug, province, kind="kota"):
    return Tenant(slug=slug, name=slug.replace("-", " ").title(), kind=kind, province=province)


SORONG = _tenant("kota-sorong", "Papua Barat Daya")
PALEMBANG = _tenant("kota-palembang", "Sumatera Selatan")
MEDAN = _tenant("kota-medan", "Sumatera Utara")
DELI_SERDANG = _tenant("kabupaten-deli-serdang", "sumatera  utara", kind="kabupaten")


def _employee(**overrides):
    data = dict(
        nip="197803132000021001",
        name="Yohanes Kambu",
        birth_date=date(1978, 3, 13),
        gender="L",
        grade="iv/b",
        position_code="bpkad.analis-keuangan",
        unit_code="bpkad",
        position_since=date(2021, 4, 17),
        education_level="S1",
        performance={2024: "very_good", 2025: Performance.GOOD},
    )
    return Employee(**(data | overrides))


def test_employee_keeps_canonical_grade_and_gender():
    employee = _employee(gender="laki-laki")
    assert employee.grade == "IV/b"
    assert employee.gender == "L"
    assert employee.performance[2024] is Performance.VERY_GOOD


def test_employee_whose_birth_date_disagrees_with_the_nip_is_refused():
    with pytest.raises(ValidationError, match="disagrees with the NIP"):
        _employee(birth_date=date(1978, 3, 14))


def test_employee_is_immutable():
    with pytest.raises(ValidationError):
        _employee().name = "Other"  # type: ignore[misc]


def test_sanction_ending_today_is_still_active_today():
    sanction = Sanction(start=date(2026, 1, 1), end=date(2026, 6, 30), kind="sedang")
    assert sanction.is_active(date(2026, 6, 30))
    assert not sanction.is_active(date(2026, 7, 1))
    assert not sanction.is_active(date(2025, 12, 31))


def test_position_vacancy_follows_abk_need_and_bezetting():
    position = Position(
        code="p", name="Analis", unit_code="u", kind="pelaksana", needed=3, filled=2
    )
    assert position.is_vacant and position.vacancies == 1
    full = position.model_copy(update={"filled": 4})
    assert not full.is_vacant and full.vacancies == 0


@pytest.mark.parametrize(
    ("origin", "target", "kind", "authority"),
    [
        (SORONG, SORONG, TransferKind.WITHIN_GOVERNMENT, "ppk"),
        (MEDAN, DELI_SERDANG, TransferKind.BETWEEN_GOVERNMENTS_SAME_PROVINCE, "governor"),
        (PALEMBANG, MEDAN, TransferKind.BETWEEN_PROVINCES, "mendagri"),
    ],
)
def test_kind_and_decree_authority_follow_the_two_governments(origin, target, kind, authority):
    assert determine_kind(origin, target) is kind
    assert decree_authority(kind) == authority


def test_inter_government_moves_need_the_nine_documents_of_perban_5_2019():
    codes = [d.code for d in required_documents(TransferKind.BETWEEN_PROVINCES)]
    assert codes == [
        "request_letter",
        "receiving_ppk_proposal",
        "origin_ppk_consent",
        "anjab_abk",
        "no_sanction_statement",
        "last_decree",
        "skp_two_years",
        "no_study_leave_statement",
        "inspectorate_certificate",
    ]
    # A tenant's own checklist cannot shorten the national list.
    same_province = TransferKind.BETWEEN_GOVERNMENTS_SAME_PROVINCE
    assert required_documents(same_province, ["proposal_letter"]) == INTER_GOVERNMENT_DOCUMENTS
    assert all(d.label_id for d in INTER_GOVERNMENT_DOCUMENTS)


def test_within_government_uses_defaults_or_the_tenants_checklist():
    within = TransferKind.WITHIN_GOVERNMENT
    assert [d.code for d in required_documents(within)] == [
        "proposal_letter",
        "skp_two_years",
        "last_decree",
    ]
    own = required_documents(within, ["proposal_letter", "medical_certificate", "proposal_letter"])
    assert [d.code for d in own] == ["proposal_letter", "medical_certificate"]
    assert own[0].label_id == "Surat usul mutasi"


def test_position_codes_are_stable_slugs_under_the_unit():
    assert position_code_for("bkpsdm", "Kepala Seksi; Pelayanan Umum") == (
        "bkpsdm.kepala-seksi-pelayanan-umum"
    )
    assert position_code_for("dinkes", "  dokter  AHLI muda") == "dinkes.dokter-ahli-muda"
    long_name = "Analis " + "Sangat Panjang " * 10
    code = position_code_for("u", long_name)
    assert len(code) <= 2 + 48 + 9 and code == position_code_for("u", long_name)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Dokter Ahli Muda", PositionKind.FUNGSIONAL),
        ("Penguji Kendaraan Bermotor Terampil", PositionKind.FUNGSIONAL),
        ("Guru Ahli Pertama", PositionKind.FUNGSIONAL),
        ("Bendahara", PositionKind.PELAKSANA),
        ("Analis Keuangan", PositionKind.PELAKSANA),
        ("Kepala Seksi Angkutan", PositionKind.PENGAWAS),
        ("Kepala Bidang Pelayanan", PositionKind.ADMINISTRATOR),
        ("Kepala Dinas Kesehatan", PositionKind.JPT),
    ],
)
def test_kind_of_a_position_known_only_by_name(name, kind):
    assert guess_position_kind(name) is kind


@pytest.mark.parametrize("checklist", [None, ["proposal_letter", "skp_two_years"]])
def test_an_employee_applying_brings_their_own_request_letter_not_a_proposal_letter(checklist):
    proposed = [d.code for d in required_documents(TransferKind.WITHIN_GOVERNMENT, checklist)]
    applied = [
        d.code
        for d in required_documents(
            TransferKind.WITHIN_GOVERNMENT, checklist, self_application=True
        )
    ]
    assert "proposal_letter" in proposed and "request_letter" not in proposed
    assert applied == ["request_letter" if c == "proposal_letter" else c for c in proposed]
