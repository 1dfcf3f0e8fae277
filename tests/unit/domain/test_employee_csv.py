"""A BKPSDM officer uploads the SIMPEG export and sees exactly what was taken and refused."""

from datetime import date

import pytest

from mutasi.domain.csv_format import MAX_CSV_BYTES
from mutasi.domain.employee_csv import (
    Conflict,
    CsvInvalid,
    Duplicate,
    Superseded,
    parse_employee_csv,
)
from mutasi.domain.performance import Performance

TODAY = date(2026, 11, 23)
HEADER = (
    "NIP;Nama;Tanggal Lahir;Jenis Kelamin;Gol/Ruang;Jabatan;Unit Kerja;TMT Jabatan;"
    "Pendidikan Terakhir;Jurusan;SKP 2024;SKP 2025;Hukuman Disiplin;Domisili"
)
ROW = (
    "197803132000021001;Yohanes Kambu;13-03-1978;L;IV/b;Analis Keuangan;Dinas Kesehatan;"
    "17-04-2021;S1;Akuntansi;Sangat Baik;Baik;;Kota Sorong"
)


def parse(text: str, *, encoding: str = "utf-8", units=frozenset({"Dinas Kesehatan"})):
    return parse_employee_csv(text.encode(encoding), known_units=set(units), today=TODAY)


@pytest.fixture(scope="module")
def sample(sample_export, sorong_units):
    return parse_employee_csv(sample_export, known_units=sorong_units, today=TODAY)


def test_sample_export_gives_the_outcome_the_readme_promises(sample):
    assert len(sample.rows) == 33
    assert sample.duplicates == [Duplicate(line=45, first_line=15)]
    assert sample.conflicts == [Conflict(line=46, first_line=16, nip="199508152022082001")]
    assert sample.refused_lines == list(range(32, 42))


def test_each_refused_sample_row_names_its_line_column_and_reason(sample):
    first_reason = {}
    for error in sample.errors:
        first_reason.setdefault(error.line, (error.column, error.code))
    assert first_reason == {
        32: ("NIP", "nip.length"),
        33: ("NIP", "nip.birth_date_invalid"),
        34: ("NIP", "nip.gender_invalid"),
        35: ("Tanggal Lahir", "nip.birth_date_mismatch"),
        36: ("TMT Jabatan", "date.invalid"),
        37: ("Unit Kerja", "unit.unknown"),
        38: ("Gol/Ruang", "grade.invalid"),
        39: ("SKP 2025", "performance.invalid"),
        40: ("Nama", "value.missing"),
        41: ("NIP", "nip.not_digits"),
    }
    assert all(e.message_id and e.message_en for e in sample.errors)


def test_sample_variations_are_read_correctly(sample):
    by_line = {row.line: row for row in sample.rows}
    assert by_line[42].performance[2024] is Performance.VERY_GOOD  # "  sangat baik "
    assert by_line[43].position_name == "Kepala Seksi; Pelayanan Umum"
    assert by_line[44].position_since == date(2021, 7, 1)  # ISO date
    assert by_line[2].unit_name == "Badan Pengelolaan Keuangan dan Aset Daerah"
    assert by_line[2].grade == "IV/b" and by_line[2].home_city == "Kabupaten Sorong Selatan"


def test_same_person_with_a_later_tmt_is_a_newer_record_not_a_conflict(sample):
    # Line 44 repeats the NIP of line 14 with a married name and a later TMT Jabatan.
    assert sample.superseded == [Superseded(line=44, earlier_line=14, nip="198807022013022001")]
    latest = {row.nip: row for row in sample.latest_rows}
    assert len(sample.latest_rows) == len(latest) == 32
    assert latest["198807022013022001"].name == "Lamria Simanjuntak"


def test_importing_the_same_file_again_gives_the_same_result(sample, sample_export, sorong_units):
    again = parse_employee_csv(sample_export, known_units=sorong_units, today=TODAY)
    assert again == sample


def test_comma_separated_with_iso_dates_and_english_headers():
    text = (
        "nip,name,birth date,gender,grade,position,unit,position since,education,major,"
        "performance 2025\n"
        '197803132000021001,"Kambu, Yohanes",1978-03-13,M,iii-a,Analis,dinas  kesehatan,'
        "2021-04-17,s-1,Akuntansi,baik\n"
    )
    result = parse(text)
    assert result.delimiter == "," and not result.errors
    row = result.rows[0]
    assert row.name == "Kambu, Yohanes" and row.grade == "III/a"
    assert row.unit_name == "Dinas Kesehatan" and row.position_since == date(2021, 4, 17)
    assert row.performance == {2025: Performance.GOOD}


def test_excel_windows_1252_export_keeps_accented_names():
    result = parse(
        f"{HEADER}\r\n{ROW.replace('Yohanes Kambu', 'José Kambu')}\r\n", encoding="cp1252"
    )
    assert result.encoding == "cp1252"
    assert result.rows[0].name == "José Kambu"


def test_missing_required_column_refuses_the_file_naming_the_columns():
    header = HEADER.replace("Gol/Ruang;", "").replace("Unit Kerja;", "")
    with pytest.raises(CsvInvalid) as caught:
        parse(f"{header}\n")
    assert caught.value.code == "csv.missing_columns"
    assert caught.value.message_id == "Kolom wajib tidak ditemukan: Gol/Ruang, Unit Kerja"


def test_empty_and_oversized_files_are_refused():
    with pytest.raises(CsvInvalid) as empty:
        parse("\r\n\r\n")
    assert empty.value.code == "csv.empty"
    with pytest.raises(CsvInvalid) as big:
        parse_employee_csv(b"x" * (MAX_CSV_BYTES + 1), known_units=set(), today=TODAY)
    assert big.value.code == "csv.too_large"


def test_line_numbers_count_physical_lines_even_with_a_quoted_line_break():
    broken = ROW.replace("Analis Keuangan", '"Analis\nKeuangan"')
    result = parse(f"{HEADER}\n\n{broken}\n{ROW.replace('IV/b', 'IV/x')}\n")
    assert result.rows[0].line == 3
    assert result.refused_lines == [5]


def test_row_with_too_few_columns_is_refused_once():
    result = parse(f"{HEADER}\n197803132000021001;Yohanes Kambu;13-03-1978\n")
    assert [(e.line, e.code) for e in result.errors] == [(2, "row.columns")]


def test_birth_date_and_gender_default_to_the_nip_and_sanctions_are_read():
    row = ROW.replace(";13-03-1978;L;", ";;;").replace(
        ";;Kota", ";sedang 01-06-2026 s.d. 30-11-2026;Kota"
    )
    result = parse(f"{HEADER}\n{row}\n")
    employee = result.rows[0].to_employee("dinkes")
    assert employee.birth_date == date(1978, 3, 13) and employee.gender == "L"
    assert employee.active_sanctions(TODAY)[0].kind.value == "sedang"
    assert employee.position_code == "dinkes.analis-keuangan"


def test_future_tmt_and_unreadable_sanction_are_refused_with_reasons():
    row = ROW.replace("17-04-2021", "01-01-2027").replace(";;Kota", ";berat selamanya;Kota")
    codes = {(e.column, e.code) for e in parse(f"{HEADER}\n{row}\n").errors}
    assert codes == {("TMT Jabatan", "date.future"), ("Hukuman Disiplin", "sanction.invalid")}


def test_unknown_columns_are_ignored_and_reported():
    result = parse(f"{HEADER};Catatan\n{ROW};pindahan\n")
    assert result.ignored_columns == ("Catatan",) and len(result.rows) == 1
