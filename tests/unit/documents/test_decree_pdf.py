"""The SK mutasi PDF: Indonesian content, and bytes an auditor can reproduce."""

import hashlib
import os
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from mutasi.documents.decree_content import DecreeAuthority, DecreeContent
from mutasi.documents.decree_pdf import decree_sha256, pdf_text, render_decree_pdf
from tests.unit.documents.pdf_text import shown_text

REPO = Path(__file__).resolve().parents[3]

SORONG = DecreeContent(
    decree_number="800.1.3.3/0042/BKPSDM/2026",
    authority=DecreeAuthority.MAYOR,
    region_name="Sorong",
    province_name="Papua Barat Daya",
    employee_name="Yohana Kambuaya, S.Kep.",
    nip="198703152010012003",
    grade="Penata Muda Tingkat I, III/b",
    origin_position="Perawat Ahli Pertama",
    origin_unit="Rumah Sakit Umum Daerah Kota Sorong",
    target_position="Perawat Ahli Muda",
    target_unit="Puskesmas Klasaman",
    effective_date=date(2026, 12, 1),
    signing_place="Sorong",
    signing_date=date(2026, 11, 20),
    signer_name="Septinus Lobat",
    reasons=("pemerataan tenaga kesehatan pada fasilitas pelayanan kesehatan tingkat pertama",),
)


@pytest.fixture(scope="module")
def sorong_pdf() -> bytes:
    return render_decree_pdf(SORONG)


def test_is_a_pdf(sorong_pdf: bytes) -> None:
    assert sorong_pdf.startswith(b"%PDF-")
    assert sorong_pdf.rstrip().endswith(b"%%EOF")


def test_same_content_gives_the_same_bytes(sorong_pdf: bytes) -> None:
    assert render_decree_pdf(replace(SORONG)) == sorong_pdf


def test_bytes_do_not_depend_on_the_process(sorong_pdf: bytes) -> None:
    # An auditor re-renders in another process, maybe years later: no clock, no hash seed.
    script = (
        "import sys; from tests.unit.documents.test_decree_pdf import SORONG; "
        "from mutasi.documents.decree_pdf import render_decree_pdf, decree_sha256; "
        "sys.stdout.write(decree_sha256(render_decree_pdf(SORONG)))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(REPO)}
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout == decree_sha256(sorong_pdf)


def test_creation_date_is_the_signing_date(sorong_pdf: bytes) -> None:
    assert b"/CreationDate (D:20261120000000Z)" in sorong_pdf


def test_sha256_is_hex_of_the_bytes(sorong_pdf: bytes) -> None:
    assert decree_sha256(sorong_pdf) == hashlib.sha256(sorong_pdf).hexdigest()
    assert decree_sha256(render_decree_pdf(replace(SORONG, nip="198703152010012004"))) != (
        decree_sha256(sorong_pdf)
    )


def test_shows_the_decree_in_indonesian(sorong_pdf: bytes) -> None:
    text = shown_text(sorong_pdf)
    for expected in (
        "WALI KOTA SORONG",
        "PROVINSI PAPUA BARAT DAYA",
        "KEPUTUSAN WALI KOTA SORONG",
        "NOMOR 800.1.3.3/0042/BKPSDM/2026",
        "TENTANG",
        "MUTASI PEGAWAI NEGERI SIPIL",
        "Menimbang",
        "Mengingat",
        "MEMUTUSKAN:",
        "Menetapkan",
        "KESATU",
        "Ditetapkan di Sorong",
        "pada tanggal 20 November 2026",
        "SEPTINUS LOBAT",
    ):
        assert expected in text, expected


def test_names_the_employee_and_both_posts(sorong_pdf: bytes) -> None:
    text = shown_text(sorong_pdf)
    for expected in (
        "Yohana Kambuaya, S.Kep.",
        "198703152010012003",
        "Penata Muda Tingkat I, III/b",
        "Perawat Ahli Pertama",
        "Rumah Sakit Umum Daerah Kota Sorong",
        "Perawat Ahli Muda",
        "Puskesmas Klasaman",
        "1 Desember 2026",
    ):
        assert expected in text, expected


def test_cites_the_transfer_regulations(sorong_pdf: bytes) -> None:
    text = " ".join(shown_text(sorong_pdf).split())
    assert "Peraturan Pemerintah Nomor 11 Tahun 2017" in text
    assert "Peraturan Pemerintah Nomor 17 Tahun 2020" in text
    assert "Peraturan Badan Kepegawaian Negara Nomor 5 Tahun 2019" in text
    assert "pemerataan tenaga kesehatan" in text


@pytest.mark.parametrize(
    ("authority", "region", "place", "title"),
    [
        (DecreeAuthority.REGENT, "Bengkulu Selatan", "Manna", "BUPATI BENGKULU SELATAN,"),
        (DecreeAuthority.GOVERNOR, "Jambi", "Jambi", "GUBERNUR JAMBI,"),
        (DecreeAuthority.HOME_AFFAIRS_MINISTER, "", "Jakarta", "MENTERI DALAM NEGERI"),
    ],
)
def test_signer_title_follows_the_authority(
    authority: DecreeAuthority, region: str, place: str, title: str
) -> None:
    content = replace(
        SORONG, authority=authority, region_name=region, province_name=None, signing_place=place
    )
    text = shown_text(render_decree_pdf(content))
    assert title in text
    assert f"Ditetapkan di {place}" in text
    assert "WALI KOTA" not in text


def test_text_outside_latin1_still_renders() -> None:
    assert pdf_text("Ma\u2019ruf \u201cNguy\u1ec5n\u201d \u2013 Mar\u00eda") == (
        'Ma\'ruf "Nguyen" - Mar\u00eda'
    )
    content = replace(SORONG, employee_name="Ma\u2019ruf Nguy\u1ec5n")
    assert "Ma'ruf Nguyen" in shown_text(render_decree_pdf(content))


def test_incomplete_content_is_refused() -> None:
    with pytest.raises(ValueError, match="employee_name"):
        replace(SORONG, employee_name="  ")


def test_incentives_are_granted_in_a_dictum_of_their_own() -> None:
    earned = (
        "Tunjangan transport Rp 750.000 per bulan",
        "Bantuan perumahan Rp 2.000.000 per bulan",
    )
    text = " ".join(shown_text(render_decree_pdf(replace(SORONG, incentives=earned))).split())
    assert "KETIGA" in text and "fasilitas dan tunjangan" in text
    assert "a. Tunjangan transport Rp 750.000 per bulan; b. Bantuan perumahan" in text
    plain = " ".join(shown_text(render_decree_pdf(SORONG)).split())
    assert "fasilitas dan tunjangan" not in plain  # none earned, no such dictum
