"""A meeting's minutes (berita acara) as a report, from the `meeting.closed` entry of the log:
the recorded text itself, and each item's outcome and votes as a table."""

from __future__ import annotations

from collections import Counter
from typing import Any
from uuid import UUID

import asyncpg

from mutasi.errors import Conflict, NotFound
from mutasi.reports.model import Report, Table

OUTCOMES = {
    "recommended": "Direkomendasikan",
    "not_recommended": "Tidak direkomendasikan",
    "deferred": "Ditunda",
    "withdrawn": "Ditarik",
}


async def minutes_report(pool: asyncpg.Pool, tenant: str, meeting_id: UUID) -> Report:
    rows = await pool.fetch(
        "SELECT event_type, payload, occurred_at FROM event_log WHERE stream = $1"
        " AND tenant = $2 AND event_type IN ('meeting.scheduled', 'meeting.closed')"
        " ORDER BY version",
        f"meeting/{meeting_id}",
        tenant,
    )
    found = {r["event_type"]: r for r in rows}
    if "meeting.scheduled" not in found:
        raise NotFound("Rapat tidak ditemukan", "Meeting not found")
    if "meeting.closed" not in found:
        raise Conflict(
            "Rapat belum ditutup: berita acara belum ada", "The meeting is open: no minutes yet"
        )
    scheduled, closed = found["meeting.scheduled"]["payload"], found["meeting.closed"]["payload"]
    items: list[dict[str, Any]] = closed.get("items", [])
    table = Table(
        "Hasil pembahasan",
        ["No", "NIP", "Nama", "Hasil", "Setuju", "Tidak setuju", "Abstain", "Catatan"],
        [
            [n, i["employee_nip"], i["employee_name"], OUTCOMES.get(i["outcome"], i["outcome"]),
             votes["recommend"], votes["not_recommend"], votes["abstain"], i.get("note")]
            for n, i in enumerate(items, 1)
            if (votes := Counter(i.get("votes", {}).values())) is not None
        ],
    )  # fmt: skip
    return Report(
        title="Berita Acara Rapat Tim Penilai Kinerja",
        subtitle=f"{scheduled['title']} — {scheduled['scheduled_on']}, {scheduled['place']}",
        text=closed["minutes"].splitlines(),
        tables=[table],
    )
