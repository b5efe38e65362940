"""Closed vocabularies of the domain (codes as they appear in files, the database and plan.json)."""

from __future__ import annotations

FORCES: tuple[str, ...] = ("polri", "tni", "linmas")

UNIT_LEVELS: tuple[str, ...] = ("polres", "polsek", "kodim", "koramil", "village", "reserve")

PERSONNEL_STATUSES: tuple[str, ...] = ("available", "leave", "sick", "training")

TPS_KINDS: tuple[str, ...] = ("regular", "khusus")

# Vulnerability categories in order of priority (most demanding last).
CATEGORIES: tuple[str, ...] = ("kurang_rawan", "rawan", "sangat_rawan", "khusus")

ELECTION_KINDS: tuple[str, ...] = ("pilkades", "pilkada", "pemilu")

PARTNER_KINDS: tuple[str, ...] = ("kpu", "bawaslu", "pemda", "satpol_pp", "bpbd", "other")

# Indonesia's rough bounding box (Sabang to Merauke, Miangas to Rote), with a small margin.
INDONESIA_LAT = (-11.5, 6.5)
INDONESIA_LON = (94.5, 141.5)


def inside_indonesia(lat: float, lon: float) -> bool:
    """True when the point lies inside Indonesia's bounding box."""
    return INDONESIA_LAT[0] <= lat <= INDONESIA_LAT[1] and INDONESIA_LON[0] <= lon <= INDONESIA_LON[1]
