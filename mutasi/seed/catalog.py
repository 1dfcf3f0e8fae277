"""Static reference data for the demo seed: the five governments, their units and positions.

Units are the usual regional agencies (OPD). Positions follow Permenpan naming: structural
heads, `… Ahli Pertama/Muda` and `… Terampil` for functional posts, plain names for pelaksana.
Every position named in the sample SIMPEG export exists here under the same unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

COMPETENCIES = {
    "lead": "Kepemimpinan", "gov": "Manajemen Pemerintahan", "pub": "Pelayanan Publik",
    "fin": "Pengelolaan Keuangan", "data": "Analisis Data", "it": "Teknologi Informasi",
    "hlth": "Pelayanan Kesehatan", "pubh": "Kesehatan Masyarakat",
    "edu": "Pendidikan dan Pengajaran", "trans": "Transportasi",
    "pop": "Administrasi Kependudukan", "hr": "Manajemen SDM", "plan": "Perencanaan",
    "law": "Hukum dan Regulasi", "audit": "Audit dan Pengawasan", "comm": "Komunikasi",
    "civil": "Teknik Sipil", "env": "Lingkungan Hidup", "soc": "Pelayanan Sosial",
    "order": "Ketertiban Umum", "admin": "Administrasi Perkantoran", "asset": "Pengelolaan Aset",
}  # fmt: skip

FIELDS = {
    "health": ("Kedokteran", "Keperawatan", "Kebidanan", "Farmasi", "Kesehatan Masyarakat"),
    "edu": ("Pendidikan Matematika", "Pendidikan Bahasa Indonesia", "Pendidikan Guru SD",
            "Pendidikan Bahasa Inggris"),
    "it": ("Teknik Informatika", "Sistem Informasi", "Ilmu Komputer"),
    "fin": ("Akuntansi", "Manajemen", "Ekonomi Pembangunan"),
    "hr": ("Manajemen SDM", "Psikologi", "Administrasi Negara"),
    "law": ("Ilmu Hukum",),
    "gov": ("Ilmu Pemerintahan", "Administrasi Negara"),
    "eng": ("Teknik Sipil", "Arsitektur", "Perencanaan Wilayah dan Kota"),
    "env": ("Teknik Lingkungan", "Biologi"),
    "soc": ("Kesejahteraan Sosial", "Sosiologi"),
    "comm": ("Ilmu Komunikasi",),
    "stat": ("Statistika",),
    "trans": ("Transportasi", "Teknik Mesin"),
    "school": ("IPA", "IPS"),
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class PositionTemplate:
    name: str
    kind: str  # PositionKind value
    class_: int  # kelas jabatan
    level: str | None  # required EducationLevel value
    fields: str  # space-separated FIELDS keys
    competencies: str  # "key:level key:level"
    base_needed: int  # relative headcount before scaling to the seed size


def _p(name: str, kind: str, class_: int, level: str | None, fields: str, comps: str,
       needed: int = 1) -> PositionTemplate:  # fmt: skip
    kinds = {"F": "fungsional", "P": "pelaksana", "S": "pengawas", "A": "administrator"}
    return PositionTemplate(name, kinds.get(kind, kind), class_, level, fields, comps, needed)


@dataclass(frozen=True, slots=True)
class UnitTemplate:
    code: str
    name: str
    head: str  # title of the head position
    domain: str  # FIELDS key of the unit's main field
    divisions: tuple[str, str]  # two bidang/bagian headed by administrators
    positions: tuple[PositionTemplate, ...]


def _u(code: str, name: str, domain: str, divisions: tuple[str, str],
       *positions: PositionTemplate, head: str | None = None) -> UnitTemplate:  # fmt: skip
    return UnitTemplate(code, name, head or f"Kepala {name}", domain, divisions, positions)


UNITS: tuple[UnitTemplate, ...] = (
    _u("setda", "Sekretariat Daerah", "gov", ("Bagian Hukum", "Bagian Organisasi"),
       _p("Analis Kebijakan Ahli Muda", "F", 10, "S1", "gov law", "gov:3 data:3 law:2", 4),
       _p("Perancang Peraturan Perundang-undangan Ahli Pertama", "F", 9, "S1", "law",
          "law:3 gov:2", 3),
       _p("Pengadministrasi Perkantoran", "P", 6, "SMA", "", "admin:2", 10),
       head="Sekretaris Daerah"),
    _u("inspektorat", "Inspektorat", "fin", ("Inspektur Pembantu I", "Inspektur Pembantu II"),
       _p("Auditor Ahli Pertama", "F", 9, "S1", "fin law", "audit:3 fin:3", 8),
       _p("Auditor Ahli Muda", "F", 10, "S1", "fin law", "audit:4 fin:3", 4),
       _p("Pengawas Penyelenggaraan Urusan Pemerintahan di Daerah Ahli Pertama", "F", 9,
          "S1", "gov law", "audit:3 gov:3", 4),
       head="Inspektur"),
    _u("dinkes", "Dinas Kesehatan", "health",
       ("Bidang Pelayanan Kesehatan", "Bidang Kesehatan Masyarakat"),
       _p("Dokter Ahli Pertama", "F", 9, "S1", "health", "hlth:3 pubh:2", 10),
       _p("Dokter Ahli Muda", "F", 11, "S1", "health", "hlth:4 pubh:3", 6),
       _p("Perawat Ahli Pertama", "F", 8, "S1", "health", "hlth:3", 20),
       _p("Perawat Terampil", "F", 7, "D3", "health", "hlth:2", 24),
       _p("Bidan Terampil", "F", 7, "D3", "health", "hlth:2 pubh:2", 16),
       _p("Apoteker Ahli Pertama", "F", 9, "S1", "health", "hlth:3", 5),
       _p("Epidemiolog Kesehatan Ahli Pertama", "F", 9, "S1", "health stat", "pubh:3 data:3", 4),
       _p("Pengelola Data Kesehatan", "P", 6, "D3", "health it", "data:2 it:2", 6)),
    _u("disdikbud", "Dinas Pendidikan dan Kebudayaan", "edu",
       ("Bidang Pembinaan SD", "Bidang Kebudayaan"),
       _p("Guru Ahli Pertama", "F", 8, "S1", "edu", "edu:3", 60),
       _p("Guru Ahli Muda", "F", 9, "S1", "edu", "edu:4", 40),
       _p("Pengawas Sekolah Ahli Muda", "F", 10, "S1", "edu", "edu:4 audit:3", 8),
       _p("Analis Kurikulum", "P", 7, "S1", "edu", "edu:3 data:2", 8),
       _p("Pamong Budaya Ahli Pertama", "F", 8, "S1", "edu soc", "pub:2 comm:2", 4),
       _p("Pengelola Data Pendidikan", "P", 6, "D3", "edu it", "data:2 it:2", 6)),
    _u("dishub", "Dinas Perhubungan", "trans", ("Bidang Angkutan", "Bidang Lalu Lintas"),
       _p("Penguji Kendaraan Bermotor Terampil", "F", 7, "SMA", "trans school", "trans:3", 8),
       _p("Penguji Kendaraan Bermotor Ahli Pertama", "F", 8, "S1", "trans", "trans:3 data:2", 3),
       _p("Kepala Seksi Angkutan", "S", 9, "S1", "trans gov", "trans:3 lead:2"),
       _p("Analis Transportasi", "P", 7, "S1", "trans eng", "trans:3 plan:2", 4),
       _p("Pengatur Lalu Lintas", "P", 5, "SMA", "", "trans:2 order:2", 12)),
    _u("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "it",
       ("Bidang Pelayanan Pendaftaran Penduduk", "Bidang Pencatatan Sipil"),
       _p("Administrator Database Kependudukan", "P", 7, "D3", "it", "it:3 pop:3", 5),
       _p("Pengadministrasi Kependudukan", "P", 6, "SMA", "", "pop:2 pub:2", 16),
       _p("Pranata Komputer Ahli Pertama", "F", 8, "S1", "it", "it:3 data:2", 4),
       _p("Pranata Komputer Terampil", "F", 7, "D3", "it", "it:2", 4)),
    _u("bpkad", "Badan Pengelolaan Keuangan dan Aset Daerah", "fin",
       ("Bidang Anggaran", "Bidang Aset"),
       _p("Analis Keuangan", "P", 7, "S1", "fin", "fin:3 data:2", 8),
       _p("Bendahara", "P", 6, "D3", "fin", "fin:3", 8),
       _p("Pengelola Barang Milik Daerah", "P", 6, "D3", "fin eng", "asset:3", 6),
       _p("Analis Pengelolaan Keuangan APBD Ahli Pertama", "F", 9, "S1", "fin",
          "fin:4 plan:2", 4),
       _p("Penata Laporan Keuangan", "P", 7, "S1", "fin", "fin:3 data:2", 6)),
    _u("bkpsdm", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "hr",
       ("Bidang Mutasi dan Promosi", "Bidang Pengembangan Kompetensi"),
       _p("Pengelola Data Kepegawaian", "P", 6, "SMA", "hr it", "hr:2 data:2", 10),
       _p("Analis Sumber Daya Manusia Aparatur Ahli Pertama", "F", 9, "S1", "hr gov",
          "hr:3 data:2", 5),
       _p("Analis Sumber Daya Manusia Aparatur Ahli Muda", "F", 10, "S1", "hr gov",
          "hr:4 data:3", 3),
       _p("Pranata Sumber Daya Manusia Aparatur Terampil", "F", 7, "D3", "hr", "hr:2 admin:2", 4),
       _p("Asesor Sumber Daya Manusia Aparatur Ahli Pertama", "F", 9, "S1", "hr", "hr:3", 2)),
    _u("bappeda", "Badan Perencanaan Pembangunan Daerah", "eng",
       ("Bidang Perencanaan Ekonomi", "Bidang Infrastruktur dan Kewilayahan"),
       _p("Perencana Ahli Pertama", "F", 9, "S1", "eng fin gov", "plan:3 data:3", 6),
       _p("Perencana Ahli Muda", "F", 10, "S2", "eng fin gov", "plan:4 data:3", 3),
       _p("Statistisi Ahli Pertama", "F", 9, "S1", "stat", "data:4", 3)),
    _u("dinsos", "Dinas Sosial", "soc", ("Bidang Rehabilitasi Sosial", "Bidang Perlindungan"),
       _p("Pekerja Sosial Ahli Pertama", "F", 8, "S1", "soc", "soc:3 pub:2", 8),
       _p("Penyuluh Sosial Ahli Pertama", "F", 8, "S1", "soc comm", "soc:2 comm:3", 4),
       _p("Pengelola Data Bantuan Sosial", "P", 6, "D3", "soc it", "data:2 soc:2", 5)),
    _u("dpupr", "Dinas Pekerjaan Umum dan Penataan Ruang", "eng",
       ("Bidang Bina Marga", "Bidang Penataan Ruang"),
       _p("Teknik Jalan dan Jembatan Ahli Pertama", "F", 9, "S1", "eng", "civil:3", 8),
       _p("Penata Ruang Ahli Pertama", "F", 9, "S1", "eng", "plan:3 civil:2", 4),
       _p("Pengawas Lapangan Pekerjaan Konstruksi", "P", 6, "D3", "eng", "civil:2", 8)),
    _u("dlh", "Dinas Lingkungan Hidup", "env", ("Bidang Pengendalian Pencemaran",
                                               "Bidang Pengelolaan Sampah"),
       _p("Pengendali Dampak Lingkungan Ahli Pertama", "F", 9, "S1", "env", "env:3", 6),
       _p("Pengawas Lingkungan Hidup Ahli Pertama", "F", 9, "S1", "env law", "env:3 audit:2", 3),
       _p("Pengelola Persampahan", "P", 5, "SMA", "", "env:2", 14)),
    _u("diskominfo", "Dinas Komunikasi dan Informatika", "it",
       ("Bidang Aplikasi Informatika", "Bidang Informasi dan Komunikasi Publik"),
       _p("Pranata Komputer Ahli Pertama", "F", 8, "S1", "it", "it:3 data:2", 6),
       _p("Pranata Hubungan Masyarakat Ahli Pertama", "F", 8, "S1", "comm", "comm:3", 4),
       _p("Statistisi Terampil", "F", 7, "D3", "stat it", "data:3", 3)),
    _u("satpolpp", "Satuan Polisi Pamong Praja", "law",
       ("Bidang Penegakan Peraturan Daerah", "Bidang Ketertiban Umum"),
       _p("Polisi Pamong Praja Terampil", "F", 6, "SMA", "", "order:3", 30),
       _p("Polisi Pamong Praja Ahli Pertama", "F", 8, "S1", "law gov", "order:3 law:2", 5)),
)  # fmt: skip

# Provinces have no Disdukcapil of their own, and call their HR agency BKD.
PROVINCE_SKIPS = {"disdukcapil"}
PROVINCE_RENAMES = {"bkpsdm": "Badan Kepegawaian Daerah"}


@dataclass(frozen=True, slots=True)
class TenantProfile:
    slug: str
    name: str
    kind: str
    province: str
    seat: str  # city of the government's offices
    cities: tuple[str, ...]  # where its employees live
    head_inaugurated_on: date | None  # None: set relative to the reference date (re-vote)


# Pilkada 2024 winners were inaugurated together on 20 Feb 2025. Bengkulu Selatan's head is
# inaugurated late after a re-vote (PSU), so that one demo government is in the R9 freeze.
NEXT_CANDIDATE_DETERMINATION = date(2029, 9, 22)  # assumed date for the 2029 Pilkada
TENANTS: tuple[TenantProfile, ...] = (
    TenantProfile("kota-sorong", "Kota Sorong", "kota", "Papua Barat Daya", "Kota Sorong",
                  ("Kota Sorong", "Kabupaten Sorong", "Kabupaten Sorong Selatan",
                   "Kabupaten Raja Ampat", "Kabupaten Maybrat"), date(2025, 2, 20)),
    TenantProfile("provinsi-jambi", "Provinsi Jambi", "provinsi", "Jambi", "Kota Jambi",
                  ("Kota Jambi", "Kabupaten Muaro Jambi", "Kabupaten Batang Hari",
                   "Kota Sungai Penuh", "Kabupaten Bungo"), date(2025, 2, 20)),
    TenantProfile("kota-palembang", "Kota Palembang", "kota", "Sumatera Selatan",
                  "Kota Palembang", ("Kota Palembang", "Kabupaten Banyuasin",
                                     "Kabupaten Ogan Ilir", "Kota Prabumulih"),
                  date(2025, 2, 20)),
    TenantProfile("kabupaten-bengkulu-selatan", "Kabupaten Bengkulu Selatan", "kabupaten",
                  "Bengkulu", "Manna", ("Manna", "Kota Bengkulu", "Kabupaten Seluma",
                                        "Kabupaten Kaur"), None),
    TenantProfile("kota-medan", "Kota Medan", "kota", "Sumatera Utara", "Kota Medan",
                  ("Kota Medan", "Kabupaten Deli Serdang", "Kota Binjai",
                   "Kabupaten Langkat"), date(2025, 2, 20)),
)  # fmt: skip
