"""``generate_scenario(tps, seed)``: a synthetic area of any size (10 to 1,000,000 TPS), all invented.

Shape: province ``99`` (synthetic) -> regencies -> districts (about 150 TPS) -> villages of 5-40 TPS,
with clustered coordinates over Java's latitude band (districts around regency centres, villages
around district centres, TPS around village centres). One Polres per about 1,600 TPS (a regency
has one Polres, or several when it is very large), a Polsek and a Koramil per district, a Kodim per
regency, a Satlinmas per village and one Brimob reserve unit per about 20,000 TPS. Polri about 0.7
per TPS, TNI about 0.05 per TPS, Linmas 2 per TPS; about 15% of TPS carry indicator values so that
about 8% come out rawan and 1.5% sangat rawan, and 0.3% are TPS khusus.

Kemendagri codes have two digits for regency and district, so the area holds at most 98 regencies
(01-69 kabupaten, 71-99 kota) of at most 99 districts; above about 157k TPS regencies grow and are
split between several Polres instead.
"""

from __future__ import annotations

import gc
import math
from datetime import date

import numpy as np

from siaga.formats.records import Dataset, IndicatorRecord, TPSRecord, UnitRecord
from siaga.scenarios.areas import GOLDEN_ANGLE, KM_PER_DEG_LAT
from siaga.scenarios.build import MILD, RAWAN, SANGAT_RAWAN, split_total
from siaga.scenarios.elections import partners, pilkada_2024_stages
from siaga.scenarios.model import ElectionSpec, OperationSpec, Scenario
from siaga.scenarios.people import Quota, make_linmas, make_polri, make_tni
from siaga.scenarios.plans import plan_text

MAX_TPS = 1_000_000
MAX_REGENCIES = 98
DISTRICT_TPS = 150  # target TPS per district
POLRES_TPS = 1_600  # target TPS per Polres
RESERVE_TPS = 20_000  # one Brimob reserve unit per this many TPS
DISTRICT_KM = 3.5  # radius of a district
LAT_BAND = (-8.2, -6.4)  # Java's latitude band
LON_BAND = (105.8, 114.3)


def village_sizes(n: int, rng: np.random.Generator) -> np.ndarray:
    """TPS per village: 5-40 (log-normal around 11) summing to ``n``; only when n < 5 is a village smaller."""
    if n < 5:
        return np.array([n], dtype=np.int64)
    draw = np.clip(np.round(rng.lognormal(math.log(11.0), 0.45, n // 5 + 2)), 5, 40).astype(np.int64)
    cs = np.cumsum(draw)
    k = int(np.searchsorted(cs, n, side="right"))
    sizes = draw[:k].copy()
    rest = n - (int(cs[k - 1]) if k else 0)
    if rest >= 5 or not len(sizes):
        sizes = np.append(sizes, rest) if rest else sizes
    elif rest:
        if sizes[-1] + rest <= 40:
            sizes[-1] += rest
        else:  # sizes[-1] > 35: leave it 31-39 and add a village of 5
            sizes[-1] += rest - 5
            sizes = np.append(sizes, 5)
    return sizes


def _spread(counts: np.ndarray, radius: np.ndarray, rng: np.random.Generator):
    """Sunflower layout of ``counts[g]`` points inside disc g of ``radius[g]`` km, vectorised (km offsets)."""
    group = np.repeat(np.arange(len(counts)), counts)
    start = np.cumsum(counts) - counts
    j = np.arange(counts.sum()) - start[group]
    n = counts[group].astype(float)
    rad = radius[group]
    r = rad * np.sqrt((j + 0.5) / n)
    theta = j * GOLDEN_ANGLE + rng.uniform(0, 2 * np.pi, len(counts))[group]
    step = rad / np.sqrt(np.maximum(n, 1.0))
    north = r * np.cos(theta) + rng.normal(0, 0.25, len(j)) * step
    east = r * np.sin(theta) + rng.normal(0, 0.25, len(j)) * step
    d = np.hypot(north, east)
    scale = np.where(d > rad, rad / np.maximum(d, 1e-12), 1.0)
    return group, north * scale, east * scale


def _move(lat, lon, north, east):
    return lat + north / KM_PER_DEG_LAT, lon + east / (111.320 * np.cos(np.radians(lat)))


def _regency_number(i: int) -> int:
    return i + 1 if i < 69 else i + 2  # 01-69 kabupaten, 71-99 kota


def generate_scenario(tps: int, seed: int = 0) -> Scenario:
    """A synthetic area with exactly ``tps`` TPS, deterministic for ``seed``."""
    if not 1 <= tps <= MAX_TPS:
        raise ValueError(f"jumlah TPS harus 1..{MAX_TPS:,}, bukan {tps}")
    # Millions of small acyclic records: the cyclic garbage collector would only slow this down.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _generate(tps, seed)
    finally:
        if was_enabled:
            gc.enable()


def _generate(tps: int, seed: int) -> Scenario:
    rng = np.random.default_rng([seed, tps])
    sizes = village_sizes(tps, rng)
    n_v = len(sizes)
    n_r = int(min(MAX_REGENCIES, max(1, round(tps / POLRES_TPS))))
    n_d = int(min(n_v, max(n_r, round(tps / DISTRICT_TPS)), 99 * n_r))
    n_r = min(n_r, n_d)
    v_per_d = np.array(split_total(n_v, rng.lognormal(0, 0.25, n_d), 1, 999), dtype=np.int64)
    d_per_r = np.array(split_total(n_d, rng.lognormal(0, 0.2, n_r), 1, 99), dtype=np.int64)
    v_dist = np.repeat(np.arange(n_d), v_per_d)
    d_reg = np.repeat(np.arange(n_r), d_per_r)
    d_first_v = np.cumsum(v_per_d) - v_per_d
    r_first_d = np.cumsum(d_per_r) - d_per_r
    d_tps = np.bincount(v_dist, weights=sizes, minlength=n_d).astype(np.int64)
    r_tps = np.bincount(d_reg, weights=d_tps, minlength=n_r).astype(np.int64)

    # Coordinates: regency centres on a grid over Java's band, then nested sunflower discs.
    aspect = (LON_BAND[1] - LON_BAND[0]) / (LAT_BAND[1] - LAT_BAND[0])
    cols = max(1, math.ceil(math.sqrt(n_r * aspect)))
    rows = math.ceil(n_r / cols)
    cell = np.arange(n_r)
    r_lat = LAT_BAND[0] + (LAT_BAND[1] - LAT_BAND[0]) * ((cell // cols) + 0.5 + rng.uniform(-0.2, 0.2, n_r)) / rows
    r_lon = LON_BAND[0] + (LON_BAND[1] - LON_BAND[0]) * ((cell % cols) + 0.5 + rng.uniform(-0.2, 0.2, n_r)) / cols
    r_rad = DISTRICT_KM * 1.15 * np.sqrt(d_per_r)
    _, dn, de = _spread(d_per_r, np.maximum(r_rad - DISTRICT_KM, 0.0), rng)
    d_lat, d_lon = _move(r_lat[d_reg], r_lon[d_reg], dn, de)
    _, vn, ve = _spread(v_per_d, np.full(n_d, 0.8 * DISTRICT_KM), rng)
    v_lat, v_lon = _move(d_lat[v_dist], d_lon[v_dist], vn, ve)
    t_v = np.repeat(np.arange(n_v), sizes)
    rr = 0.5 * np.sqrt(rng.uniform(0, 1, tps))
    th = rng.uniform(0, 2 * np.pi, tps)
    t_lat, t_lon = _move(v_lat[t_v], v_lon[t_v], rr * np.cos(th), rr * np.sin(th))

    # Names and codes.
    w = max(4, len(str(n_d)))
    wv = max(4, len(str(n_v)))
    reg_no = [_regency_number(i) for i in range(n_r)]
    reg_codes = [f"99.{k:02d}" for k in reg_no]
    reg_names = [f"{'Kabupaten' if k < 70 else 'Kota'} Sintetis {k:02d}" for k in reg_no]
    d_in_r = (np.arange(n_d) - r_first_d[d_reg] + 1).tolist()
    d_codes = [f"{reg_codes[r]}.{k:02d}" for r, k in zip(d_reg.tolist(), d_in_r, strict=True)]
    d_names = [f"Kecamatan Sintetis {i + 1:0{w}d}" for i in range(n_d)]
    v_in_d = (np.arange(n_v) - d_first_v[v_dist] + 1).tolist()
    v_codes = [f"{d_codes[d]}.{2000 + k:04d}" for d, k in zip(v_dist.tolist(), v_in_d, strict=True)]
    v_plain = [c.replace(".", "") for c in v_codes]
    v_names = [f"Desa Sintetis {i + 1:0{wv}d}" for i in range(n_v)]

    # TPS.
    t_no = (np.arange(tps) - (np.cumsum(sizes) - sizes)[t_v] + 1).tolist()
    khusus = rng.random(tps) < 0.003
    voters = np.clip(np.round(rng.normal(520, 50, tps)), 250, 600).astype(np.int64)
    voters[khusus] = np.clip(np.round(rng.normal(350, 80, int(khusus.sum()))), 100, 600)
    v_dn = [d_names[d] for d in v_dist.tolist()]
    v_rn = [reg_names[r] for r in d_reg[v_dist].tolist()]
    kinds = np.where(khusus, "khusus", "regular").tolist()
    tps_records = [
        TPSRecord(f"{v_plain[v]}-{k:03d}", v_codes[v], v_names[v], v_dn[v], v_rn[v], k, vt, la, lo, kd)
        for v, k, vt, la, lo, kd in zip(t_v.tolist(), t_no, voters.tolist(), np.round(t_lat, 6).tolist(),
                                        np.round(t_lon, 6).tolist(), kinds, strict=True)
    ]

    # Units: Polres (contiguous districts of one regency), Polsek, Kodim, Koramil, Linmas, Brimob.
    d_polres = np.zeros(n_d, dtype=np.int64)
    polres_rows = []  # (unit_id, name, regency, first district, district count)
    for r in range(n_r):
        k = int(min(d_per_r[r], max(1, round(r_tps[r] / POLRES_TPS))))
        first, count = int(r_first_d[r]), int(d_per_r[r])
        cum = np.cumsum(d_tps[first:first + count]) - d_tps[first:first + count] / 2
        part = np.minimum((cum / r_tps[r] * k).astype(np.int64), k - 1)
        for p in range(k):
            members = np.flatnonzero(part == p)
            if not len(members):
                continue
            suffix = f"-{p + 1}" if k > 1 else ""
            polres_rows.append((f"POLRES-{reg_codes[r].replace('.', '')}{suffix}",
                                f"Polres Sintetis {reg_no[r]:02d}{suffix}", r, first + int(members[0]), len(members)))
            d_polres[first + members] = len(polres_rows) - 1
    units: list[UnitRecord] = []
    for uid, name, _, f, c in polres_rows:
        units.append(UnitRecord(uid, name, "polri", "polres", None, round(float(d_lat[f]), 6),
                                round(float(d_lon[f]), 6), tuple(d_names[f:f + c])))
    for r in range(n_r):
        f, c = int(r_first_d[r]), int(d_per_r[r])
        units.append(UnitRecord(f"KODIM-{reg_codes[r].replace('.', '')}", f"Kodim Sintetis {reg_no[r]:02d}", "tni",
                                "kodim", None, round(float(d_lat[f]) + 0.002, 6), round(float(d_lon[f]), 6),
                                tuple(d_names[f:f + c])))
    n_res = max(1, min(len(polres_rows), round(tps / RESERVE_TPS)))
    res_of_polres = (np.arange(len(polres_rows)) * n_res) // len(polres_rows)
    for b in range(n_res):
        members = np.flatnonzero(res_of_polres == b)
        f = polres_rows[members[0]][3]
        last = polres_rows[members[-1]]
        units.append(UnitRecord(f"BRIMOB-{b + 1:02d}", f"Brimob Sintetis Kompi {b + 1:02d} (BKO)", "polri",
                                "reserve", None, round(float(d_lat[f]) - 0.003, 6), round(float(d_lon[f]), 6),
                                tuple(d_names[f:last[3] + last[4]])))
    d_plain = [c.replace(".", "") for c in d_codes]
    polsek_parent = [polres_rows[p][0] for p in d_polres.tolist()]
    kodim_of = [f"KODIM-{reg_codes[r].replace('.', '')}" for r in d_reg.tolist()]
    dla, dlo = np.round(d_lat, 6).tolist(), np.round(d_lon, 6).tolist()
    units += [UnitRecord(f"POLSEK-{d_plain[d]}", f"Polsek {d_names[d][10:]}", "polri", "polsek", polsek_parent[d],
                         dla[d], dlo[d], (d_names[d],)) for d in range(n_d)]
    units += [UnitRecord(f"KORAMIL-{d_plain[d]}", f"Koramil {d_names[d][10:]}", "tni", "koramil", kodim_of[d],
                         round(dla[d] + 0.0015, 6), dlo[d], (d_names[d],)) for d in range(n_d)]
    vla, vlo = np.round(v_lat, 6).tolist(), np.round(v_lon, 6).tolist()
    units += [UnitRecord(f"LINMAS-{v_plain[v]}", f"Satlinmas {v_names[v]}", "linmas", "village", None,
                         vla[v], vlo[v], (v_dn[v],)) for v in range(n_v)]

    # Personnel.
    polri = round(0.7 * tps)
    brimob = split_total(min(100 * n_res, max(1, round(0.04 * polri))), np.ones(n_res), 0, 100)
    rest = polri - sum(brimob)
    hq_sizes = split_total(round(rest / 3), [sum(d_tps[f:f + c]) for _, _, _, f, c in polres_rows], 0, 10**7)
    polsek_sizes = split_total(rest - sum(hq_sizes), d_tps, 0, 10**7)
    v_lo = d_first_v
    v_hi = d_first_v + v_per_d
    quotas = [Quota(uid, "polres", n, int(v_lo[f]), int(v_hi[f + c - 1]))
              for (uid, _, _, f, c), n in zip(polres_rows, hq_sizes, strict=True)]
    quotas += [Quota(f"POLSEK-{d_plain[d]}", "polsek", polsek_sizes[d], int(v_lo[d]), int(v_hi[d])) for d in range(n_d)]
    quotas += [Quota(f"BRIMOB-{b + 1:02d}", "reserve", n) for b, n in enumerate(brimob)]
    personnel = make_polri(quotas, v_codes, rng)
    tni = max(1, round(0.05 * tps))
    kodim_sizes = split_total(round(0.2 * tni), r_tps, 0, 10**7)
    koramil_sizes = split_total(tni - sum(kodim_sizes), d_tps, 0, 10**7)
    tq = [Quota(f"KODIM-{reg_codes[r].replace('.', '')}", "kodim", kodim_sizes[r], int(v_lo[r_first_d[r]]),
                int(v_hi[r_first_d[r] + d_per_r[r] - 1])) for r in range(n_r)]
    tq += [Quota(f"KORAMIL-{d_plain[d]}", "koramil", koramil_sizes[d], int(v_lo[d]), int(v_hi[d])) for d in range(n_d)]
    personnel += make_tni(tq, v_codes, rng)
    personnel += make_linmas(v_codes, (2 * sizes).tolist(), v_lat, v_lon, rng)

    indicators = _indicators(tps_records, khusus, rng)
    dataset = Dataset(tps=tps_records, units=units, personnel=personnel, indicators=indicators, synthetic=True)
    return Scenario(
        name=f"sintetis-{tps}-s{seed}",
        title=f"Wilayah sintetis {tps:,} TPS (seed {seed})".replace(",", "."),
        description=(f"Wilayah SINTETIS (provinsi 99): {n_r} kabupaten/kota, {n_d} kecamatan, {n_v} desa, "
                     f"{tps} TPS. Semua nama, kode, koordinat, orang dan indikator dibuat-buat."),
        election=ElectionSpec("Pilkada Sintetis", "pilkada", date(2024, 11, 27),
                              tuple(zip(reg_codes, reg_names, strict=True)), pilkada_2024_stages()),
        operation=OperationSpec("Operasi Mantap Praja Sintetis", date(2024, 8, 19), date(2024, 12, 31),
                                polres_rows[0][0]),
        partners=partners([("KPU Provinsi Sintetis", "kpu", reg_codes[0]),
                           ("Bawaslu Provinsi Sintetis", "bawaslu", reg_codes[0]),
                           ("Pemerintah Provinsi Sintetis", "pemda", reg_codes[0])], "0999", seed),
        dataset=dataset, plan_toml=plan_text("synthetic"), synthetic=True,
        assumptions=(
            "SINTETIS SEMUA: provinsi 99 bukan provinsi nyata; nama dan kode wilayah, koordinat (sebaran di "
            "lintang Pulau Jawa), TPS, pemilih, satuan, personel, NRP dan indikator dibuat-buat.",
            "Satu Polres per sekitar 1.600 TPS, Polsek dan Koramil per kecamatan, Kodim per kabupaten, "
            "Satlinmas per desa, satu kompi Brimob cadangan per sekitar 20.000 TPS.",
            "Polri sekitar 0,7 per TPS, TNI sekitar 0,05 per TPS, Linmas 2 per TPS; ~30% Polri/TNI tinggal "
            "di wilayah; ~2% Polri sakit/cuti.",
            "Indikator untuk sekitar 15% TPS: ~8% rawan, ~1,5% sangat rawan; ~0,3% TPS khusus.",
            "Tanggal tahapan mengikuti Pilkada 2024 (PKPU 2/2024).",
        ),
    )


def _indicators(tps_records: list[TPSRecord], khusus: np.ndarray, rng: np.random.Generator) -> list[IndicatorRecord]:
    """Indicator values for ~15% of regular TPS: 1.5% sangat rawan, 8% rawan, the rest mild."""
    u = rng.random(len(tps_records))
    u[khusus] = 1.0
    out: list[IndicatorRecord] = []
    for profile, lo, hi in ((SANGAT_RAWAN, 0.0, 0.015), (RAWAN, 0.015, 0.095), (MILD, 0.095, 0.15)):
        idx = np.flatnonzero((u >= lo) & (u < hi))
        freq = np.array([f for _, f in profile], dtype=float)
        pick = rng.choice(len(profile), size=len(idx), p=freq / freq.sum()).tolist()
        out += [IndicatorRecord(tps_records[i].tps_id, code, 1.0, "sintetis")
                for i, p in zip(idx.tolist(), pick, strict=True) for code in profile[p][0]]
    return out
