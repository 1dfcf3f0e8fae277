"""Name pools for the demo seed, by region: local names plus the usual migrants' names.

Javanese-style names have no family name; Papuan, Batak and Minahasan names carry one.
"""

from __future__ import annotations

import random

_FIRST = {
    "L": ("Agus", "Ahmad", "Andi", "Budi", "Dedi", "Eko", "Fajar", "Hendra", "Irwan", "Joko",
          "Muhammad", "Rahmat", "Rudi", "Slamet", "Teguh", "Wahyu", "Yusuf", "Zulkifli",
          "Arif", "Bambang", "Dimas", "Fikri", "Hasan", "Iqbal", "Rizky", "Syahrial"),
    "P": ("Ani", "Dewi", "Dian", "Fitri", "Indah", "Lestari", "Maya", "Nurul", "Putri", "Rina",
          "Sari", "Siti", "Sri", "Wulan", "Yuni", "Ratna", "Desi", "Intan", "Nadia", "Rahma",
          "Citra", "Eka", "Laila", "Mega", "Novi", "Tuti"),
}  # fmt: skip
_SECOND = {
    "L": ("Pratama", "Saputra", "Hidayat", "Santoso", "Wijaya", "Kurniawan", "Nugroho",
          "Setiawan", "Maulana", "Ramadhan", "Firmansyah", "Kusuma", "Hakim", "Gunawan"),
    "P": ("Rahmawati", "Handayani", "Permata", "Anggraini", "Susanti", "Wahyuni", "Puspita",
          "Utami", "Kusuma", "Lestari", "Safitri", "Maharani", "Oktaviani", "Novitasari"),
}  # fmt: skip
_CHRISTIAN = {
    "L": ("Yohanes", "Agustinus", "Fransiskus", "Petrus", "Markus", "Hendrik", "Daniel",
          "Samuel", "Yakob", "Paulus", "Robert", "Stefanus", "Yosua", "Matius"),
    "P": ("Maria", "Yuliana", "Elisabeth", "Yosephina", "Agnes", "Martha", "Ribka", "Debora",
          "Lidya", "Yohana", "Kristina", "Magdalena", "Theresia", "Veronika"),
}  # fmt: skip
_PAPUAN = ("Kambu", "Wanma", "Rumbiak", "Mambrasar", "Sawaki", "Manufandu", "Kareth",
           "Ansaka", "Fonataba", "Mandacan", "Rumbekwan", "Howay", "Kalami", "Malibela",
           "Sapisa", "Ayamiseba", "Kondjol", "Salosa", "Kbarek", "Wamafma")  # fmt: skip
_BATAK = ("Siregar", "Nasution", "Lubis", "Harahap", "Sitorus", "Simanjuntak", "Tambunan",
          "Sembiring", "Ginting", "Tarigan", "Purba", "Damanik", "Pardede", "Hutapea",
          "Situmorang", "Panjaitan")  # fmt: skip
_MALAY_PREFIX = {
    "L": ("Muhammad", "Ahmad", "Syafri", "Herman", "Rustam", "Gusnadi", "Effendi"),
    "P": ("Nurhayati", "Rosmaini", "Yusnani", "Elvi", "Nurlela", "Asmawati"),
}

# Share of each naming tradition per government (the rest: Javanese/Malay style).
_MIX = {
    "kota-sorong": (("papuan", 0.55), ("batak", 0.05)),
    "kota-medan": (("batak", 0.55),),
    "provinsi-jambi": (("malay", 0.45), ("batak", 0.05)),
    "kota-palembang": (("malay", 0.4), ("batak", 0.05)),
    "kabupaten-bengkulu-selatan": (("malay", 0.5),),
}


def person_name(rng: random.Random, tenant_slug: str, gender: str) -> str:
    roll, tradition = rng.random(), "javanese"
    for name, share in _MIX.get(tenant_slug, ()):
        if roll < share:
            tradition = name
            break
        roll -= share
    if tradition == "papuan":
        return f"{rng.choice(_CHRISTIAN[gender])} {rng.choice(_PAPUAN)}"
    if tradition == "batak":
        # Batak women often write "Br." (boru) before their clan name.
        clan = rng.choice(_BATAK)
        given = rng.choice(_CHRISTIAN[gender] + _FIRST[gender])
        return f"{given} Br. {clan}" if gender == "P" and rng.random() < 0.4 else f"{given} {clan}"
    if tradition == "malay":
        return f"{rng.choice(_MALAY_PREFIX[gender])} {rng.choice(_SECOND[gender])}"
    return f"{rng.choice(_FIRST[gender])} {rng.choice(_SECOND[gender])}"
