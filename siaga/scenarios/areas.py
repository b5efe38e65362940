"""Real administrative areas shipped with Siaga (villages, kecamatan extents) and point placement.

Names and Kemendagri codes in ``data/villages.csv`` are real; kecamatan centres and radii in
``data/extents.csv`` are hand-estimated approximations used only to place synthetic points.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

KM_PER_DEG_LAT = 110.574
GOLDEN_ANGLE = math.pi * (3.0 - math.sqrt(5.0))


@dataclass(frozen=True, slots=True)
class Village:
    code: str  # dotted, "35.71.01.1001"
    name: str
    district_code: str
    district_name: str
    regency_code: str
    regency_name: str

    @property
    def plain(self) -> str:
        """The code without dots, as used in TPS and Linmas ids."""
        return self.code.replace(".", "")

    @property
    def is_desa(self) -> bool:
        return self.code[-4] == "2"


@dataclass(frozen=True, slots=True)
class Extent:
    """A circle standing in for a kecamatan: centre and radius (hand-estimated)."""

    district_code: str
    district_name: str
    lat: float
    lon: float
    radius_km: float

    def distance_km(self, lat: float, lon: float) -> float:
        return km_between(self.lat, self.lon, lat, lon)

    def contains(self, lat: float, lon: float) -> bool:
        return self.distance_km(lat, lon) <= self.radius_km + 1e-6


def _rows(filename: str) -> list[dict[str, str]]:
    text = resources.files("siaga.scenarios").joinpath("data", filename).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(lines))


@cache
def villages() -> tuple[Village, ...]:
    """Every shipped village, in Kemendagri code order within each kecamatan."""
    return tuple(Village(r["village_code"], r["village_name"], r["district_code"], r["district_name"],
                         r["regency_code"], r["regency_name"]) for r in _rows("villages.csv"))


@cache
def extents() -> dict[str, Extent]:
    """Kecamatan extents by district code."""
    out = {}
    for row in _rows("extents.csv"):
        out[row["district_code"]] = Extent(row["district_code"], row["district_name"], float(row["lat"]),
                                           float(row["lon"]), float(row["radius_km"]))
    return out


def villages_of(district_code: str) -> list[Village]:
    found = [v for v in villages() if v.district_code == district_code]
    if not found:
        raise ValueError(f"kecamatan {district_code} tidak ada di data wilayah Siaga")
    return found


def district_code_by_name(regency_code: str, name: str) -> str:
    for v in villages():
        if v.regency_code == regency_code and v.district_name == name:
            return v.district_code
    raise ValueError(f"kecamatan {name!r} tidak ada di {regency_code}")


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def offset(lat: np.ndarray | float, lon: np.ndarray | float, north_km, east_km):
    """Move points by km north/east (small distances, flat approximation)."""
    lat2 = lat + np.asarray(north_km) / KM_PER_DEG_LAT
    lon2 = lon + np.asarray(east_km) / (111.320 * np.cos(np.radians(lat)))
    return lat2, lon2


def spread_in_disc(n: int, radius_km: float, rng: np.random.Generator, jitter: float = 0.25):
    """``n`` points spread evenly over a disc (sunflower layout plus jitter), as km offsets.

    Even spreading keeps villages of one kecamatan from piling up, which a uniform draw does.
    Every point stays within ``radius_km`` of the centre.
    """
    if n <= 0:
        return np.zeros(0), np.zeros(0)
    i = np.arange(n)
    r = radius_km * np.sqrt((i + 0.5) / n)
    theta = i * GOLDEN_ANGLE + rng.uniform(0, 2 * np.pi)
    north, east = r * np.cos(theta), r * np.sin(theta)
    step = radius_km / max(1.0, math.sqrt(n))
    north = north + rng.normal(0, jitter * step, n)
    east = east + rng.normal(0, jitter * step, n)
    dist = np.hypot(north, east)
    scale = np.where(dist > radius_km, radius_km / np.maximum(dist, 1e-12), 1.0)
    return north * scale, east * scale


def scatter_around(n: int, radius_km: float, rng: np.random.Generator):
    """``n`` points uniformly in a disc of ``radius_km`` (km offsets), e.g. TPS around a village centre."""
    r = radius_km * np.sqrt(rng.uniform(0, 1, n))
    theta = rng.uniform(0, 2 * np.pi, n)
    return r * np.cos(theta), r * np.sin(theta)
