"""A valid example payload of every event type: the log accepts nothing else
(mutasi.domain.payloads), so tests that write the log by hand start from these.

`example(event_type, **changes)` returns a fresh copy with some keys replaced.
"""

from __future__ import annotations

import copy
import hashlib
from typing import Any
from uuid import uuid4

NIP = "198503142010011002"
TRANSFER = {
    "employee_nip": NIP,
    "target_tenant": "kota-sorong",
    "target_position_code": "P-01",
    "target_unit_code": "DINKES",
    "origin_position_code": "P-07",
    "origin_unit_code": "BAPPEDA",
    "effective_date": "2026-09-01",
}
SUMMARY = {
    **TRANSFER,
    "employee_name": "Budi Santoso",
    "kind": "within_government",
    "reasons": "Penyegaran",
    "expectations": "Memperkuat layanan",
    "justification": None,
    "documents": ["proposal_letter", "skp", "last_decree"],
    "self_application": False,
}
FINDING = {"code": "R2", "severity": "soft", "message": "Belum 2 tahun", "message_en": "< 2 y"}
DEADLINE = {
    "step": "verify",
    "pending_role": "hr_officer",
    "pending_tenant": "kota-sorong",
    "working_days": 5,
    "due_at": "2026-08-01T09:00:00+07:00",
    "escalated_to": "approver",
    "escalated_tenant": "kota-sorong",
}
VOTES = {"meeting_id": str(uuid4()), "votes": {"recommend": 2, "not_recommend": 1}}
# One realistic payload per type: the log refuses any other (mutasi.domain.payloads).
PAYLOADS: dict[str, dict[str, Any]] = {
    "transfer.submitted": SUMMARY,
    "transfer.revised": {**SUMMARY, "justification": "Kebutuhan mendesak"},
    "transfer.checked": {
        "passed": True,
        "failures": [],
        "warnings": [{**FINDING, "justified": False}],
        "match_score": 87,
    },
    "transfer.returned": {"step": "check", "failures": [{**FINDING, "severity": "hard"}]},
    "transfer.verified": {"step": "verify"},
    "transfer.placed_on_agenda": {"meeting_id": VOTES["meeting_id"]},
    "transfer.recommended": VOTES,
    "transfer.not_recommended": VOTES,
    "transfer.deferred": VOTES,
    "transfer.consent_given": {"step": "consent", "reference": "800/12/BKPSDM/2026"},
    "transfer.pertek_given": {"step": "pertek", "reference": "PERTEK-0001"},
    "transfer.approved": {"step": "decide"},
    "transfer.rejected": {"step": "decide"},
    "transfer.withdrawn": {"from_status": "verified"},
    "transfer.decree_issued": {
        "decree_number": "800.1.3.3/0007/BKPSDM/2026",
        "document_sha256": "ab" * 32,
        "effective_date": "2026-09-01",
        "issuing_tenant": "kota-sorong",
        "signed_by": "Wali Kota Sorong",
    },
    "transfer.notified": {
        "decree_number": "800.1.3.3/0007/BKPSDM/2026",
        "effective_date": "2026-09-01",
    },
    "transfer.effective": TRANSFER,
    "transfer.completed": {},
    "transfer.decree_cancelled": {
        "decree_number": "800.1.3.3/0007/BKPSDM/2026",
        "cancelling_decree_number": "800.1.3.3/0009/BKPSDM/2026",
        "issuing_tenant": "kota-sorong",
    },
    "transfer.reminder_sent": DEADLINE,
    "transfer.escalated": DEADLINE,
    "meeting.scheduled": {
        "title": "Rapat Tim Penilai Kinerja",
        "scheduled_on": "2026-08-03",
        "place": "Ruang Rapat BKPSDM",
        "quorum": 3,
        "members": [{"sub": "nip:1", "name": "Ani", "nip": None}],
    },
    "meeting.agenda_item_added": {
        "transfer_id": str(uuid4()),
        "employee_nip": NIP,
        "employee_name": "Budi Santoso",
        "conflicted_members": [],
    },
    "meeting.vote_cast": {
        "member": "nip:1",
        "votes": [{"transfer_id": "x", "vote": "recommend", "note": None}],
    },
    "meeting.closed": {
        "minutes": "BERITA ACARA RAPAT …",
        "items": [
            {
                "transfer_id": "x",
                "employee_nip": NIP,
                "employee_name": "Budi Santoso",
                "conflicted": [],
                "votes": {"nip:1": "recommend"},
                "outcome": "recommended",
                "note": None,
            }
        ],
    },
    "employee.registered": {
        "nip": NIP,
        "name": "Budi Santoso",
        "data": {},
        "position_code": "P-07",
        "unit_code": "BAPPEDA",
        "position_since": "2019-01-02",
    },
}
PAYLOADS["employee.updated"] = {**PAYLOADS["employee.registered"], "unit_code": "DINKES"}
PAYLOADS["employee.assessed"] = {
    "nip": NIP,
    "assessment_id": str(uuid4()),
    "assessed_on": "2026-06-14",
    "institution": "UPT Penilaian Kompetensi BKD Provinsi Jambi",
    "method": "Assessment Center",
    "assessor": None,
    "levels": {"Integritas": 4, "Kerja Sama": 5, "Akuntansi Pemerintahan": 4},
    "import": {"id": str(uuid4()), "line": 4},
}
PAYLOADS["employee.performance_rated"] = {"nip": NIP, "year": 2025, "performance": "good"}
PAYLOADS["aspiration.recorded"] = {
    "nip": NIP,
    "units": ["diskominfo"],
    "positions": ["diskominfo.pranata-komputer-ahli-muda"],
    "cities": ["Kota Jambi"],
    "reason": "Dekat dengan keluarga dan sesuai bidang studi",
    "heard_at": None,
}
PAYLOADS["unit.located"] = {
    "unit_code": "dinkes",
    "city": "Kota Jambi",
    "latitude": "-1.6101",
    "longitude": "103.6131",
}
PAYLOADS["planning.settings_changed"] = {
    "profile": {"core_share": "0.75", "gap_weights": {"0": "5.0", "-1": "4.0"}},
    "changed": ["core_share"],
}
PLAN_SPEC = {"title": "Rencana Mutasi 2027", "scope": {"units": [], "period_start": "2027-01-02"},
             "rules": {"max_moves": 3}}  # fmt: skip
PLAN_PARTS = {"fit": "80.00", "workload": "5.00", "aspiration": "3.00", "distance": "2.00",
              "performance": "4.00"}  # fmt: skip
PAYLOADS["plan.drafted"] = {"title": "Rencana Mutasi 2027", "spec": PLAN_SPEC}
PAYLOADS["plan.edited"] = {"spec": PLAN_SPEC | {"rules": {"max_moves": 2}}, "changed": ["rules"]}
PAYLOADS["plan.optimised"] = {
    "revision": 1,
    "method": "milp",
    "gap": "0.00",
    "bound": "1204.50",
    "status_quo": "1180.25",
    "optimum": {"value": "1204.50", "parts": PLAN_PARTS, "moves": 1, "feasible": True},
    "greedy": {"value": "1198.00", "parts": PLAN_PARTS, "moves": 1, "feasible": True},
    "candidates": 24,
    "posts": 8,
    "seconds": "0.12",
    "lines": [
        {
            "line": 1,
            "nip": NIP,
            "name": "Budi Santoso",
            "origin_position": "P-07",
            "origin_unit": "BAPPEDA",
            "target_position": "P-01",
            "target_unit": "DINKES",
            "value": "94.00",
            "stay_value": "70.00",
            "fit": "96.25",
            "parts": PLAN_PARTS,
            "km": 3,
            "vacated_by": None,
            "locked": False,
        },
    ],  # fmt: skip
    "units": [
        {"code": "DINKES", "name": "Dinas Kesehatan", "needed": 4, "before": 3, "after": 4}
    ],  # fmt: skip
}
PAYLOADS["plan.approved"] = {
    "revision": 1,
    "effective_date": "2027-01-02",
    "meeting_id": str(uuid4()),
    "lines": 1,
}
PAYLOADS["plan.line_proposed"] = {
    "line": 1,
    "nip": NIP,
    "transfer_id": str(uuid4()),
    "target_position": "P-01",
}
PAYLOADS["plan.completed"] = {"outcomes": {"completed": 1}}
PAYLOADS["plan.cancelled"] = {"reason": "Anggaran belum tersedia"}
TRANSFER_ID, PDF_SHA256 = str(uuid4()), hashlib.sha256(b"%PDF-1.4 SK terakhir").hexdigest()
PAYLOADS["attachment.added"] = {
    "attachment_id": str(uuid4()),
    "transfer_id": TRANSFER_ID,
    "document_code": "last_decree",
    "filename": "SK Kenaikan Pangkat 2022.pdf",
    "content_type": "application/pdf",
    "size_bytes": 48213,
    "sha256": PDF_SHA256,
    "storage_key": f"kota-sorong/{TRANSFER_ID}/{PDF_SHA256}",
}
PAYLOADS["master_data.imported"] = {
    "kind": "positions",
    "filename": "jabatan_2026.csv",
    "file_sha256": "ef" * 32,
    "counts": {
        "rows": 5,
        "imported": 2,
        "created": 1,
        "updated": 1,
        "unchanged": 1,
        "duplicates": 0,
        "conflicts": 1,
        "refused": 1,
    },
    "summary": "2 diimpor (1 baru, 1 diperbarui), 1 tidak berubah, 0 duplikat, 1 konflik, "
    "1 ditolak",
    "refused_lines": [4],
    "conflict_lines": [6],
    "created_positions": [],
    "changes": [
        {
            "code": "setda.analis-kebijakan-ahli-muda",
            "action": "created",
            "name": "Analis Kebijakan Ahli Muda",
            "unit_code": "setda",
            "kind": "fungsional",
            "class": 10,
            "required_education_level": "S1",
            "required_education_fields": ["Ilmu Pemerintahan", "Ilmu Hukum"],
            "required_competencies": {"Analisis Data": 3},
            "needed": 2,
        },
        {
            "code": "dinkes.perawat",
            "action": "updated",
            "name": "Perawat Ahli Pertama",
            "unit_code": "dinkes",
            "kind": "fungsional",
            "class": None,
            "required_education_level": None,
            "required_education_fields": [],
            "required_competencies": {},
            "needed": 15,
        },
    ],
}
TENANT_CONFIG = {
    "slug": "kota-uji",
    "name": "Kota Uji",
    "kind": "kota",
    "province": "Sulawesi Selatan",
    "capital": "Kota Uji",
    "time_zone": "WITA",
    "decree_number_format": "800.1.3.3/{seq:04d}/BKPSDM/{month_roman}/{year}",
    "ppk": {"name": "Andi Wijaya", "title": "Wali Kota Uji", "nip": None},
    "bkpsdm_head": {"name": "Siti Rahma", "title": "Kepala BKPSDM", "nip": "197203152000032001"},
    "extra_holidays": ["2026-09-17"],
    "incentive_policy": {
        "transport_min_km": 60,
        "transport_allowance_idr": 750000,
        "housing_min_km": None,
        "housing_support_idr": None,
        "note": None,
    },
    "public_page": True,
    "sla_working_days": 5,
    "document_checklist": None,
    "head_inaugurated_on": "2025-02-20",
    "election_candidate_determination_on": None,
    "ministerial_consent_document": None,
}
PAYLOADS["tenant.registered"] = TENANT_CONFIG
PAYLOADS["tenant.configured"] = {**TENANT_CONFIG, "public_page": False, "changed": ["public_page"]}


def example(event_type: str, **changes: Any) -> dict[str, Any]:
    """A valid payload of `event_type` (a deep copy), with `changes` applied."""
    return copy.deepcopy(PAYLOADS[event_type]) | changes
