"""What a transfer decree (Surat Keputusan mutasi) says, apart from how it is laid out.

The wording follows the usual shape of a regional head's decree (Permendagri 80/2015 on
regional legal products): heading, Menimbang, Mengingat, MEMUTUSKAN, numbered dictums,
place and date of signing, and the copies (tembusan).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from enum import StrEnum

from mutasi.domain.id_dates import indonesian_date

DECREE_SUBJECT = "MUTASI PEGAWAI NEGERI SIPIL"

# PP 11/2017 jo. PP 17/2020 and Peraturan BKN 5/2019 are the legal basis of every transfer.
DEFAULT_LEGAL_BASES: tuple[str, ...] = (
    "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah sebagaimana telah beberapa "
    "kali diubah, terakhir dengan Undang-Undang Nomor 6 Tahun 2023 tentang Penetapan Peraturan "
    "Pemerintah Pengganti Undang-Undang Nomor 2 Tahun 2022 tentang Cipta Kerja menjadi "
    "Undang-Undang",
    "Undang-Undang Nomor 20 Tahun 2023 tentang Aparatur Sipil Negara",
    "Peraturan Pemerintah Nomor 11 Tahun 2017 tentang Manajemen Pegawai Negeri Sipil "
    "sebagaimana telah diubah dengan Peraturan Pemerintah Nomor 17 Tahun 2020 tentang "
    "Perubahan atas Peraturan Pemerintah Nomor 11 Tahun 2017 tentang Manajemen Pegawai "
    "Negeri Sipil",
    "Peraturan Badan Kepegawaian Negara Nomor 5 Tahun 2019 tentang Tata Cara Pelaksanaan Mutasi",
)

DICTUM_ORDINALS = ("KESATU", "KEDUA", "KETIGA", "KEEMPAT", "KELIMA", "KEENAM", "KETUJUH")


class DecreeAuthority(StrEnum):
    """Who signs the decree (PP 11/2017 Pasal 191–193)."""

    MAYOR = "mayor"  # Wali Kota: within a city
    REGENT = "regent"  # Bupati: within a regency
    GOVERNOR = "governor"  # within a province, or between its kabupaten/kota
    HOME_AFFAIRS_MINISTER = "home_affairs_minister"  # between provinces


_TITLES = {
    DecreeAuthority.MAYOR: ("Wali Kota", "Kota"),
    DecreeAuthority.REGENT: ("Bupati", "Kabupaten"),
    DecreeAuthority.GOVERNOR: ("Gubernur", "Provinsi"),
    DecreeAuthority.HOME_AFFAIRS_MINISTER: ("Menteri Dalam Negeri", ""),
}


@dataclass(frozen=True, slots=True)
class DecreeContent:
    """Everything printed on one employee's transfer decree."""

    decree_number: str
    authority: DecreeAuthority
    region_name: str  # "Sorong", "Bengkulu Selatan", "Jambi"; ignored for the Minister
    employee_name: str
    nip: str
    grade: str  # pangkat/golongan ruang, e.g. "Penata Muda Tingkat I, III/b"
    origin_position: str
    origin_unit: str
    target_position: str
    target_unit: str
    effective_date: date  # TMT
    signing_place: str  # "Sorong", "Manna", "Jakarta"
    signing_date: date
    signer_name: str  # the office holder's name, printed once under the office
    reasons: tuple[str, ...] = ()
    signer_nip: str | None = None  # elected heads and ministers have none
    # The governments each unit belongs to, printed when they differ (between governments).
    origin_government: str = ""
    target_government: str = ""
    noted: tuple[str, ...] = ()  # Memperhatikan: the meeting's minutes, consent, pertek
    province_name: str | None = None  # printed under a mayor's or regent's title
    extra_legal_bases: tuple[str, ...] = ()  # e.g. the tenant's Perda on its agencies
    copies: tuple[str, ...] = ()  # tembusan; a sensible list is derived when empty
    incentives: tuple[str, ...] = ()  # the government's incentive policy for this posting

    def __post_init__(self) -> None:
        for name in ("reasons", "extra_legal_bases", "copies", "noted"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        object.__setattr__(self, "authority", DecreeAuthority(self.authority))
        optional = {
            "region_name", "province_name", "reasons", "extra_legal_bases", "copies", "noted",
            "origin_government", "target_government",
        }  # fmt: skip
        if self.authority is not DecreeAuthority.HOME_AFFAIRS_MINISTER:
            optional.discard("region_name")
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in optional}
        empty = [name for name, v in values.items() if isinstance(v, str) and not v.strip()]
        if empty:
            raise ValueError(f"Isi SK belum lengkap: {', '.join(empty)} wajib diisi.")

    @property
    def office(self) -> str:
        """`Wali Kota Sorong`, `Menteri Dalam Negeri Republik Indonesia`."""
        title, _ = _TITLES[self.authority]
        if self.authority is DecreeAuthority.HOME_AFFAIRS_MINISTER:
            return f"{title} Republik Indonesia"
        return f"{title} {self.region_name.strip()}"

    @property
    def decree_kind(self) -> str:
        """`Keputusan Wali Kota` as the decree refers to itself in its own text."""
        return f"Keputusan {_TITLES[self.authority][0]}"

    @property
    def government(self) -> str | None:
        """`Pemerintah Kota Sorong`; None for the Minister, who acts for no region."""
        _, kind = _TITLES[self.authority]
        return f"Pemerintah {kind} {self.region_name.strip()}" if kind else None

    @property
    def effective_date_text(self) -> str:
        return indonesian_date(self.effective_date)


def considerations(c: DecreeContent) -> list[tuple[str, list[str]]]:
    """Menimbang: lettered clauses, the first listing the reasons of the move."""
    scope = f" di lingkungan {c.government}" if c.government else " antarprovinsi"
    first = (
        "bahwa dalam rangka pembinaan karier, pemenuhan kebutuhan organisasi dan pemerataan "
        f"Pegawai Negeri Sipil{scope}, perlu dilakukan mutasi Pegawai Negeri Sipil"
    )
    reasons = [_clause(r) for r in c.reasons if r.strip()]
    first += " dengan pertimbangan sebagai berikut:" if reasons else ";"
    return [
        (first, reasons),
        (
            "bahwa Pegawai Negeri Sipil yang namanya tercantum dalam Diktum KESATU telah "
            "memenuhi persyaratan untuk dimutasikan sesuai dengan ketentuan peraturan "
            "perundang-undangan;",
            [],
        ),
        (
            "bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a dan huruf b, "
            f"perlu menetapkan {c.decree_kind} tentang Mutasi Pegawai Negeri Sipil;",
            [],
        ),
    ]


def legal_bases(c: DecreeContent) -> list[str]:
    """Mengingat: each basis ends with a semicolon, as legal drafting requires."""
    return [_clause(b) for b in (*DEFAULT_LEGAL_BASES, *c.extra_legal_bases) if b.strip()]


def noted(c: DecreeContent) -> list[str]:
    """Memperhatikan: what the decision rests on besides the law (meeting, consent, pertek)."""
    return [_clause(n) for n in c.noted if n.strip()]


def transfer_particulars(c: DecreeContent) -> list[tuple[str, str]]:
    """The table in Diktum KESATU; between governments each unit names its government."""
    between = c.origin_government.strip() != c.target_government.strip()
    origin_unit = f"{c.origin_unit}, {c.origin_government}" if between else c.origin_unit
    target_unit = f"{c.target_unit}, {c.target_government}" if between else c.target_unit
    return [
        ("Nama", c.employee_name),
        ("NIP", c.nip),
        ("Pangkat/Golongan Ruang", c.grade),
        ("Jabatan Lama", c.origin_position),
        ("Unit Kerja Lama", origin_unit),
        ("Jabatan Baru", c.target_position),
        ("Unit Kerja Baru", target_unit),
        ("Terhitung Mulai Tanggal", c.effective_date_text),
    ]


def dictums(c: DecreeContent) -> list[tuple[str, str]]:
    """(ordinal, text); KESATU is followed by `transfer_particulars`."""
    texts = [
        "Memindahkan Pegawai Negeri Sipil sebagaimana tersebut di bawah ini:",
        "Pegawai Negeri Sipil sebagaimana dimaksud dalam Diktum KESATU melaksanakan tugas pada "
        f"jabatan dan unit kerja yang baru terhitung mulai tanggal {c.effective_date_text} dan "
        "kepadanya diberikan hak kepegawaian sesuai dengan ketentuan peraturan "
        "perundang-undangan.",
        *_incentives(c),
        "Segala biaya yang timbul sebagai akibat ditetapkannya Keputusan ini dibebankan pada "
        "anggaran sesuai dengan ketentuan peraturan perundang-undangan.",
        "Apabila di kemudian hari terdapat kekeliruan dalam Keputusan ini, akan diadakan "
        "perbaikan sebagaimana mestinya.",
        "Keputusan ini mulai berlaku pada tanggal ditetapkan.",
    ]
    return list(zip(DICTUM_ORDINALS, texts, strict=False))


def _incentives(c: DecreeContent) -> list[str]:
    """A dictum granting the posting's incentives, if it earns any."""
    if not c.incentives:
        return []
    granted = "; ".join(f"{chr(ord('a') + k)}. {item}" for k, item in enumerate(c.incentives))
    return [
        "Kepada Pegawai Negeri Sipil sebagaimana dimaksud dalam Diktum KESATU diberikan "
        f"fasilitas dan tunjangan sesuai kebijakan insentif pemerintah daerah: {granted}."
    ]


def copies(c: DecreeContent) -> list[str]:
    """Tembusan: the tenant's own list, or BKN, both unit heads and the employee."""
    if c.copies:
        return _enumeration(list(c.copies))
    units = dict.fromkeys((c.origin_unit.strip(), c.target_unit.strip()))  # once if equal
    recipients = [
        "Kepala Badan Kepegawaian Negara",
        *(f"Kepala {u}" for u in units),
        "Pegawai Negeri Sipil yang bersangkutan",
    ]
    return _enumeration(recipients)


def _clause(text: str) -> str:
    return text.strip().rstrip(".;,") + ";"


def _enumeration(items: list[str]) -> list[str]:
    # An enumeration ends with a full stop, its other items with a semicolon.
    items = [_clause(x) for x in items if x.strip()]
    if items:
        items[-1] = items[-1][:-1] + "."
    return items
