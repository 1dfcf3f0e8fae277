"""BKPSDM's recap of transfers in a period: by status, unit, kind; the list; and how long each
step took against its deadline (from the log: when a step began, when it was taken, whether
it was escalated for passing its deadline).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from statistics import mean
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg

from mutasi.reports.model import Report, Table

STATUS = {
    "submitted": "Diajukan", "checked": "Diperiksa sistem", "returned": "Dikembalikan",
    "verified": "Diverifikasi BKPSDM", "on_agenda": "Dalam agenda rapat",
    "recommended": "Direkomendasikan", "consented": "Disetujui instansi asal",
    "pertek_given": "Pertek BKN terbit", "approved": "Disetujui PPK", "rejected": "Ditolak",
    "withdrawn": "Ditarik", "decree_issued": "SK terbit", "notified": "Diberitahukan",
    "effective": "Berlaku", "completed": "Selesai",
}  # fmt: skip
KINDS = {
    "within_government": "Dalam satu instansi",
    "between_governments_same_province": "Antarinstansi dalam satu provinsi",
    "between_provinces": "Antarprovinsi",
}
# (label, the pending step's name in escalations, events that start it, events that end it)
STEPS = (
    ("Pemeriksaan aturan (sistem)", None, {"transfer.submitted", "transfer.revised"},
     {"transfer.checked"}),
    ("Verifikasi BKPSDM", "verify", {"transfer.checked"},
     {"transfer.verified", "transfer.returned"}),
    ("Masuk agenda rapat", "place_on_agenda", {"transfer.verified", "transfer.deferred"},
     {"transfer.placed_on_agenda"}),
    ("Keputusan rapat", "meeting_decide", {"transfer.placed_on_agenda"},
     {"transfer.recommended", "transfer.not_recommended", "transfer.deferred"}),
    ("Keputusan PPK", "decide", {"transfer.recommended", "transfer.pertek_given"},
     {"transfer.approved", "transfer.rejected", "transfer.returned"}),
    ("Penerbitan SK", None, {"transfer.approved"}, {"transfer.decree_issued"}),
)  # fmt: skip


async def _transfers(pool: asyncpg.Pool, tenant: str, start: datetime, end: datetime) -> list:
    return list(
        await pool.fetch(
            "SELECT id, employee_nip, employee_name, kind, origin_unit_code, target_unit_code,"
            " origin_position_code, target_position_code, status, decree_number,"
            " effective_date, created_at FROM transfers WHERE (tenant = $1 OR target_tenant = $1)"
            " AND created_at >= $2 AND created_at < $3 ORDER BY created_at, id",
            tenant,
            start,
            end,
        )
    )


async def _events(pool: asyncpg.Pool, ids: list[Any]) -> dict[str, list[asyncpg.Record]]:
    rows = await pool.fetch(
        "SELECT stream, event_type, occurred_at, payload->>'step' AS step FROM event_log"
        " WHERE stream = ANY($1::text[]) ORDER BY stream, version",
        [f"transfer/{i}" for i in ids],
    )
    found: dict[str, list[asyncpg.Record]] = defaultdict(list)
    for r in rows:
        found[r["stream"]].append(r)
    return found


def _durations(events: dict[str, list[asyncpg.Record]]) -> dict[str, list[float]]:
    """Days each step took, per step label, over every transfer's history."""
    taken: dict[str, list[float]] = defaultdict(list)
    for history in events.values():
        for label, _, starts, ends in STEPS:
            begun = None
            for e in history:
                if e["event_type"] in starts and begun is None:
                    begun = e["occurred_at"]
                elif e["event_type"] in ends and begun is not None:
                    taken[label].append((e["occurred_at"] - begun).total_seconds() / 86400)
                    begun = None
    return taken


def _escalations(events: dict[str, list[asyncpg.Record]]) -> Counter[str]:
    return Counter(
        e["step"] for history in events.values() for e in history
        if e["event_type"] == "transfer.escalated"
    )  # fmt: skip


def _count_table(title: str, counts: Counter[str], labels: dict[str, str], what: str) -> Table:
    rows = [[labels.get(k, k or "-"), v] for k, v in sorted(counts.items(), key=lambda x: -x[1])]
    return Table(title, [what, "Jumlah"], rows)


async def transfer_recap(
    pool: asyncpg.Pool, tenant: str, start: date, end: date, sla_days: int, zone: str
) -> Report:
    tz = ZoneInfo(zone)
    since = datetime.combine(start, time(), tz)
    until = datetime.combine(end + timedelta(days=1), time(), tz)
    transfers = await _transfers(pool, tenant, since, until)
    events = await _events(pool, [t["id"] for t in transfers])
    units: Counter[str] = Counter()
    for t in transfers:
        units[f"{t['origin_unit_code'] or '-'} → {t['target_unit_code']}"] += 1
    durations, escalated = _durations(events), _escalations(events)
    steps = [
        [label, len(durations[label]),
         round(mean(durations[label]), 2) if durations[label] else None,
         round(max(durations[label]), 2) if durations[label] else None,
         sla_days if name else "-", escalated.get(name, 0) if name else "-"]
        for label, name, _, _ in STEPS
    ]  # fmt: skip
    listing = [
        [str(t["id"]), t["employee_nip"], t["employee_name"], KINDS.get(t["kind"], t["kind"]),
         t["origin_position_code"], t["target_position_code"], STATUS.get(t["status"], t["status"]),
         t["decree_number"], t["effective_date"], t["created_at"].astimezone(tz).date()]
        for t in transfers
    ]  # fmt: skip
    return Report(
        title="Rekapitulasi Mutasi Pegawai",
        subtitle=f"{tenant}, {start:%d-%m-%Y} s.d. {end:%d-%m-%Y}: {len(transfers)} usulan",
        tables=[
            _count_table(
                "Menurut status", Counter(t["status"] for t in transfers), STATUS, "Status"
            ),  # fmt: skip
            _count_table("Menurut unit", units, {}, "Unit asal → tujuan"),
            _count_table("Menurut jenis", Counter(t["kind"] for t in transfers), KINDS, "Jenis"),
            Table(
                "Waktu proses per langkah",
                [
                    "Langkah",
                    "Jumlah",
                    "Rata-rata (hari)",
                    "Terlama (hari)",
                    "Tenggat (hari kerja)",
                    "Melewati tenggat (eskalasi)",
                ],
                steps,
                note="Lama dihitung dari saat langkah menunggu sampai diambil; melewati"
                " tenggat = tercatat eskalasi (transfer.escalated) untuk langkah itu.",
            ),
            Table(
                "Daftar usulan",
                [
                    "Id",
                    "NIP",
                    "Nama",
                    "Jenis",
                    "Jabatan asal",
                    "Jabatan tujuan",
                    "Status",
                    "Nomor SK",
                    "TMT",
                    "Diajukan",
                ],
                listing,
            ),
        ],  # fmt: skip
    )


async def tenant_recap(pool: asyncpg.Pool, tenant: str, start: date, end: date) -> Report:
    """The recap in the government's own time zone and with its own deadline (SLA)."""
    row = await pool.fetchrow(
        "SELECT timezone, sla_working_days FROM tenants WHERE slug = $1", tenant
    )
    zone, sla = (row["timezone"], row["sla_working_days"]) if row else ("Asia/Jakarta", 5)
    return await transfer_recap(pool, tenant, start, end, sla, zone)
