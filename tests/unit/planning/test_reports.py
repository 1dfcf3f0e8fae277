"""Reports open in Excel as tables BKPSDM can read, never run a formula, and print as PDF."""

import io

from openpyxl import load_workbook

from mutasi.reports.model import Report, Table
from mutasi.reports.pdf import render_pdf
from mutasi.reports.xlsx import render_xlsx
from tests.unit.documents.pdf_text import shown_text

REPORT = Report(
    title="Rekapitulasi Mutasi Pegawai",
    subtitle="provinsi-jambi, 01-01-2026 s.d. 29-11-2026: 2 usulan",
    text=["Ruang lingkup: seluruh unit kerja"],
    tables=[
        Table("Menurut status", ["Status", "Jumlah"], [["Selesai", 1], ["Ditolak", 1]]),
        Table("Daftar usulan", ["NIP", "Nama"],
              [["198603242009031001", "=HYPERLINK(\"http://x\")"], ["197303082001021001", "Yusuf"]],
              note="Catatan kaki"),
    ],
)  # fmt: skip


def test_each_table_is_a_sheet_with_its_header_and_rows():
    book = load_workbook(io.BytesIO(render_xlsx(REPORT)))
    assert book.sheetnames == ["Ringkasan", "Menurut status", "Daftar usulan"]
    assert book["Ringkasan"]["A1"].value == "Rekapitulasi Mutasi Pegawai"
    status = [[c.value for c in row] for row in book["Menurut status"].iter_rows()]
    assert status == [["Status", "Jumlah"], ["Selesai", 1], ["Ditolak", 1]]


def test_a_name_that_looks_like_a_formula_stays_text():
    sheet = load_workbook(io.BytesIO(render_xlsx(REPORT)))["Daftar usulan"]
    cell = sheet["B2"]
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s"


def test_the_pdf_carries_the_title_and_every_row():
    text = shown_text(render_pdf(REPORT))
    for expected in ("Rekapitulasi Mutasi Pegawai", "Menurut status", "198603242009031001",
                     "Yusuf", "Catatan kaki"):  # fmt: skip
        assert expected in text, expected
