"""Synthetic rosters: plausible Javanese/Indonesian names, synthetic NRPs, realistic rank mixes.

Everything here is invented. Names are random first-name/family-name pairs from small lists;
NRPs are made-up digit strings (Polri: 8 digits, birth year and month then a serial, as real NRPs
are built; TNI: 10 digits). Ranks follow a plausible mix per unit level so that about 70% of
Polri can command a post under the default rule (Brigpol and above).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from siaga.domain.ranks import TNI_RANKS, default_can_lead, find_rank
from siaga.formats.records import PersonnelRecord

MALE = (
    "Agus", "Bambang", "Budi", "Dwi", "Eko", "Fajar", "Hadi", "Heru", "Joko", "Slamet", "Sugeng", "Teguh",
    "Wahyu", "Yudi", "Arif", "Bayu", "Dimas", "Rizky", "Andi", "Yusuf", "Wawan", "Suryo", "Gatot", "Hendra",
    "Imam", "Rahmat", "Dedi", "Sutrisno", "Sukardi", "Puji", "Tri", "Ahmad", "Muhammad", "Nur", "Ilham",
    "Aditya", "Galih", "Lukman", "Rudi", "Sigit", "Hari", "Purwanto", "Anton", "Bagus", "Catur", "Danang",
    "Edi", "Ferry", "Gunawan", "Hermawan", "Indra", "Kukuh", "Mulyono", "Nanang", "Prasetyo", "Ragil",
)
FEMALE = (
    "Siti", "Sri", "Dewi", "Rina", "Ayu", "Wulan", "Fitri", "Lestari", "Endang", "Yuliana", "Ratna", "Indah",
    "Putri", "Nurul", "Anik", "Dian", "Eka", "Retno", "Wahyuni", "Novi", "Intan", "Ika", "Lina", "Maya",
)
FAMILY = (
    "Santoso", "Wibowo", "Prasetyo", "Setiawan", "Kurniawan", "Hidayat", "Saputra", "Nugroho", "Susanto",
    "Purnomo", "Wijaya", "Hartono", "Utomo", "Suryadi", "Handoko", "Firmansyah", "Pratama", "Siswanto",
    "Supriyadi", "Mulyadi", "Gunawan", "Wahyudi", "Rahman", "Hakim", "Syahputra", "Maulana", "Ramadhan",
    "Darmawan", "Hermanto", "Irawan", "Sulistyo", "Widodo", "Cahyono", "Riyadi", "Basuki", "Haryanto",
    "Sasongko", "Wicaksono", "Nugraha", "Permana", "Kusuma", "Sanjaya", "Ardiansyah", "Fauzi", "Anwar",
)
FEMALE_FAMILY = (
    "Rahmawati", "Handayani", "Lestari", "Wulandari", "Susanti", "Puspitasari", "Kurniasih", "Safitri",
    "Anggraini", "Rahayu", "Setyaningsih", "Maharani", "Pertiwi", "Utami", "Astuti", "Suryani",
)
MALE_NAMES = tuple(f"{f} {s}" for f in MALE for s in FAMILY)
FEMALE_NAMES = tuple(f"{f} {s}" for f in FEMALE for s in FEMALE_FAMILY)

# Rank mixes (rank code -> weight) per unit level; Polri first.
POLRI_MIX: dict[str, dict[str, float]] = {
    "polres": {"Bripda": 14, "Briptu": 14, "Brigpol": 16, "Bripka": 18, "Aipda": 12, "Aiptu": 12,
               "Ipda": 6, "Iptu": 4, "AKP": 2.5, "Kompol": 1.0, "AKBP": 0.5},
    "polsek": {"Bripda": 13, "Briptu": 15, "Brigpol": 17, "Bripka": 20, "Aipda": 14, "Aiptu": 14,
               "Ipda": 4, "Iptu": 2, "AKP": 1},
    "reserve": {"Bharada": 22, "Bharatu": 12, "Bharaka": 6, "Bripda": 14, "Briptu": 12, "Brigpol": 11,
                "Bripka": 10, "Aipda": 5, "Aiptu": 3, "Ipda": 2.5, "Iptu": 1.5, "AKP": 1},
}
# Leaders placed first in a unit: Kapolres, Wakapolres / Kapolsek, Wakapolsek / Danki, Danton.
POLRI_HEADS = {"polres": ("AKBP", "Kompol", "Kompol"), "polsek": ("AKP", "Iptu"), "reserve": ("AKP", "Ipda")}
TNI_MIX: dict[str, dict[str, float]] = {
    "kodim": {"Prada": 5, "Pratu": 8, "Praka": 8, "Kopda": 8, "Koptu": 8, "Kopka": 8, "Serda": 10,
              "Sertu": 10, "Serka": 10, "Serma": 8, "Pelda": 6, "Peltu": 5, "Letda": 3, "Lettu": 2, "Kapten": 1},
    "koramil": {"Pratu": 3, "Praka": 4, "Kopda": 5, "Koptu": 6, "Kopka": 8, "Serda": 14, "Sertu": 16,
                "Serka": 16, "Serma": 14, "Pelda": 8, "Peltu": 6},
}
TNI_HEADS = {"kodim": ("Letkol", "Mayor"), "koramil": ("Kapten", "Peltu")}

# Plausible birth-year span per rank (drives the first four NRP digits: YYMM of birth).
_BIRTH = {
    "Bharada": (2000, 2005), "Bharatu": (1998, 2003), "Bharaka": (1994, 2000), "Bripda": (1998, 2004),
    "Briptu": (1995, 2001), "Brigpol": (1990, 1998), "Bripka": (1984, 1993), "Aipda": (1978, 1988),
    "Aiptu": (1970, 1982), "Ipda": (1970, 1995), "Iptu": (1972, 1992), "AKP": (1970, 1990),
    "Kompol": (1970, 1985), "AKBP": (1970, 1982),
}


@dataclass(frozen=True, slots=True)
class Quota:
    """How many people a unit gets, and the slice ``[home_lo, home_hi)`` of the village list its
    members may live in (e.g. its kecamatan), for the ~30% who live inside the area."""

    unit_id: str
    level: str
    count: int
    home_lo: int = 0
    home_hi: int = 0


def _lead_table(force: str, codes: Sequence[str]) -> dict[str, bool]:
    return {c: default_can_lead(force, find_rank(force, c)) for c in codes}


def _draw_ranks(levels: np.ndarray, positions: np.ndarray, mixes: dict, heads: dict,
                rng: np.random.Generator) -> np.ndarray:
    """Rank code per person: unit heads first, the rest drawn from the level's mix."""
    out = np.empty(len(levels), dtype=object)
    for level, mix in mixes.items():
        idx = np.flatnonzero(levels == level)
        if not len(idx):
            continue
        codes = np.array(list(mix), dtype=object)
        weights = np.array(list(mix.values()), dtype=float)
        out[idx] = codes[rng.choice(len(codes), size=len(idx), p=weights / weights.sum())]
        for pos, code in enumerate(heads.get(level, ())):
            out[idx[positions[idx] == pos]] = code
    missing = [lv for lv in set(levels.tolist()) if lv not in mixes]
    if missing:
        raise ValueError(f"tidak ada komposisi pangkat untuk level {missing}")
    return out


def _expand(quotas: Sequence[Quota]):
    counts = np.array([q.count for q in quotas], dtype=np.int64)
    if (counts < 0).any():
        raise ValueError("jumlah personel per satuan tidak boleh negatif")
    unit_idx = np.repeat(np.arange(len(quotas)), counts)
    starts = np.cumsum(counts) - counts
    positions = np.arange(counts.sum()) - np.repeat(starts, counts)
    levels = np.array([q.level for q in quotas], dtype=object)[unit_idx]
    return unit_idx, positions, levels


def _homes(quotas: Sequence[Quota], unit_idx: np.ndarray, village_codes: Sequence[str], share: float,
           rng: np.random.Generator) -> list[str | None]:
    lo = np.array([q.home_lo for q in quotas], dtype=np.int64)[unit_idx]
    hi = np.array([q.home_hi for q in quotas], dtype=np.int64)[unit_idx]
    span = hi - lo
    has = (rng.random(len(unit_idx)) < share) & (span > 0)
    pick = lo + np.floor(rng.random(len(unit_idx)) * np.maximum(span, 1)).astype(np.int64)
    codes = list(village_codes)
    return [codes[p] if h else None for h, p in zip(has.tolist(), pick.tolist(), strict=True)]


def _names(n: int, female_share: float, rng: np.random.Generator) -> list[str]:
    female = rng.random(n) < female_share
    mi = rng.integers(0, len(MALE_NAMES), n).tolist()
    fi = rng.integers(0, len(FEMALE_NAMES), n).tolist()
    return [FEMALE_NAMES[b] if f else MALE_NAMES[a] for f, a, b in zip(female.tolist(), mi, fi, strict=True)]


def _unique_serials(keys: np.ndarray) -> np.ndarray:
    """A serial in 0..9999 unique within each key (stable order), scrambled to look less sequential."""
    order = np.argsort(keys, kind="stable")
    sk = keys[order]
    first = np.r_[True, sk[1:] != sk[:-1]]
    group_start = np.maximum.accumulate(np.where(first, np.arange(len(sk)), 0))
    rank = np.empty(len(keys), dtype=np.int64)
    rank[order] = np.arange(len(sk)) - group_start
    if len(rank) and rank.max() >= 10000:
        raise ValueError("terlalu banyak NRP sintetis dengan tahun-bulan lahir yang sama")
    return (rank * 7919 + 37) % 10000


def polri_nrps(ranks: np.ndarray, rng: np.random.Generator, taken: set[str] | None = None) -> list[str]:
    """Synthetic 8-digit Polri NRPs: YYMM of a plausible birth month for the rank, then a serial."""
    lo = np.array([_BIRTH.get(r, (1975, 1995))[0] for r in ranks.tolist()], dtype=np.int64)
    hi = np.array([_BIRTH.get(r, (1975, 1995))[1] for r in ranks.tolist()], dtype=np.int64)
    year = lo + np.floor(rng.random(len(ranks)) * (hi - lo + 1)).astype(np.int64)
    month = rng.integers(1, 13, len(ranks))
    key = (year % 100) * 100 + month
    serial = _unique_serials(key)
    nrps = [f"{k:04d}{s:04d}" for k, s in zip(key.tolist(), serial.tolist(), strict=True)]
    if taken is not None:
        clash = taken.intersection(nrps)
        if clash:
            raise ValueError(f"NRP sintetis bentrok: {sorted(clash)[:3]}")
        taken.update(nrps)
    return nrps


def make_polri(quotas: Sequence[Quota], village_codes: Sequence[str], rng: np.random.Generator, *,
               home_share: float = 0.3, absent_share: float = 0.02) -> list[PersonnelRecord]:
    """Polri members of the given units: heads first, ranks by level, ~30% living in the area,
    exactly ``round(absent_share * n)`` of the non-heads sick or on leave."""
    unit_idx, positions, levels = _expand(quotas)
    n = len(unit_idx)
    ranks = _draw_ranks(levels, positions, POLRI_MIX, POLRI_HEADS, rng)
    nrps = polri_nrps(ranks, rng)
    names = _names(n, 0.08, rng)
    homes = _homes(quotas, unit_idx, village_codes, home_share, rng)
    status = np.full(n, "available", dtype=object)
    candidates = np.flatnonzero(positions >= 2)
    k = min(len(candidates), round(absent_share * n))
    if k:
        chosen = np.sort(rng.choice(candidates, size=k, replace=False))
        status[chosen] = np.where(np.arange(k) % 2 == 0, "sick", "leave")
    lead = _lead_table("polri", sorted(set(ranks.tolist())))
    unit_ids = [q.unit_id for q in quotas]
    return [
        PersonnelRecord(pid, nm, "polri", rk, unit_ids[u], home_village_code=h, status=st, can_lead=lead[rk])
        for pid, nm, rk, u, h, st in zip(nrps, names, ranks.tolist(), unit_idx.tolist(), homes,
                                         status.tolist(), strict=True)
    ]


def make_tni(quotas: Sequence[Quota], village_codes: Sequence[str], rng: np.random.Generator, *,
             home_share: float = 0.3) -> list[PersonnelRecord]:
    """TNI AD members (Kodim staff, Koramil Babinsa) with synthetic 10-digit NRPs, unique per call."""
    unit_idx, positions, levels = _expand(quotas)
    n = len(unit_idx)
    ranks = _draw_ranks(levels, positions, TNI_MIX, TNI_HEADS, rng)
    digit = {r.code: {"tamtama": 3, "bintara": 2}.get(r.group, 1) for r in TNI_RANKS}
    group = [digit[r] for r in ranks.tolist()]
    year = rng.integers(70, 100, n)
    serial = rng.choice(10**7, size=n, replace=False)
    ids = [f"{g}{y:02d}{s:07d}" for g, y, s in zip(group, year.tolist(), serial.tolist(), strict=True)]
    names = _names(n, 0.03, rng)
    homes = _homes(quotas, unit_idx, village_codes, home_share, rng)
    lead = _lead_table("tni", sorted(set(ranks.tolist())))
    unit_ids = [q.unit_id for q in quotas]
    return [
        PersonnelRecord(pid, nm, "tni", rk, unit_ids[u], home_village_code=h, can_lead=lead[rk])
        for pid, nm, rk, u, h in zip(ids, names, ranks.tolist(), unit_idx.tolist(), homes, strict=True)
    ]


def make_linmas(village_codes: Sequence[str], counts: Sequence[int], lats: np.ndarray, lons: np.ndarray,
                rng: np.random.Generator, spread_km: float | Sequence[float] = 0.8,
                unit_prefix: str = "LINMAS-") -> list[PersonnelRecord]:
    """Linmas members per village (``counts[i]`` in village i), living within ``spread_km`` of its centre.

    Ids are ``LM-<plain village code>-NN``; the first of each village is the Danton (can lead).
    """
    from siaga.scenarios.areas import offset, scatter_around

    counts_arr = np.asarray(counts, dtype=np.int64)
    if len(counts_arr) and counts_arr.max() > 99:
        raise ValueError("lebih dari 99 Linmas di satu desa: id LM-...-NN tidak cukup")
    vidx = np.repeat(np.arange(len(counts_arr)), counts_arr)
    starts = np.cumsum(counts_arr) - counts_arr
    pos = np.arange(counts_arr.sum()) - np.repeat(starts, counts_arr)
    spread = np.broadcast_to(np.asarray(spread_km, dtype=float), (len(counts_arr),))[vidx]
    north, east = scatter_around(len(vidx), 1.0, rng)
    north, east = north * spread, east * spread
    la, lo = offset(np.asarray(lats)[vidx], np.asarray(lons)[vidx], north, east)
    la, lo = np.round(la, 6).tolist(), np.round(lo, 6).tolist()
    names = _names(len(vidx), 0.1, rng)
    plain = [c.replace(".", "") for c in village_codes]
    codes = list(village_codes)
    unit_ids = [unit_prefix + p for p in plain]
    id_prefix = [f"LM-{p}-" for p in plain]
    suffix = [f"{k:02d}" for k in range(1, 100)]
    # Positional arguments: PersonnelRecord(id, name, force, rank, unit, home, lat, lon, status, can_lead).
    ranks = ("Danton", "Anggota")  # the first member of each village leads its Linmas
    leads = (default_can_lead("linmas", find_rank("linmas", "Danton")), False)
    return [
        PersonnelRecord(id_prefix[v] + suffix[p], nm, "linmas", ranks[p > 0], unit_ids[v], codes[v], a, b,
                        "available", leads[p > 0])
        for v, p, nm, a, b in zip(vidx.tolist(), pos.tolist(), names, la, lo, strict=True)
    ]
