"""Notification texts: every event for every recipient, and the employee's decree notice."""

import re
from datetime import UTC, date, datetime

import pytest

from mutasi.documents.notifications import (
    EVENT_TYPES,
    RECIPIENT_KINDS,
    Notification,
    render_notification,
)

FULL = {
    "employee_name": "Yohana Kambuaya",
    "nip": "198703152010012003",
    "origin_position": "Perawat Ahli Pertama",
    "origin_unit": "RSUD Kota Sorong",
    "target_position": "Perawat Ahli Muda",
    "target_unit": "Puskesmas Klasaman",
    "reasons": ["Pemerataan tenaga kesehatan", "Kekurangan dua perawat menurut hasil ABK"],
    "expectations": ["Meningkatkan mutu pelayanan keperawatan di Puskesmas Klasaman"],
    "effective_date": date(2026, 12, 1),
    "decree_number": "800.1.3.3/0042/BKPSDM/2026",
    "incentives": ["Tunjangan transport Rp 1.500.000"],
    "due_date": datetime(2026, 11, 27, 14, 59, 59, tzinfo=UTC),
    "timezone": "Asia/Jayapura",
    "actor_name": "Andi Wijaya",
    "actor_role": "hr_officer",
    "transfer_id": "TR-2026-0042",
    "tenant_name": "Pemerintah Kota Sorong",
    "reason": "Dokumen SKP tahun 2025 belum dilampirkan",
    "meeting_at": datetime(2026, 10, 5, 0, 0, tzinfo=UTC),
    "meeting_place": "Ruang Rapat BKPSDM",
}

ALL = [(e, r) for e in EVENT_TYPES for r in RECIPIENT_KINDS]
# What a reader should never see: a Python None, an unfilled placeholder, stray spacing.
LEAKS = re.compile(r"None|\{\{|\{%|  | [.,;:](\s|$)")


def _parts(n: Notification) -> list[str]:
    return [n.subject, n.body_text, n.body_html]


@pytest.mark.parametrize(("event", "recipient"), ALL)
def test_every_event_renders_for_every_recipient(event: str, recipient: str) -> None:
    n = render_notification(event, recipient, FULL)
    assert n.subject and "\n" not in n.subject
    assert n.body_text.startswith("Yth. ")
    assert "Yohana Kambuaya" in n.body_text  # every message says whose transfer it is
    assert "Puskesmas Klasaman" in n.body_text
    assert n.body_text.rstrip().endswith("Mohon tidak membalas pesan ini.")
    assert n.body_html.startswith("<!DOCTYPE html>") and '<html lang="id">' in n.body_html
    assert not LEAKS.search(n.subject + "\n" + n.body_text)


@pytest.mark.parametrize(("event", "recipient"), ALL)
def test_missing_values_render_gracefully(event: str, recipient: str) -> None:
    n = render_notification(event, recipient, {})
    for part in _parts(n):
        assert "None" not in part
    assert not LEAKS.search(n.subject + "\n" + n.body_text), n.body_text


@pytest.mark.parametrize("event", ["decree_issued", "notified"])
def test_employee_decree_notice_says_everything_the_employee_needs(event: str) -> None:
    n = render_notification(event, "employee", {**FULL, "due_date": None})
    text = " ".join(n.body_text.split())
    for expected in (
        "Pemerataan tenaga kesehatan",  # why
        "Kekurangan dua perawat menurut hasil ABK",
        "Meningkatkan mutu pelayanan keperawatan",  # what is expected
        "ke jabatan Perawat Ahli Muda pada Puskesmas Klasaman",  # the new post and unit
        "terhitung mulai tanggal (TMT) 1 Desember 2026",
        "Nomor 800.1.3.3/0042/BKPSDM/2026",
        "Tunjangan transport Rp 1.500.000",
        "melapor diri kepada pimpinan Puskesmas Klasaman",  # what to do next
        "paling lambat 1 Desember 2026",  # and by when
    ):
        assert expected in text, expected
    assert "Anda" in n.subject


def test_workflow_due_date_is_shown_in_the_tenants_zone() -> None:
    n = render_notification("decree_issued", "employee", FULL)
    assert "paling lambat 27 November 2026 pukul 23.59 WIT" in n.body_text


def test_incentives_are_shown_only_to_those_entitled() -> None:
    assert "Rp 1.500.000" in render_notification("notified", "employee", FULL).body_text
    assert "Rp 1.500.000" not in render_notification("notified", "panel_member", FULL).body_text


@pytest.mark.parametrize(
    ("event", "label"), [("returned", "Alasan pengembalian"), ("rejected", "Alasan")]
)
def test_returned_and_rejected_give_the_reason(event: str, label: str) -> None:
    text = render_notification(event, "proposer", FULL).body_text
    assert f"{label}: Dokumen SKP tahun 2025 belum dilampirkan" in text


def test_meeting_decision_subject_follows_the_recommendation() -> None:
    yes = render_notification("meeting_decided", "approver", {**FULL, "recommended": True})
    no = render_notification("meeting_decided", "approver", {**FULL, "recommended": False})
    assert "Direkomendasikan" in yes.subject and "Tidak" not in yes.subject
    assert "Tidak Direkomendasikan" in no.subject
    assert "menunggu keputusan Anda" in yes.body_text


def test_meeting_invitation_gives_time_and_place() -> None:
    text = render_notification("meeting_scheduled", "panel_member", FULL).body_text
    assert "5 Oktober 2026 pukul 09.00 WIT di Ruang Rapat BKPSDM" in text


def test_html_escapes_what_users_typed_and_text_keeps_it() -> None:
    ctx = {**FULL, "employee_name": "<script>alert(1)</script>", "url": "javascript:alert(1)"}
    n = render_notification("submitted", "hr_officer", ctx)
    assert "<script>" not in n.body_html
    assert "&lt;script&gt;" in n.body_html
    assert "javascript:" not in n.body_html + n.body_text
    assert "<script>alert(1)</script>" in n.body_text


def test_json_payload_dates_are_understood() -> None:
    n = render_notification("effective", "employee", {"effective_date": "2026-12-01"})
    assert "1 Desember 2026" in n.subject


@pytest.mark.parametrize(
    "name", ["approved", "transfer.approved", "id.go.mutasi.transfer.approved"]
)
def test_event_type_in_any_of_its_spellings(name: str) -> None:
    assert render_notification(name, "employee", FULL) == render_notification(
        "approved", "employee", FULL
    )


def test_domain_event_names_map_to_their_template() -> None:
    n = render_notification("transfer.not_recommended", "proposer", FULL)
    assert "Tidak Direkomendasikan" in n.subject


def test_unknown_event_or_recipient_is_an_error() -> None:
    with pytest.raises(ValueError, match="event type"):
        render_notification("transfer.teleported", "employee", FULL)
    with pytest.raises(ValueError, match="recipient"):
        render_notification("approved", "auditor", FULL)
