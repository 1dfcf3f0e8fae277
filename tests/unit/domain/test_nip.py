"""An officer types or imports a NIP: valid ones are understood, every mistake has its code."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mutasi.domain.nip import Nip, NipInvalid, is_valid_nip, parse_gender, parse_nip


def test_a_valid_nip_reveals_birth_date_cpns_start_gender_and_sequence():
    nip = parse_nip("197803132000021001")
    assert nip == Nip("197803132000021001", date(1978, 3, 13), (2000, 2), "L", 1)


def test_a_nip_printed_in_bkn_groups_is_accepted_in_canonical_form():
    assert parse_nip("19780313 200002 2 014").value == "197803132000022014"
    assert parse_nip("19780313 200002 2 014").gender == "P"


def test_agreement_with_birth_date_and_gender_is_accepted():
    nip = parse_nip("198102082004092001", birth_date=date(1981, 2, 8), gender="Perempuan")
    assert nip.gender == "P"


@pytest.mark.parametrize(
    ("raw", "kwargs", "code"),
    [
        ("19780313200002100", {}, "nip.length"),
        ("1978031320000210011", {}, "nip.length"),
        ("", {}, "nip.length"),
        ("19A503122010011001", {}, "nip.not_digits"),
        ("１９７８０３１３２０００02１001", {}, "nip.not_digits"),  # full-width digits
        ("198502302004092009", {}, "nip.birth_date_invalid"),  # 30 February
        ("189912312000021001", {}, "nip.birth_date_invalid"),
        ("199001012010131001", {}, "nip.cpns_start_invalid"),  # month 13
        ("199001012007121001", {}, "nip.cpns_start_invalid"),  # aged 17
        ("196904021999033001", {}, "nip.gender_invalid"),
        ("196904021999030001", {}, "nip.gender_invalid"),
        ("198610212011061009", {"birth_date": date(1970, 1, 1)}, "nip.birth_date_mismatch"),
        ("198610212011061009", {"gender": "P"}, "nip.gender_mismatch"),
    ],
)
def test_each_kind_of_mistake_has_its_own_stable_code(raw, kwargs, code):
    with pytest.raises(NipInvalid) as caught:
        parse_nip(raw, **kwargs)
    assert caught.value.code == code
    assert caught.value.message_id and caught.value.message_en


def test_clock_dependent_checks_run_only_when_today_is_given():
    future_cpns = "200001012026121001"  # CPNS December 2026
    assert parse_nip(future_cpns).cpns_start == (2026, 12)
    with pytest.raises(NipInvalid) as caught:
        parse_nip(future_cpns, today=date(2026, 11, 23))
    assert caught.value.code == "nip.cpns_start_invalid"


def test_cpns_start_in_the_month_of_the_18th_birthday_is_accepted():
    assert parse_nip("200003152018031001").cpns_start == (2018, 3)
    assert not is_valid_nip("200003152018021001")


def test_messages_are_in_indonesian_with_an_english_twin():
    with pytest.raises(NipInvalid) as caught:
        parse_nip("19780313200002100")
    assert "NIP harus 18 digit" in caught.value.message_id
    assert "18 digits" in caught.value.message_en


@pytest.mark.parametrize(
    ("text", "gender"),
    [("L", "L"), (" laki-laki ", "L"), ("Pria", "L"), ("p", "P"), ("Wanita", "P")],
)
def test_gender_spellings(text, gender):
    assert parse_gender(text) == gender


@st.composite
def valid_nips(draw):
    born = draw(st.dates(min_value=date(1950, 1, 1), max_value=date(2005, 12, 31)))
    year = draw(st.integers(min_value=born.year + 18, max_value=2030))
    month = draw(st.integers(min_value=born.month if year == born.year + 18 else 1, max_value=12))
    gender = draw(st.sampled_from("12"))
    sequence = draw(st.integers(min_value=0, max_value=999))
    return f"{born:%Y%m%d}{year:04d}{month:02d}{gender}{sequence:03d}", born, gender


@given(valid_nips())
def test_any_well_formed_nip_parses_back_to_its_parts(case):
    raw, born, gender_digit = case
    nip = parse_nip(raw, birth_date=born, gender="L" if gender_digit == "1" else "P")
    assert nip.value == raw
    assert nip.birth_date == born
    assert nip.gender == {"1": "L", "2": "P"}[gender_digit]
    assert nip.sequence == int(raw[15:])


@given(valid_nips(), st.sampled_from("03456789"))
def test_any_corruption_of_the_gender_digit_is_refused(case, digit):
    raw = case[0]
    corrupted = raw[:14] + digit + raw[15:]
    with pytest.raises(NipInvalid) as caught:
        parse_nip(corrupted)
    assert caught.value.code == "nip.gender_invalid"
