"""Shared builder of the Pilkades scenarios (Kabupaten Kediri 2022, Kabupaten Pekalongan 2022).

A Pilkades takes place in chosen desa only (never kelurahan). Several Polres may share the
kabupaten: each gets its Polres HQ contingent and one Polsek per involved kecamatan; the Kodim gets
one Koramil per involved kecamatan; every involved desa gets a Satlinmas with 2 members per TPS.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from siaga.formats.records import Dataset, UnitRecord
from siaga.scenarios.areas import Village, extents, villages_of
from siaga.scenarios.build import (
    TPSPlan,
    area_units,
    indicator_records,
    jittered_weights,
    linmas_units,
    make_tps,
    place_villages,
    split_total,
    tps_spread_km,
)
from siaga.scenarios.people import Quota, make_linmas, make_polri, make_tni


@dataclass(frozen=True)
class PolresSpec:
    """A Polres taking part: HQ point, its involved kecamatan codes and roster sizes."""

    unit_id: str
    name: str
    lat: float
    lon: float
    districts: tuple[str, ...]  # involved kecamatan codes in its area
    hq_count: int  # Polri of the Polres HQ on the operation
    polsek_count: int  # Polri of its Polsek together, split by TPS load
    reserve: tuple[str, str, int] | None = None  # (unit_id, name, count) of a BKO/Brimob reserve unit


@dataclass(frozen=True)
class PilkadesSpec:
    seed: int
    regency_code: str
    desa_per_district: dict[str, int]  # kecamatan code -> number of desa voting
    tps_total: int | None  # exact total when published, else None (random 4-12 per desa)
    voters_total: int | None  # exact DPT when published, else about 450 per TPS
    polres: tuple[PolresSpec, ...]
    kodim_id: str
    kodim_name: str
    kodim_no: str
    kodim_lat: float
    kodim_lon: float
    tni_total: int | None  # TNI on the roster; None = ceil(tni_per_tps x TPS)
    rawan_desa: int  # desa whose TPS get the "near-even support" flag (rawan)
    tni_per_tps: float = 1.1


def pick_desa(spec: PilkadesSpec, rng: np.random.Generator) -> list[Village]:
    """The voting desa, drawn deterministically among each kecamatan's real desa (code order)."""
    chosen: list[Village] = []
    for code, n in spec.desa_per_district.items():
        desa = [v for v in villages_of(code) if v.is_desa]
        if n > len(desa):
            raise ValueError(f"kecamatan {code} hanya punya {len(desa)} desa, diminta {n}")
        idx = np.sort(rng.choice(len(desa), size=n, replace=False))
        chosen += [desa[i] for i in idx.tolist()]
    return chosen


def build_dataset(spec: PilkadesSpec) -> Dataset:
    """TPS, units, personnel and indicators of a Pilkades wave, deterministic for ``spec.seed``."""
    rng = np.random.default_rng(spec.seed)
    vills = pick_desa(spec, rng)
    v_lat, v_lon = place_villages(vills, rng)
    if spec.tps_total is None:
        counts = rng.integers(4, 13, len(vills)).tolist()
    else:
        counts = split_total(spec.tps_total, jittered_weights(len(vills), rng), 5, 20)
    plans = [TPSPlan(v, n) for v, n in zip(vills, counts, strict=True)]
    n_tps = sum(counts)
    if spec.voters_total is None:
        voters = np.clip(np.round(rng.normal(450, 60, n_tps)), 250, 600).astype(int).tolist()
    else:
        voters = split_total(spec.voters_total, jittered_weights(n_tps, rng, 0.12), 250, 600)
    tps = make_tps(plans, v_lat, v_lon, voters, rng)

    codes = [v.code for v in vills]
    districts = list(spec.desa_per_district)
    span: dict[str, tuple[int, int]] = {}  # kecamatan -> slice of its desa in ``vills`` (contiguous)
    for i, v in enumerate(vills):
        span[v.district_code] = (span.get(v.district_code, (i, i))[0], i + 1)
    load = {c: sum(n for v, n in zip(vills, counts, strict=True) if v.district_code == c) for c in districts}
    polres_of = {c: p.unit_id for p in spec.polres for c in p.districts}
    if sorted(polres_of) != sorted(districts):
        raise ValueError("setiap kecamatan yang ikut Pilkades harus masuk tepat satu Polres")

    units: list[UnitRecord] = []
    polri_q: list[Quota] = []
    for p in spec.polres:
        names = tuple(extents()[c].district_name for c in p.districts)
        units.append(UnitRecord(p.unit_id, p.name, "polri", "polres", None, p.lat, p.lon, names))
        lo = min(span[c][0] for c in p.districts)
        hi = max(span[c][1] for c in p.districts)
        polri_q.append(Quota(p.unit_id, "polres", p.hq_count, lo, hi))
        if p.reserve is not None:
            rid, rname, rcount = p.reserve
            units.append(UnitRecord(rid, rname, "polri", "reserve", p.unit_id, p.lat, p.lon))
            polri_q.append(Quota(rid, "reserve", rcount))
    kodim = UnitRecord(spec.kodim_id, spec.kodim_name, "tni", "kodim", None, spec.kodim_lat, spec.kodim_lon)
    local = area_units(districts, polres_of, spec.kodim_id, vills, v_lat, v_lon, spec.kodim_no)
    units += [kodim, *local, *linmas_units(vills, v_lat, v_lon)]
    polsek = {u.districts[0]: u.unit_id for u in local if u.level == "polsek"}
    koramil = {u.districts[0]: u.unit_id for u in local if u.level == "koramil"}
    for p in spec.polres:
        sizes = split_total(p.polsek_count, [load[c] for c in p.districts], 4, 400)
        polri_q += [Quota(polsek[extents()[c].district_name], "polsek", n, *span[c])
                    for c, n in zip(p.districts, sizes, strict=True)]
    tni_total = spec.tni_total if spec.tni_total is not None else int(np.ceil(spec.tni_per_tps * n_tps))
    kodim_hq = round(tni_total * 0.16)
    tni_sizes = split_total(tni_total - kodim_hq, [load[c] for c in districts], 3, 400)
    tni_q = [Quota(spec.kodim_id, "kodim", kodim_hq, 0, len(codes))]
    tni_q += [Quota(koramil[extents()[c].district_name], "koramil", n, *span[c])
              for c, n in zip(districts, tni_sizes, strict=True)]
    personnel = make_polri(polri_q, codes, rng) + make_tni(tni_q, codes, rng)
    personnel += make_linmas(codes, [2 * n for n in counts], v_lat, v_lon, rng, [tps_spread_km(v) for v in vills])

    rawan = set(np.sort(rng.choice(len(vills), size=spec.rawan_desa, replace=False)).tolist())
    rawan_codes = {codes[i] for i in rawan}
    flagged = [t.tps_id for t in tps if t.village_code in rawan_codes]
    indicators = indicator_records(flagged, [(("polri.dukungan_berimbang",), 1.0)], rng,
                                   "sintetis: dua calon kades berimbang")
    return Dataset(tps=tps, units=units, personnel=personnel, indicators=indicators, synthetic=True)
