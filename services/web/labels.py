"""Indonesian words for the codes the APIs speak (statuses, roles, kinds, steps)."""

from __future__ import annotations

STATUS = {
    "draft": "Konsep",
    "submitted": "Diajukan",
    "checked": "Diperiksa sistem",
    "returned": "Dikembalikan",
    "verified": "Diverifikasi BKPSDM",
    "on_agenda": "Dalam agenda rapat",
    "recommended": "Direkomendasikan",
    "consented": "Disetujui instansi asal",
    "pertek_given": "Pertek BKN terbit",
    "approved": "Disetujui PPK",
    "rejected": "Ditolak",
    "withdrawn": "Ditarik",
    "decree_issued": "SK terbit",
    "notified": "Diberitahukan",
    "effective": "Berlaku",
    "completed": "Selesai",
    "cancelled": "SK dibatalkan",
}
# Colour family of a status badge: where the transfer stands, at a glance.
STATUS_TONE = {
    "returned": "warn",
    "rejected": "bad",
    "withdrawn": "muted",
    "cancelled": "bad",
    "completed": "good",
    "effective": "good",
    "decree_issued": "good",
    "notified": "good",
    "approved": "good",
}
ROLE = {
    "hr_officer": "BKPSDM",
    "supervisor": "Atasan langsung",
    "panel_member": "Tim Penilai Kinerja",
    "approver": "PPK",
    "employee": "Pegawai",
    "auditor": "Auditor",
    "bkn_officer": "BKN",
    "system": "Sistem",
}
KIND = {
    "within_government": "Dalam satu instansi",
    "between_governments_same_province": "Antarinstansi dalam satu provinsi",
    "between_provinces": "Antarprovinsi",
}
STEP = {
    "revise": "Perbaiki usulan",
    "verify": "Verifikasi berkas",
    "place_on_agenda": "Masukkan ke agenda rapat",
    "meeting_decide": "Pembahasan rapat Tim Penilai",
    "consent": "Persetujuan PPK instansi asal",
    "pertek": "Pertimbangan teknis BKN",
    "decide": "Keputusan PPK",
    "cancel_decree": "Batalkan SK",
}
EVENT = {
    "transfer.submitted": "Usulan diajukan",
    "transfer.checked": "Pemeriksaan aturan R1–R10",
    "transfer.returned": "Dikembalikan",
    "transfer.revised": "Diperbaiki dan diajukan kembali",
    "transfer.verified": "Diverifikasi BKPSDM",
    "transfer.placed_on_agenda": "Dimasukkan ke agenda rapat",
    "transfer.recommended": "Direkomendasikan rapat",
    "transfer.not_recommended": "Tidak direkomendasikan rapat",
    "transfer.deferred": "Ditunda ke rapat berikutnya",
    "transfer.consent_given": "Persetujuan instansi asal",
    "transfer.pertek_given": "Pertimbangan teknis BKN",
    "transfer.approved": "Disetujui PPK",
    "transfer.rejected": "Ditolak",
    "transfer.withdrawn": "Ditarik",
    "transfer.decree_issued": "SK diterbitkan",
    "transfer.notified": "Pemberitahuan dikirim",
    "transfer.effective": "Mulai berlaku",
    "transfer.completed": "Selesai",
    "transfer.decree_cancelled": "SK dibatalkan dengan SK pembatalan",
    "transfer.reminder_sent": "Pengingat tenggat",
    "transfer.escalated": "Eskalasi: tenggat terlewati",
}
VOTE = {
    "recommend": "Rekomendasikan",
    "not_recommend": "Tidak rekomendasikan",
    "abstain": "Abstain",
}
OUTCOME = {
    "recommended": "Direkomendasikan",
    "not_recommended": "Tidak direkomendasikan",
    "deferred": "Ditunda",
}
POSITION_KIND = {
    "JPT": "Pimpinan tinggi",
    "administrator": "Administrator",
    "pengawas": "Pengawas",
    "pelaksana": "Pelaksana",
    "fungsional": "Fungsional",
}
RULE = {
    "R1": "Jabatan tujuan ada di unit tujuan dan lowong",
    "R2": "Paling singkat 2 tahun pada jabatan sekarang",
    "R3": "Paling lama 5 tahun pada satu jabatan (rotasi)",
    "R4": "Tidak sedang menjalani hukuman disiplin",
    "R5": "Pendidikan dan kompetensi sesuai jabatan",
    "R6": "Predikat SKP paling rendah Baik 2 tahun terakhir",
    "R7": "Tidak ada konflik kepentingan",
    "R8": "Hanya satu usulan mutasi berjalan per pegawai",
    "R9": "Tidak dalam masa larangan mutasi (pilkada/pelantikan)",
    "R10": "Dokumen persyaratan lengkap",
}
PERFORMANCE = {
    "very_good": "Sangat Baik",
    "good": "Baik",
    "needs_improvement": "Butuh Perbaikan",
    "poor": "Kurang",
    "very_poor": "Sangat Kurang",
}
