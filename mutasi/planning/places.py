"""Where people live and units work, and how far apart: a small gazetteer and great-circle km.

`gazetteer.csv` holds the seat of each regency/city (kabupaten/kota) of the five demo regions
and their neighbours, with approximate coordinates of the seat (good to a few km: enough for
distance bands of 25 km and more). A place is found by its full name ("Kabupaten Bungo"), by
the name without "Kabupaten"/"Kota" ("Bungo") or by its seat ("Muara Bungo", "Manna"). A unit
may carry its own coordinates (imported or set by BKPSDM), which win over its city's.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from mutasi.domain.naming import normalise_name

EARTH_RADIUS_KM = 6371.0
_SEATS = {
    "Muara Bungo": "Kabupaten Bungo",
    "Sengeti": "Kabupaten Muaro Jambi",
    "Muara Bulian": "Kabupaten Batang Hari",
    "Muara Tebo": "Kabupaten Tebo",
    "Bangko": "Kabupaten Merangin",
    "Siulak": "Kabupaten Kerinci",
    "Muara Sabak": "Kabupaten Tanjung Jabung Timur",
    "Kuala Tungkal": "Kabupaten Tanjung Jabung Barat",
    "Aimas": "Kabupaten Sorong",
    "Teminabuan": "Kabupaten Sorong Selatan",
    "Waisai": "Kabupaten Raja Ampat",
    "Kumurkek": "Kabupaten Maybrat",
    "Pangkalan Balai": "Kabupaten Banyuasin",
    "Indralaya": "Kabupaten Ogan Ilir",
    "Kayu Agung": "Kabupaten Ogan Komering Ilir",
    "Manna": "Kabupaten Bengkulu Selatan",
    "Tais": "Kabupaten Seluma",
    "Bintuhan": "Kabupaten Kaur",
    "Lubuk Pakam": "Kabupaten Deli Serdang",
    "Stabat": "Kabupaten Langkat",
}


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    province: str
    latitude: float
    longitude: float


@cache
def _places() -> dict[str, Place]:
    path = Path(__file__).with_name("gazetteer.csv")
    with path.open(encoding="utf-8") as f:
        rows = [
            Place(r["name"], r["province"], float(r["latitude"]), float(r["longitude"]))
            for r in csv.DictReader(f)
        ]
    found: dict[str, Place] = {}
    for place in rows:
        found[normalise_name(place.name)] = place
        short = place.name.removeprefix("Kabupaten ").removeprefix("Kota ")
        found.setdefault(normalise_name(short), place)
    by_name = {p.name: p for p in rows}
    for seat, name in _SEATS.items():
        found.setdefault(normalise_name(seat), by_name[name])
    return found


def locate(name: str | None) -> Place | None:
    """The place a person or unit names, or None if the gazetteer does not know it."""
    if not name or not name.strip():
        return None
    return _places().get(normalise_name(name))


def km_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine) in km between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def km_matrix(origins: NDArray[np.float64], targets: NDArray[np.float64]) -> NDArray[np.float64]:
    """(n, 2) × (m, 2) coordinates → n × m km; a NaN coordinate gives NaN (unknown)."""
    lat1, lon1 = np.radians(origins[:, 0])[:, None], np.radians(origins[:, 1])[:, None]
    lat2, lon2 = np.radians(targets[:, 0])[None, :], np.radians(targets[:, 1])[None, :]
    h = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
