"""Deciding each agenda item from its votes, and writing the minutes (berita acara).

Pure and deterministic: the meeting workflow runs it when the meeting closes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from mutasi.domain.id_dates import indonesian_date
from mutasi.lifecycle import AgendaItem, MeetingInput

VOTES = ("recommend", "not_recommend", "abstain")
OUTCOME_LABELS = {
    "recommended": "Direkomendasikan",
    "not_recommended": "Tidak direkomendasikan",
    "deferred": "Ditunda ke rapat berikutnya",
}


@dataclass
class ItemOutcome:
    transfer_id: str
    outcome: str  # recommended | not_recommended | deferred
    reason: str | None
    votes: dict[str, int]


def decide_item(item: AgendaItem, quorum: int, postponed: bool) -> ItemOutcome:
    """A majority of the substantive votes decides, if at least `quorum` were cast;
    otherwise, on a tie, or when the meeting postpones it, the item goes to the next meeting."""
    counts = Counter(item.votes.values())
    votes = {v: counts.get(v, 0) for v in VOTES}
    yes, no = votes["recommend"], votes["not_recommend"]
    if postponed:
        return ItemOutcome(
            item.transfer_id,
            "deferred",
            "Ditunda oleh rapat untuk dibahas pada rapat berikutnya",
            votes,
        )
    if yes + no < quorum:
        return ItemOutcome(
            item.transfer_id,
            "deferred",
            f"Kuorum tidak tercapai ({yes + no} dari {quorum} suara yang"
            " diperlukan); ditunda ke rapat berikutnya",
            votes,
        )
    if yes > no:
        return ItemOutcome(item.transfer_id, "recommended", None, votes)
    if no > yes:
        return ItemOutcome(
            item.transfer_id,
            "not_recommended",
            f"Tidak direkomendasikan oleh rapat: {no} tidak setuju, {yes} setuju",
            votes,
        )
    return ItemOutcome(
        item.transfer_id,
        "deferred",
        f"Suara berimbang ({yes} setuju, {no} tidak setuju); ditunda ke rapat berikutnya",
        votes,
    )


def minutes(meeting: MeetingInput, items: list[AgendaItem], note: str | None) -> str:
    """The berita acara, in Indonesian, as recorded in the log when the meeting closes."""
    names = {m.sub: m.name for m in meeting.members}
    government = meeting.tenant_name or meeting.tenant
    lines = [
        "BERITA ACARA RAPAT TIM PENILAI KINERJA",
        meeting.title,
        "",
        f"Pada hari {indonesian_date(date.fromisoformat(meeting.scheduled_on), weekday=True)},"
        f" bertempat di {meeting.place}, Tim Penilai Kinerja {government} mengadakan rapat"
        " pembahasan usulan mutasi pegawai dengan anggota:",
        *(
            f"{n}. {m.name}" + (f" (NIP {m.nip})" if m.nip else "")
            for n, m in enumerate(meeting.members, 1)
        ),
        f"Kuorum: {meeting.quorum} suara setuju atau tidak setuju untuk setiap usulan.",
        "",
        "Hasil pembahasan:" if items else "Tidak ada usulan yang dibahas.",
    ]
    for n, item in enumerate(items, 1):
        counts = Counter(item.votes.values())
        line = (
            f"{n}. {item.employee_name} (NIP {item.employee_nip}): "
            f"{OUTCOME_LABELS.get(item.outcome or '', item.outcome or '-')}"
            f" — setuju {counts['recommend']}, tidak setuju {counts['not_recommend']},"
            f" abstain {counts['abstain']}"
        )
        if item.conflicted:
            line += "; tidak memberikan suara karena benturan kepentingan (R7): " + ", ".join(
                names.get(s, s) for s in item.conflicted
            )
        if item.note:
            line += f". {item.note}"
        lines.append(line + ".")
    if note:
        lines += ["", f"Catatan: {note}"]
    lines += [
        "",
        "Demikian berita acara ini dibuat dengan sebenarnya untuk dipergunakan"
        " sebagaimana mestinya.",
    ]
    return "\n".join(lines)
