"""Turn an event's loose context into what the notification templates can rely on.

Every known key is present (None when unknown) so templates run under StrictUndefined and
test `{% if x %}` instead of printing "None"; values arriving as JSON strings from a
CloudEvent payload become dates; recurring Indonesian phrases are built here once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from mutasi.domain.id_dates import indonesian_date, indonesian_datetime

__all__ = ["CONTEXT_KEYS", "facts", "indonesian_date", "prepare", "sections", "when_text"]

TEXT_KEYS = (
    "employee_name", "nip", "origin_position", "origin_unit", "target_position", "target_unit",
    "decree_number", "action_required", "actor_name", "actor_role", "transfer_id",
    "tenant_name", "reason", "recipient_name", "pending_role", "meeting_place", "timezone",
    "url", "sender_name", "cancelling_decree_number",
)  # fmt: skip
LIST_KEYS = ("reasons", "expectations", "incentives")
DATE_KEYS = ("effective_date", "due_date", "meeting_at")
CONTEXT_KEYS = (*TEXT_KEYS, *LIST_KEYS, *DATE_KEYS, "recommended")

ROLE_LABELS = {
    "employee": "Pegawai",
    "supervisor": "Atasan Langsung",
    "hr_officer": "BKPSDM",
    "panel_member": "Tim Penilai Kinerja",
    "approver": "Pejabat Pembina Kepegawaian",
    "bkn_officer": "Badan Kepegawaian Negara",
    "auditor": "Auditor",
    "system": "Sistem Mutasi",
}

_RECIPIENT_TITLES = {
    "proposer": "Pengusul",
    "hr_officer": "Petugas BKPSDM",
    "approver": "Pejabat Pembina Kepegawaian",
    "panel_member": "Anggota Tim Penilai Kinerja",
    "bkn_officer": "Petugas Badan Kepegawaian Negara",
}

# Incentives are personal income: only the employee and those who grant them see them.
_SEES_INCENTIVES = frozenset({"employee", "hr_officer", "approver"})

DEFAULT_SENDER = "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"


def prepare(context: Mapping[str, Any], recipient_kind: str) -> dict[str, Any]:
    ctx: dict[str, Any] = {k: _text(context.get(k)) for k in TEXT_KEYS}
    ctx |= {k: _items(context.get(k)) for k in LIST_KEYS}
    ctx |= {k: _when(context.get(k)) for k in DATE_KEYS}
    recommended = context.get("recommended")
    ctx["recommended"] = None if recommended is None else bool(recommended)
    if ctx["url"] and not ctx["url"].startswith(("https://", "http://")):
        ctx["url"] = None  # never put a javascript: or relative link in an e-mail
    if not ctx["incentives"] or recipient_kind not in _SEES_INCENTIVES:
        ctx["incentives"] = []
    if isinstance(ctx["effective_date"], datetime):
        ctx["effective_date"] = ctx["effective_date"].date()
    ctx["recipient_kind"] = recipient_kind
    ctx |= _phrases(ctx, recipient_kind)
    return ctx


def facts(ctx: Mapping[str, Any], event: str) -> list[tuple[str, str]]:
    """The particulars shown in every message, only those that are known."""
    rows = [
        ("Nama pegawai", ctx["employee_name"]),
        ("NIP", ctx["nip"]),
        ("Jabatan asal", ctx["origin_position"]),
        ("Unit kerja asal", ctx["origin_unit"]),
        ("Jabatan tujuan", ctx["target_position"]),
        ("Unit kerja tujuan", ctx["target_unit"]),
        ("Terhitung mulai tanggal (TMT)", _opt(ctx["effective_date"], indonesian_date)),
        ("Nomor SK", ctx["decree_number"]),
    ]
    if event == "meeting_scheduled":
        rows += [
            ("Waktu rapat", _opt(ctx["meeting_at"], lambda v: when_text(v, ctx["timezone"]))),
            ("Tempat rapat", ctx["meeting_place"]),
        ]
    return [(label, value) for label, value in rows if value]


def sections(ctx: Mapping[str, Any]) -> list[dict[str, Any]]:
    titled = [
        ("Alasan mutasi", ctx["reasons"]),
        ("Harapan atas mutasi ini", ctx["expectations"]),
        ("Fasilitas dan tunjangan", ctx["incentives"]),
    ]
    return [{"title": title, "items": items} for title, items in titled if items]


def sender_lines(ctx: Mapping[str, Any]) -> list[str]:
    lines = [ctx["sender_name"] or DEFAULT_SENDER]
    return [*lines, ctx["tenant_name"]] if ctx["tenant_name"] else lines


def when_text(value: date, tz: str | None = None) -> str:
    if isinstance(value, datetime):
        return indonesian_datetime(value, tz if value.tzinfo else None)
    return indonesian_date(value)


def _phrases(ctx: dict[str, Any], recipient_kind: str) -> dict[str, Any]:
    name, nip = ctx["employee_name"], ctx["nip"]
    named = f"atas nama {name}" + (f" (NIP {nip})" if nip else "") if name else ""
    is_employee = recipient_kind == "employee"
    if is_employee:
        the_transfer = "usulan mutasi Anda"
    elif recipient_kind == "proposer":
        the_transfer = f"usulan mutasi yang Anda ajukan {named}".rstrip()
    else:
        the_transfer = f"usulan mutasi {named}" if named else "usulan mutasi pegawai"
    actor = _actor(ctx["actor_name"], ctx["actor_role"])
    return {
        "about": "Anda" if is_employee else (f"a.n. {name}" if name else ""),
        "person": "Anda" if is_employee else (name or "pegawai yang bersangkutan"),
        "the_transfer": the_transfer,
        "by_actor": f" oleh {actor}" if actor else "",
        "actor_label": actor,
        "pending_role_label": _role(ctx["pending_role"]),
        "to_new_post": _post("ke", ctx["target_position"], ctx["target_unit"]),
        "from_old_post": _post("dari", ctx["origin_position"], ctx["origin_unit"]),
        "new_post": _post("", ctx["target_position"], ctx["target_unit"]).strip() or None,
        "old_post": _post("", ctx["origin_position"], ctx["origin_unit"]).strip() or None,
        "meeting_when": _meeting_when(ctx),
        "due_text": _opt(ctx["due_date"], lambda v: when_text(v, ctx["timezone"])),
        "salutation": _salutation(ctx, recipient_kind),
    }


def _salutation(ctx: Mapping[str, Any], recipient_kind: str) -> str:
    if ctx["recipient_name"]:
        return f"Bapak/Ibu {ctx['recipient_name']}"
    if recipient_kind == "employee":
        return f"Bapak/Ibu {ctx['employee_name'] or 'Pegawai'}"
    if recipient_kind in ("origin_unit_head", "target_unit_head"):
        unit = ctx["origin_unit" if recipient_kind == "origin_unit_head" else "target_unit"]
        return f"Kepala {unit}" if unit else "Bapak/Ibu Kepala Unit Kerja"
    return f"Bapak/Ibu {_RECIPIENT_TITLES[recipient_kind]}"


def _actor(name: str | None, role: str | None) -> str:
    label = _role(role)
    if name and label:
        return f"{name} ({label})"
    return name or label or ""


def _role(role: str | None) -> str:
    return ROLE_LABELS.get(role, role) if role else ""


def _post(preposition: str, position: str | None, unit: str | None) -> str:
    """`ke jabatan Perawat Ahli Pertama pada Puskesmas Klasaman`, or the part that is known."""
    parts = [f"jabatan {position}" if position else "", f"pada {unit}" if unit else ""]
    text = " ".join(p for p in parts if p)
    if text.startswith("pada "):
        text = text.removeprefix("pada ")
    return f" {preposition} {text}" if text else ""


def _meeting_when(ctx: Mapping[str, Any]) -> str:
    text = ""
    if ctx["meeting_at"]:
        text += f" pada {when_text(ctx['meeting_at'], ctx['timezone'])}"
    if ctx["meeting_place"]:
        text += f" di {ctx['meeting_place']}"
    return text


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _items(value: Any) -> list[str]:
    if value is None:
        return []
    values: Iterable[Any] = [value] if isinstance(value, str) else value
    return [t for t in (_text(v) for v in values) if t]


def _when(value: Any) -> date | None:
    # JSON payloads carry ISO strings; workflow code passes date/datetime objects.
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    text = str(value)
    return datetime.fromisoformat(text) if "T" in text or " " in text else date.fromisoformat(text)


def _opt(value: Any, fmt: Any) -> str | None:
    return fmt(value) if value else None
