"""Shared builders for the shipped scenarios: splitting totals, placing villages and TPS inside the
(hand-estimated) kecamatan extents, and making the Polsek/Koramil/Linmas units of real areas."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from siaga.formats.records import IndicatorRecord, TPSRecord, UnitRecord
from siaga.scenarios.areas import Village, extents, offset, scatter_around, spread_in_disc


def split_total(total: int, weights: Sequence[float], lo: int, hi: int) -> list[int]:
    """Integers in [lo, hi] proportional to ``weights`` that sum exactly to ``total``.

    Largest-remainder rounding, then one-by-one moves toward the proportional share while keeping
    the bounds; ValueError when the bounds make the total impossible.
    """
    n = len(weights)
    if n == 0:
        if total:
            raise ValueError(f"tidak bisa membagi {total} ke nol bagian")
        return []
    if not n * lo <= total <= n * hi:
        raise ValueError(f"tidak bisa membagi {total} ke {n} bagian dengan batas {lo}..{hi}")
    w = np.asarray(weights, dtype=float)
    ideal = total * w / w.sum()
    out = np.clip(np.floor(ideal).astype(np.int64), lo, hi)
    diff = total - int(out.sum())
    while diff:
        room = (out < hi) if diff > 0 else (out > lo)
        gap = (ideal - out) if diff > 0 else (out - ideal)
        gap = np.where(room, gap, -np.inf)
        k = min(abs(diff), int(room.sum()))
        pick = np.argsort(-gap, kind="stable")[:k]
        out[pick] += 1 if diff > 0 else -1
        diff = total - int(out.sum())
    return out.tolist()


def jittered_weights(n: int, rng: np.random.Generator, sigma: float = 0.35) -> np.ndarray:
    """Positive weights around 1 (log-normal), for 'proportional-ish with jitter' splits."""
    return rng.lognormal(0.0, sigma, n)


def slug(name: str) -> str:
    """Unit-id form of a place name: ``Kayen Kidul`` -> ``KAYEN-KIDUL``."""
    return "-".join(name.upper().replace("-", " ").split())


def place_villages(vills: Sequence[Village], rng: np.random.Generator, fill: float = 0.8):
    """Village centres spread over their kecamatan's extent (within ``fill`` x its radius)."""
    lat = np.zeros(len(vills))
    lon = np.zeros(len(vills))
    by_district: dict[str, list[int]] = {}
    for i, v in enumerate(vills):
        by_district.setdefault(v.district_code, []).append(i)
    for code, idx in by_district.items():
        ext = extents()[code]
        north, east = spread_in_disc(len(idx), fill * ext.radius_km, rng)
        la, lo = offset(ext.lat, ext.lon, north, east)
        lat[idx], lon[idx] = la, lo
    return lat, lon


def tps_spread_km(village: Village) -> float:
    """How far TPS may lie from their village centre so they stay inside the kecamatan extent."""
    return min(0.6, 0.18 * extents()[village.district_code].radius_km)


@dataclass
class TPSPlan:
    """TPS of one village to create: regular count, then khusus ones (numbered after the regular)."""

    village: Village
    regular: int
    khusus: int = 0
    khusus_notes: tuple[str, ...] = ()


def make_tps(plans: Sequence[TPSPlan], v_lat: np.ndarray, v_lon: np.ndarray, voters: Sequence[int],
             rng: np.random.Generator) -> list[TPSRecord]:
    """TPS records near their village centre; ``voters`` gives one count per TPS in order."""
    out: list[TPSRecord] = []
    k = 0
    for i, plan in enumerate(plans):
        n = plan.regular + plan.khusus
        north, east = scatter_around(n, tps_spread_km(plan.village), rng)
        la, lo = offset(v_lat[i], v_lon[i], north, east)
        v = plan.village
        for j in range(n):
            out.append(TPSRecord(
                tps_id=f"{v.plain}-{j + 1:03d}", village_code=v.code, village_name=v.name,
                district_name=v.district_name, regency_name=v.regency_name, number=j + 1,
                voters=int(voters[k]), lat=round(float(la[j]), 6), lon=round(float(lo[j]), 6),
                kind="khusus" if j >= plan.regular else "regular"))
            k += 1
    if k != len(voters):
        raise ValueError(f"jumlah pemilih ({len(voters)}) tidak sama dengan jumlah TPS ({k})")
    return out


def district_hq(district_code: str, vills: Sequence[Village], v_lat: np.ndarray, v_lon: np.ndarray):
    """HQ point of a kecamatan unit: its namesake village (the usual seat), else the extent centre."""
    ext = extents()[district_code]
    for i, v in enumerate(vills):
        if v.district_code == district_code and v.name == ext.district_name:
            return float(v_lat[i]), float(v_lon[i])
    return ext.lat, ext.lon


def area_units(district_codes: Sequence[str], polres_of: dict[str, str], kodim_id: str,
               vills: Sequence[Village], v_lat: np.ndarray, v_lon: np.ndarray, kodim_no: str) -> list[UnitRecord]:
    """One Polsek and one Koramil per kecamatan (serving that kecamatan only)."""
    out: list[UnitRecord] = []
    for code in district_codes:
        name = extents()[code].district_name
        lat, lon = district_hq(code, vills, v_lat, v_lon)
        out.append(UnitRecord(f"POLSEK-{slug(name)}", f"Polsek {name}", "polri", "polsek", polres_of[code],
                              round(lat, 6), round(lon, 6), (name,)))
    for code in district_codes:
        name = extents()[code].district_name
        lat, lon = district_hq(code, vills, v_lat, v_lon)
        la, lo = offset(lat, lon, 0.15, 0.1)
        out.append(UnitRecord(f"KORAMIL-{slug(name)}", f"Koramil {kodim_no} {name}", "tni", "koramil", kodim_id,
                              round(float(la), 6), round(float(lo), 6), (name,)))
    return out


def linmas_units(vills: Sequence[Village], v_lat: np.ndarray, v_lon: np.ndarray) -> list[UnitRecord]:
    """One Satlinmas per village (level village), serving its kecamatan."""
    kind = {True: "Desa", False: "Kelurahan"}
    return [
        UnitRecord(f"LINMAS-{v.plain}", f"Satlinmas {kind[v.is_desa]} {v.name}", "linmas", "village", None,
                   round(float(v_lat[i]), 6), round(float(v_lon[i]), 6), (v.district_name,))
        for i, v in enumerate(vills)
    ]


# Indicator profiles: lists of (codes, relative frequency). Scores are sums of catalogue weights
# (siaga.planning.catalogue): a "mild" profile stays below the rawan threshold of 40 points.
MILD = [
    (("pilkada24.hak_pilih.dpt_tms",), 4.0),
    (("pilkada24.lokasi.rawan_bencana",), 2.0),
    (("pilkada24.politik_uang",), 1.5),
    (("pilkada24.lokasi.sulit_dijangkau",), 1.0),
]
RAWAN = [
    (("pilkada24.keamanan.intimidasi",), 2.0),
    (("polri.dukungan_berimbang",), 2.0),
    (("pilkada24.sara",), 1.0),
    (("pilkada24.keamanan.kekerasan",), 1.0),
    (("pilkada24.politik_uang", "pilkada24.lokasi.rawan_bencana"), 1.5),
    (("pilkada24.lokasi.sulit_dijangkau", "pilkada24.politik_uang", "pilkada24.hak_pilih.dpt_tms"), 1.0),
]
SANGAT_RAWAN = [
    (("pilkada24.keamanan.kekerasan", "pilkada24.keamanan.intimidasi"), 2.0),
    (("polri.riwayat_konflik", "polri.dukungan_berimbang"), 2.0),
    (("pilkada24.keamanan.kekerasan", "pilkada24.sara", "pilkada24.politik_uang"), 1.0),
]


def indicator_records(tps_ids: Sequence[str], profile: list[tuple[tuple[str, ...], float]],
                      rng: np.random.Generator, note: str = "sintetis") -> list[IndicatorRecord]:
    """Flag (value 1) the codes of one profile entry, drawn by frequency, for each given TPS."""
    if not len(tps_ids):
        return []
    freq = np.array([f for _, f in profile], dtype=float)
    pick = rng.choice(len(profile), size=len(tps_ids), p=freq / freq.sum())
    return [IndicatorRecord(t, code, 1.0, note) for t, p in zip(tps_ids, pick.tolist(), strict=True)
            for code in profile[p][0]]
