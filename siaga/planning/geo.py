"""Distances on the Earth, vectorised with numpy.

Great-circle (haversine) km is the reported distance, times ``road_factor``. Clustering inside
one area uses a local flat projection (km east/north of the area's centre), which is exact
enough over a few kilometres. Nearest-neighbour searches over a whole region use points on the
unit sphere, where straight-line (chord) order equals great-circle order.
"""

from __future__ import annotations

import numpy as np

EARTH_RADIUS_KM = 6371.0088
_RAD = np.pi / 180.0


def haversine_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle distance in km between points (arrays broadcast)."""
    p1 = np.multiply(lat1, _RAD, dtype=float)
    p2 = np.multiply(lat2, _RAD, dtype=float)
    dl = np.multiply(np.subtract(lon2, lon1, dtype=float), _RAD)
    a = np.sin((p2 - p1) * 0.5) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl * 0.5) ** 2
    return (2.0 * EARTH_RADIUS_KM) * np.arcsin(np.sqrt(np.minimum(a, 1.0)))


def local_xy(lat, lon, lat0: float, lon0: float) -> np.ndarray:
    """Project to km east (x) and north (y) of (lat0, lon0); shape (n, 2)."""
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    k = np.pi / 180.0 * EARTH_RADIUS_KM
    x = (lon - lon0) * k * np.cos(np.radians(lat0))
    y = (lat - lat0) * k
    return np.column_stack([x, y])


def unit_xyz(lat, lon) -> np.ndarray:
    """Points on the unit sphere; shape (n, 3)."""
    p = np.radians(np.asarray(lat, dtype=float))
    lam = np.radians(np.asarray(lon, dtype=float))
    c = np.cos(p)
    return np.column_stack([c * np.cos(lam), c * np.sin(lam), np.sin(p)])


def chord_for_km(km: float) -> float:
    """Chord length on the unit sphere matching a great-circle distance in km."""
    angle = min(km / EARTH_RADIUS_KM, np.pi)
    return float(2.0 * np.sin(angle / 2.0))


def km_from_chord(chord) -> np.ndarray:
    """Great-circle km matching chord lengths on the unit sphere."""
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.clip(np.asarray(chord, dtype=float) / 2.0, 0.0, 1.0))
