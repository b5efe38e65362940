"""Scenario ``kediri-kota-pilkada-2024``: Polres Kediri Kota in Pilkada 2024 (Operasi Mantap Praja Semeru).

Real: the 3 kecamatan / 46 kelurahan of Kota Kediri and the 5 Kabupaten Kediri kecamatan in the
Polres Kediri Kota area with all their desa (names, Kemendagri codes); TPS totals (Kota Kediri 404 =
Mojoroto 154 + Kota 122 + Pesantren 125 regular + 3 khusus; 839 for the whole Polres); Kota Kediri
DPS 222,596; the operation's strength 576 Polri + 31 TNI + 1,678 Linmas; dates. Everything else is
synthetic (see ASSUMPTIONS).
"""

from __future__ import annotations

from datetime import date

import numpy as np

from siaga.formats.records import Dataset, UnitRecord
from siaga.scenarios.areas import villages_of
from siaga.scenarios.build import (
    MILD,
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
from siaga.scenarios.elections import partners, pilkada_2024_stages
from siaga.scenarios.model import ElectionSpec, OperationSpec, Scenario
from siaga.scenarios.people import Quota, make_linmas, make_polri, make_tni
from siaga.scenarios.plans import plan_text

NAME = "kediri-kota-pilkada-2024"
TITLE = "Polres Kediri Kota, Pilkada 2024 (839 TPS)"
SEED = 2024_11_27

KOTA_REGULAR = {"35.71.01": 154, "35.71.02": 122, "35.71.03": 125}  # published regular TPS per kecamatan
KOTA_KHUSUS = {"35.71.01.1013": 2, "35.71.02.1006": 1}  # Lirboyo (pesantren); Setonopande (lapas): assumed
KOTA_DPS = 222_596
# Kabupaten kecamatan in the Polres Kediri Kota area and their (synthetic) share of the 435 TPS.
KAB_TPS = {"35.06.02": 140, "35.06.01": 75, "35.06.13": 70, "35.06.22": 70, "35.06.20": 80}
POLRI, TNI = 576, 31
POLRES = "POLRES-KEDIRI-KOTA"
KODIM = "KODIM-0809"

ASSUMPTIONS = (
    "Nama dan kode kecamatan/kelurahan/desa asli (Kepmendagri 300.2.2-2138/2025, via cahyadsn/wilayah).",
    "Jumlah TPS asli: Kota Kediri 404 (Mojoroto 154, Kota 122, Pesantren 125 reguler + 3 khusus), "
    "839 TPS di wilayah Polres Kediri Kota; DPS Kota Kediri 222.596.",
    "SINTETIS: pembagian TPS per kelurahan/desa, dan 435 TPS kelima kecamatan Kabupaten "
    "(Mojo 140, Semen 75, Grogol 70, Banyakan 70, Tarokan 80) dibagi ke desa (5-40 TPS per desa).",
    "ASUMSI: 3 TPS khusus = 2 di Ponpes Lirboyo (Kel. Lirboyo, Mojoroto) dan 1 di lapas (ditaruh di "
    "Kel. Setonopande, Kec. Kota; kelurahan lapas tidak diverifikasi).",
    "SINTETIS: jumlah pemilih per TPS (Kota Kediri dijumlah tepat 222.596; Kabupaten sekitar 535 per TPS).",
    "SINTETIS: koordinat desa dan TPS, ditempatkan di dalam lingkaran perkiraan tiap kecamatan "
    "(data/extents.csv, perkiraan tangan, bukan batas wilayah resmi).",
    "ASUMSI: satu Polsek dan satu Koramil per kecamatan (daftar Polsek lengkap tidak ditemukan).",
    "Kekuatan asli: 576 Polri, 31 TNI, 1.678 Linmas (2 per TPS); SINTETIS: nama, NRP, pangkat, "
    "sebaran ke satuan (Polres sekitar sepertiga, sisanya ke Polsek menurut beban TPS), desa asal "
    "(sekitar 30% tinggal di wilayah), status sakit/cuti (sekitar 2% Polri).",
    "SINTETIS: nilai indikator kerawanan untuk sebagian kecil TPS, dibuat rendah sehingga semua TPS "
    "reguler tetap kurang rawan (yang diumumkan: seluruh 839 TPS kurang rawan).",
    "SINTETIS: nama, telepon dan email narahubung mitra (nomor 555, domain example.org).",
)


def build() -> Scenario:
    """Build the scenario deterministically (fixed seed)."""
    rng = np.random.default_rng(SEED)
    districts = list(KOTA_REGULAR) + list(KAB_TPS)
    vills = [v for code in districts for v in villages_of(code)]
    v_lat, v_lon = place_villages(vills, rng)

    plans: list[TPSPlan] = []
    for code in districts:
        members = [v for v in vills if v.district_code == code]
        total = KOTA_REGULAR.get(code) or KAB_TPS[code]
        counts = split_total(total, jittered_weights(len(members), rng), 5, 40)
        plans += [TPSPlan(v, n, KOTA_KHUSUS.get(v.code, 0)) for v, n in zip(members, counts, strict=True)]

    kota_plans = [p for p in plans if p.village.regency_code == "35.71"]
    kota_khusus_voters = [580 if p.village.code == "35.71.01.1013" else 450 for p in kota_plans for _ in range(p.khusus)]
    n_kota_regular = sum(p.regular for p in kota_plans)
    kota_regular_voters = split_total(KOTA_DPS - sum(kota_khusus_voters),
                                      jittered_weights(n_kota_regular, rng, 0.06), 450, 600)
    voters: list[int] = []
    it_reg, it_kh = iter(kota_regular_voters), iter(kota_khusus_voters)
    for p in plans:
        if p.village.regency_code == "35.71":
            voters += [next(it_reg) for _ in range(p.regular)] + [next(it_kh) for _ in range(p.khusus)]
        else:
            voters += np.clip(np.round(rng.normal(535, 30, p.regular)), 420, 600).astype(int).tolist()
    tps = make_tps(plans, v_lat, v_lon, voters, rng)

    units = [
        UnitRecord(POLRES, "Polres Kediri Kota", "polri", "polres", None, -7.8170, 112.0160),
        UnitRecord(KODIM, "Kodim 0809/Kediri", "tni", "kodim", None, -7.8205, 112.0125),
    ]
    units += area_units(districts, dict.fromkeys(districts, POLRES), KODIM, vills, v_lat, v_lon, "0809")
    units += linmas_units(vills, v_lat, v_lon)

    codes = [v.code for v in vills]
    span = {c: (codes.index(villages_of(c)[0].code), codes.index(villages_of(c)[-1].code) + 1) for c in districts}
    tps_per_district = [sum(p.regular + p.khusus for p in plans if p.village.district_code == c) for c in districts]
    hq = round(POLRI / 3)
    polsek_sizes = split_total(POLRI - hq, tps_per_district, 10, 200)
    polri_q = [Quota(POLRES, "polres", hq, 0, len(codes))]
    polri_q += [Quota(u.unit_id, "polsek", n, *span[c])
                for u, n, c in zip([u for u in units if u.level == "polsek"], polsek_sizes, districts, strict=True)]
    tni_q = [Quota(KODIM, "kodim", TNI - 3 * len(districts), 0, len(codes))]
    tni_q += [Quota(u.unit_id, "koramil", 3, *span[c])
              for u, c in zip([u for u in units if u.level == "koramil"], districts, strict=True)]
    personnel = make_polri(polri_q, codes, rng) + make_tni(tni_q, codes, rng)
    per_village = [2 * (p.regular + p.khusus) for p in plans]
    personnel += make_linmas(codes, per_village, v_lat, v_lon, rng, [tps_spread_km(v) for v in vills])

    regular_ids = [t.tps_id for t in tps if t.kind == "regular"]
    flagged = sorted(rng.choice(len(regular_ids), size=round(0.12 * len(regular_ids)), replace=False).tolist())
    city = [regular_ids[i] for i in flagged if regular_ids[i].startswith("3571")]
    kab = [regular_ids[i] for i in flagged if not regular_ids[i].startswith("3571")]
    indicators = indicator_records(city, MILD[:3], rng) + indicator_records(kab, MILD, rng)

    dataset = Dataset(tps=tps, units=units, personnel=personnel, indicators=indicators, synthetic=True)
    election = ElectionSpec(
        name="Pilkada Serentak 2024 (Pilgub Jawa Timur, Pilwali Kota Kediri, Pilbup Kediri)",
        kind="pilkada", voting_day=date(2024, 11, 27),
        regencies=(("35.71", "Kota Kediri"), ("35.06", "Kabupaten Kediri")),
        stages=pilkada_2024_stages(),
    )
    operation = OperationSpec("Operasi Mantap Praja Semeru 2024", date(2024, 8, 19), date(2024, 12, 31), POLRES)
    partner_rows = [
        ("KPU Kota Kediri", "kpu", "35.71"), ("Bawaslu Kota Kediri", "bawaslu", "35.71"),
        ("Pemerintah Kota Kediri", "pemda", "35.71"), ("Satpol PP Kota Kediri", "satpol_pp", "35.71"),
        ("KPU Kabupaten Kediri", "kpu", "35.06"), ("Bawaslu Kabupaten Kediri", "bawaslu", "35.06"),
        ("BPBD Kabupaten Kediri", "bpbd", "35.06"),
    ]
    return Scenario(
        name=NAME, title=TITLE,
        description=("Wilayah hukum Polres Kediri Kota (3 kecamatan Kota Kediri dan 5 kecamatan Kabupaten "
                     "Kediri) pada Pilkada 27 November 2024: 839 TPS, 576 Polri, 31 TNI, 1.678 Linmas. "
                     "Tempat dan jumlah asli; orang, koordinat dan indikator sintetis."),
        election=election, operation=operation, partners=partners(partner_rows, "0354", SEED),
        dataset=dataset, plan_toml=plan_text("kediri-kota-2024"), assumptions=ASSUMPTIONS, synthetic=True,
    )
