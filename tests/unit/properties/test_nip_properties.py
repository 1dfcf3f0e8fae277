"""NIP validation for any input an import file or a form may carry: it either yields the
number's parts or a refusal with a stable code and a message in both languages — nothing else."""

from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from mutasi.domain.nip import NipInvalid, is_valid_nip, parse_nip

CODES = {
    "nip.not_digits",
    "nip.length",
    "nip.birth_date_invalid",
    "nip.cpns_start_invalid",
    "nip.gender_invalid",
    "nip.birth_date_mismatch",
    "nip.gender_mismatch",
}


@st.composite
def valid_nips(draw: st.DrawFn) -> tuple[str, date, str]:
    born = draw(st.dates(min_value=date(1940, 1, 1), max_value=date(2007, 12, 31)))
    year = draw(st.integers(min_value=born.year + 18, max_value=2030))
    month = draw(st.integers(min_value=born.month if year == born.year + 18 else 1, max_value=12))
    gender = draw(st.sampled_from("LP"))
    sequence = draw(st.integers(min_value=0, max_value=999))
    digit = {"L": "1", "P": "2"}[gender]
    return f"{born:%Y%m%d}{year:04d}{month:02d}{digit}{sequence:03d}", born, gender


def digit_strings(size: int = 18) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=size, max_size=size)


@given(st.one_of(st.text(max_size=30), digit_strings(), digit_strings(17), digit_strings(19)))
def test_any_text_is_either_a_nip_or_refused_with_a_stable_code(text):
    try:
        nip = parse_nip(text)
    except NipInvalid as refusal:
        assert refusal.code in CODES
        assert refusal.message_id and refusal.message_en
        assert refusal.message_id != refusal.message_en  # Indonesian and English, not one
        assert not is_valid_nip(text)
    else:
        assert len(nip.value) == 18 and nip.value.isdigit()
        assert is_valid_nip(text)


@given(valid_nips(), st.lists(st.sampled_from([" ", "  ", "\t", "\n"]), min_size=4, max_size=4))
def test_a_nip_with_any_whitespace_between_its_groups_is_the_same_nip(case, gaps):
    raw = case[0]
    groups = (raw[:8], raw[8:14], raw[14], raw[15:])
    printed = gaps[0] + "".join(g + s for g, s in zip(groups, gaps[1:] + [""], strict=True))
    assert parse_nip(printed).value == raw


@given(valid_nips(), st.dates(min_value=date(1940, 1, 1), max_value=date(2007, 12, 31)))
def test_a_birth_date_other_than_the_nips_is_refused_as_a_mismatch(case, other):
    raw, born, _ = case
    assume(other != born)
    with pytest.raises(NipInvalid) as caught:
        parse_nip(raw, birth_date=other)
    assert caught.value.code == "nip.birth_date_mismatch"


@given(valid_nips())
def test_the_other_gender_is_refused_and_the_own_accepted_in_any_spelling(case):
    raw, born, gender = case
    spelling = {"L": "Laki-laki", "P": "Perempuan"}[gender]
    assert parse_nip(raw, birth_date=born, gender=spelling).gender == gender
    with pytest.raises(NipInvalid) as caught:
        parse_nip(raw, gender="P" if gender == "L" else "L")
    assert caught.value.code == "nip.gender_mismatch"


@given(valid_nips(), st.integers(min_value=1, max_value=18 * 12))
def test_a_cpns_start_before_the_18th_birthday_month_is_refused(case, months_early):
    raw, born, _ = case
    index = (born.year + 18) * 12 + born.month - 1 - months_early
    year, month = divmod(index, 12)
    early = f"{raw[:8]}{year:04d}{month + 1:02d}{raw[14:]}"
    with pytest.raises(NipInvalid) as caught:
        parse_nip(early)
    assert caught.value.code == "nip.cpns_start_invalid"


@given(valid_nips(), st.dates(min_value=date(1940, 1, 1), max_value=date(2040, 12, 31)))
def test_with_a_clock_nothing_in_the_future_is_accepted(case, today):
    raw, born, _ = case
    cpns = (int(raw[8:12]), int(raw[12:14]))
    if born > today or cpns > (today.year, today.month):
        with pytest.raises(NipInvalid) as caught:
            parse_nip(raw, today=today)
        assert caught.value.code in {"nip.birth_date_invalid", "nip.cpns_start_invalid"}
    else:
        assert parse_nip(raw, today=today).birth_date == born


@given(valid_nips(), st.integers(min_value=0, max_value=7), st.sampled_from("0123456789"))
def test_any_birth_date_digit_change_is_either_another_real_date_or_refused(case, at, digit):
    raw = case[0]
    changed = raw[:at] + digit + raw[at + 1 :]
    try:
        nip = parse_nip(changed)
    except NipInvalid as refusal:
        assert refusal.code in {"nip.birth_date_invalid", "nip.cpns_start_invalid"}
    else:
        assert nip.birth_date == date(int(changed[:4]), int(changed[4:6]), int(changed[6:8]))
