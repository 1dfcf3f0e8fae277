"""Bilingual texts of the rule results, in one place so a reviewer can read them together.

Keys are (rule code, outcome); placeholders are filled by `rules.py`. Dates in Indonesian
texts are DD-MM-YYYY, in English texts ISO.
"""

from __future__ import annotations

MESSAGES: dict[tuple[str, str], tuple[str, str]] = {
    ("R1", "not_found"): (
        "Jabatan tujuan tidak ditemukan",
        "The target position does not exist",
    ),
    ("R1", "other_unit"): (
        "Jabatan {name} bukan bagian dari unit kerja tujuan",
        "Position {name} does not belong to the target unit",
    ),
    ("R1", "same_position"): (
        "Pegawai sudah menduduki jabatan {name}",
        "The employee already holds position {name}",
    ),
    ("R1", "not_vacant"): (
        "Jabatan {name} tidak lowong (kebutuhan {needed}, terisi {filled})",
        "Position {name} is not vacant (needed {needed}, filled {filled})",
    ),
    ("R1", "ok"): ("Jabatan {name} tersedia", "Position {name} is available"),
    ("R2", "too_early"): (
        "Belum 2 tahun dalam jabatan saat ini (terpenuhi pada {eligible_id}); "
        "perlu justifikasi tertulis",
        "Less than 2 years in the current position (reached on {eligible_en}); "
        "a written justification is needed",
    ),
    ("R2", "ok"): (
        "Sudah {years} tahun dalam jabatan saat ini",
        "{years} years in the current position",
    ),
    ("R3", "due"): (
        "Sudah lebih dari 5 tahun dalam jabatan yang sama (sejak {since_id}): perlu dirotasi",
        "More than 5 years in the same position (since {since_en}): due for rotation",
    ),
    ("R3", "ok"): (
        "Masa dalam jabatan tidak lebih dari 5 tahun",
        "At most 5 years in the position",
    ),
    ("R4", "active"): (
        "Pegawai sedang menjalani hukuman disiplin {kind} sampai {end_id}",
        "The employee is under a {kind} disciplinary sanction until {end_en}",
    ),
    ("R4", "ok"): (
        "Tidak sedang menjalani hukuman disiplin",
        "No active disciplinary sanction",
    ),
    ("R5", "no_target"): (
        "Kesesuaian tidak dapat dinilai tanpa jabatan tujuan",
        "Fit cannot be assessed without a target position",
    ),
    ("R5", "short"): (
        "Pendidikan/kompetensi kurang sesuai dengan persyaratan jabatan "
        "(skor kesesuaian {score:g}, minimal {pass_score:g})",
        "Education/competencies fall short of the position's requirements "
        "(match score {score:g}, at least {pass_score:g})",
    ),
    ("R5", "ok"): (
        "Pendidikan dan kompetensi sesuai (skor kesesuaian {score:g})",
        "Education and competencies match (match score {score:g})",
    ),
    ("R6", "short"): (
        "Predikat SKP di bawah Baik atau tidak ada ({described})",
        "SKP predicate below Baik or missing in {years}",
    ),
    ("R6", "ok"): (
        "Predikat SKP {first}–{last} minimal Baik",
        "SKP predicate {first}–{last} at least Baik",
    ),
    ("R7", "relative"): (
        "Pengusul memiliki hubungan keluarga dengan pegawai",
        "The proposer is a relative of the employee",
    ),
    ("R7", "self_proposal"): (
        "Pegawai tidak dapat mengusulkan dirinya sendiri; gunakan permohonan sendiri",
        "An employee cannot propose themself; use a self-application",
    ),
    ("R7", "not_own_application"): (
        "Permohonan sendiri hanya dapat diajukan oleh pegawai yang bersangkutan",
        "A self-application can only be made by the employee themself",
    ),
    ("R7", "ok"): ("Tidak ada konflik kepentingan", "No conflict of interest"),
    ("R8", "open"): (
        "Pegawai masih memiliki usulan mutasi lain yang belum selesai",
        "The employee already has another transfer in progress",
    ),
    ("R8", "ok"): (
        "Tidak ada usulan mutasi lain yang berjalan",
        "No other transfer in progress",
    ),
    ("R9", "frozen"): (
        "{reasons_id}. Diperlukan persetujuan tertulis Menteri Dalam Negeri.",
        "{reasons_en}. The Minister of Home Affairs' written consent is required.",
    ),
    ("R9", "consented"): (
        "{reasons_id}; persetujuan tertulis Mendagri tercatat ({consent})",
        "{reasons_en}; the Minister's written consent is recorded ({consent})",
    ),
    ("R9", "ok"): (
        "Tidak dalam masa larangan penggantian pejabat",
        "No political freeze applies",
    ),
    ("R9", "inaugurated"): (
        "{tenant}: kepala daerah dilantik {date_id}, kurang dari 6 bulan yang lalu",
        "{tenant}: head inaugurated on {date_en}, less than 6 months ago",
    ),
    ("R9", "election"): (
        "{tenant}: masa 6 bulan sebelum penetapan pasangan calon ({date_id}) "
        "sampai akhir masa jabatan",
        "{tenant}: from 6 months before the candidate determination ({date_en}) "
        "until the end of the term",
    ),
    ("R10", "missing"): (
        "Dokumen belum lengkap: {missing_id}",
        "Missing documents: {missing_en}",
    ),
    ("R10", "ok"): (
        "Dokumen persyaratan lengkap",
        "All required documents are attached",
    ),
}
