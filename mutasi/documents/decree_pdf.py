"""Render a transfer decree (SK mutasi) as a PDF whose bytes depend only on its content.

The SHA-256 of the PDF is recorded in the log, so an auditor must be able to render the same
decree again and get the same hash: the creation date is derived from the signing date, and
nothing random or clock-dependent goes in. The bytes are stable for a given fpdf2 and zlib
version; a dependency upgrade can change them, which is why the log keeps the hash of the PDF
that was actually issued, not a promise to re-render it forever.
"""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import UTC, datetime, time

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from mutasi.documents import decree_content as wording
from mutasi.documents.decree_content import DecreeAuthority, DecreeContent
from mutasi.domain.id_dates import indonesian_date

PAGE_FORMAT = "A4"
FONT = "Helvetica"  # a core font: no font file to ship, but only latin-1 text
FONT_SIZE = 11
LINE = 5.5
MARGINS = (25.0, 20.0, 20.0)  # left, top, right in mm; binding side wider
BOTTOM_MARGIN = 20.0
LABEL_W = 27.0  # "Menimbang", "Menetapkan", "KEEMPAT"
COLON_W = 4.0
MARK_W = 7.0  # "a.", "1.", "10."
PARTICULAR_W = 50.0  # "Terhitung Mulai Tanggal"
SIGNATURE_BLOCK_H = 50.0

_TYPOGRAPHY = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
     "\u2014": "-", "\u2026": "...", "\u2022": "-"}
)  # fmt: skip


def render_decree_pdf(content: DecreeContent) -> bytes:
    """The decree as PDF bytes, identical for identical content."""
    pdf = _DecreePDF(format=PAGE_FORMAT)
    pdf.set_margins(*MARGINS)
    pdf.set_auto_page_break(True, BOTTOM_MARGIN)
    _metadata(pdf, content)
    pdf.add_page()
    _heading(pdf, content)
    _considerations(pdf, content)
    _legal_bases(pdf, content)
    _noted(pdf, content)
    _decision(pdf, content)
    _signature(pdf, content)
    _copies(pdf, content)
    return bytes(pdf.output())


def decree_sha256(pdf: bytes) -> str:
    """Hex SHA-256 of the PDF, as recorded with the decree_issued event."""
    return hashlib.sha256(pdf).hexdigest()


def pdf_text(text: str) -> str:
    """Text a core font can print: one line, latin-1, accents kept where latin-1 has them.

    Names such as "Ma’ruf" arrive with typographic quotes from word processors; fpdf2 would
    refuse them, and a decree must not fail to render over an apostrophe.
    """
    text = unicodedata.normalize("NFC", " ".join(text.translate(_TYPOGRAPHY).split()))
    return "".join(ch if ord(ch) < 256 else _ascii_fallback(ch) for ch in text)


def _ascii_fallback(ch: str) -> str:
    base = "".join(
        c
        for c in unicodedata.normalize("NFKD", ch)
        if ord(c) < 256 and not unicodedata.combining(c)
    )
    return base or "?"


class _DecreePDF(FPDF):
    def header(self) -> None:
        # Indonesian legal documents number continuation pages at the top: "- 2 -".
        if self.page_no() > 1:
            self.set_font(FONT, size=FONT_SIZE)
            self.cell(
                0, LINE, f"- {self.page_no()} -", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
            self.ln(LINE)


def _metadata(pdf: FPDF, c: DecreeContent) -> None:
    pdf.set_creation_date(datetime.combine(c.signing_date, time(), UTC))
    pdf.set_title(pdf_text(f"{c.decree_kind} Nomor {c.decree_number}"))
    pdf.set_subject("Mutasi Pegawai Negeri Sipil")
    pdf.set_author(pdf_text(c.office))
    pdf.set_creator("Mutasi")
    pdf.set_lang("id")


def _write(pdf: FPDF, width: float, text: str, *, align: str = "J") -> None:
    """A paragraph of `width` mm (0: to the right margin) from the current x; then a new line."""
    pdf.multi_cell(width, LINE, pdf_text(text), align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _centered(pdf: FPDF, text: str, *, bold: bool = False, size: float = FONT_SIZE) -> None:
    pdf.set_font(FONT, "B" if bold else "", size)
    _write(pdf, 0, text, align="C")


def _heading(pdf: FPDF, c: DecreeContent) -> None:
    office = c.office.upper()
    _centered(pdf, office, bold=True, size=13)
    if c.province_name and c.authority in (DecreeAuthority.MAYOR, DecreeAuthority.REGENT):
        _centered(pdf, f"PROVINSI {c.province_name.upper()}", bold=True, size=13)
    pdf.ln(8)
    _centered(pdf, f"KEPUTUSAN {office}", bold=True)
    _centered(pdf, f"NOMOR {c.decree_number}", bold=True)
    pdf.ln(3)
    _centered(pdf, "TENTANG", bold=True)
    pdf.ln(3)
    _centered(pdf, wording.DECREE_SUBJECT, bold=True)
    pdf.ln(6)
    _centered(pdf, "DENGAN RAHMAT TUHAN YANG MAHA ESA", bold=True)
    pdf.ln(3)
    _centered(pdf, f"{office},", bold=True)
    pdf.ln(5)


def _labelled(
    pdf: FPDF, label: str, marker: str, text: str, *, bold_label: bool = False, align: str = "J"
) -> float:
    """One row "Label : marker text", the text justified; returns the text's x position."""
    x0 = pdf.l_margin
    pdf.set_x(x0)
    pdf.set_font(FONT, "B" if bold_label else "", FONT_SIZE)
    pdf.cell(LABEL_W, LINE, label)
    pdf.set_font(FONT, "", FONT_SIZE)
    pdf.cell(COLON_W, LINE, ":" if label else "")
    mark_w = MARK_W if marker else 0.0
    if marker:
        pdf.cell(mark_w, LINE, marker)
    text_x = x0 + LABEL_W + COLON_W + mark_w
    _write(pdf, pdf.w - pdf.r_margin - text_x, text, align=align)
    return text_x


def _sub_item(pdf: FPDF, x: float, marker: str, text: str) -> None:
    pdf.set_x(x)
    pdf.cell(MARK_W, LINE, marker)
    _write(pdf, pdf.w - pdf.r_margin - x - MARK_W, text)


def _considerations(pdf: FPDF, c: DecreeContent) -> None:
    for i, (text, reasons) in enumerate(wording.considerations(c)):
        text_x = _labelled(pdf, "Menimbang" if i == 0 else "", f"{chr(ord('a') + i)}.", text)
        for j, reason in enumerate(reasons, start=1):
            _sub_item(pdf, text_x, f"{j}.", reason)
    pdf.ln(3)


def _legal_bases(pdf: FPDF, c: DecreeContent) -> None:
    for i, basis in enumerate(wording.legal_bases(c), start=1):
        _labelled(pdf, "Mengingat" if i == 1 else "", f"{i}.", basis)
    pdf.ln(3)


def _noted(pdf: FPDF, c: DecreeContent) -> None:
    for i, item in enumerate(wording.noted(c), start=1):
        _labelled(pdf, "Memperhatikan" if i == 1 else "", f"{i}.", item)
    if c.noted:
        pdf.ln(3)


def _decision(pdf: FPDF, c: DecreeContent) -> None:
    _centered(pdf, "MEMUTUSKAN:", bold=True)
    pdf.ln(2)
    title = f"KEPUTUSAN {c.office.upper()} TENTANG {wording.DECREE_SUBJECT}."
    _labelled(pdf, "Menetapkan", "", title, align="L")
    pdf.ln(2)
    for ordinal, text in wording.dictums(c):
        is_first = ordinal == wording.DICTUM_ORDINALS[0]
        # KESATU introduces the table of particulars; never leave it alone at a page's foot.
        if is_first and pdf.will_page_break(LINE * (len(wording.transfer_particulars(c)) + 2)):
            pdf.add_page()
        text_x = _labelled(pdf, ordinal, "", text, bold_label=True)
        if is_first:
            _particulars(pdf, text_x, c)
        pdf.ln(2)


def _particulars(pdf: FPDF, x: float, c: DecreeContent) -> None:
    for label, value in wording.transfer_particulars(c):
        pdf.set_x(x)
        pdf.cell(PARTICULAR_W, LINE, label)
        pdf.cell(COLON_W, LINE, ":")
        value_x = x + PARTICULAR_W + COLON_W
        pdf.set_font(FONT, "B" if label == "Nama" else "", FONT_SIZE)
        _write(pdf, pdf.w - pdf.r_margin - value_x, value, align="L")
        pdf.set_font(FONT, "", FONT_SIZE)


def _signature(pdf: FPDF, c: DecreeContent) -> None:
    # Keep the whole block on one page: a signature alone on a page invites substitution.
    if pdf.will_page_break(SIGNATURE_BLOCK_H):
        pdf.add_page()
    pdf.ln(4)
    x = pdf.l_margin + pdf.epw / 2
    width = pdf.epw / 2

    def line(text: str, *, bold: bool = False) -> None:
        pdf.set_x(x)
        pdf.set_font(FONT, "B" if bold else "", FONT_SIZE)
        _write(pdf, width, text, align="L")

    line(f"Ditetapkan di {c.signing_place}")
    line(f"pada tanggal {indonesian_date(c.signing_date)}")
    pdf.ln(2)
    line(f"{c.office.upper()},", bold=True)
    pdf.ln(22)
    line(c.signer_name.upper(), bold=True)
    if c.signer_nip:
        line(f"NIP {c.signer_nip}")


def _copies(pdf: FPDF, c: DecreeContent) -> None:
    pdf.ln(8)
    pdf.set_font(FONT, "", FONT_SIZE - 1)
    _write(pdf, 0, "Tembusan Keputusan ini disampaikan kepada Yth.:", align="L")
    for i, recipient in enumerate(wording.copies(c), start=1):
        _sub_item(pdf, pdf.l_margin, f"{i}.", recipient)
