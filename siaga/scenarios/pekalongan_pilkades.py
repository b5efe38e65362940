"""Scenario ``pekalongan-pilkades-2022``: the Kabupaten Pekalongan Pilkades wave of 23 February 2022.

Real: 33 desa, 27 in the Polres Pekalongan area (every kecamatan but Tirto and Buaran) and 6 in the
Polres Pekalongan Kota area (Tirto, Buaran); Polres Pekalongan secured its 27 desa with 319
personnel plus 31 Brimob; Kodim 0710. Which desa, TPS per desa, people, coordinates and indicators
are synthetic (see ASSUMPTIONS).
"""

from __future__ import annotations

from datetime import date

import numpy as np

from siaga.scenarios.areas import extents, villages_of
from siaga.scenarios.elections import partners, pilkades_stages
from siaga.scenarios.model import ElectionSpec, OperationSpec, Scenario
from siaga.scenarios.pilkades import PilkadesSpec, PolresSpec, build_dataset
from siaga.scenarios.plans import plan_text

NAME = "pekalongan-pilkades-2022"
TITLE = "Pilkades serentak Kabupaten Pekalongan, 23 Februari 2022 (33 desa)"
KAB = "33.26"
SEED = 2022_02_23
KOTA_AREA = {"33.26.15": 4, "33.26.14": 2}  # Tirto, Buaran: 6 desa (split between them assumed)
DESA_POLRES = 27
POLRI_POLRES = 319  # published: 319 personnel for the 27 desa
BRIMOB = 31  # published: plus 31 Brimob
POLRES_KOTA = (30, 35)  # HQ, Polsek Tirto + Buaran (synthetic)

ASSUMPTIONS = (
    "Nama dan kode desa asli (Kepmendagri 300.2.2-2138/2025, via cahyadsn/wilayah); kelurahan tidak ikut.",
    "Jumlah asli: 33 desa, 27 di wilayah Polres Pekalongan (semua kecamatan kecuali Tirto dan Buaran) dan "
    "6 di wilayah Polres Pekalongan Kota (Tirto, Buaran); pemungutan suara 23 Februari 2022.",
    "Kekuatan asli: Polres Pekalongan 319 personel untuk 27 desa ditambah 31 Brimob (BKO, cadangan).",
    "ASUMSI: desa mana yang ikut dipilih acak-tetap (seed); 6 desa wilayah kota dibagi Tirto 4, Buaran 2.",
    "SINTETIS: TPS per desa (4-12), pemilih per TPS (sekitar 450), koordinat dalam lingkaran perkiraan "
    "kecamatan (data/extents.csv).",
    "SINTETIS: 319 Polri Polres Pekalongan dibagi sepertiga Polres dan sisanya ke Polsek menurut beban TPS; "
    "Polres Pekalongan Kota 65 Polri; Kodim 0710 dan Koramil cukup untuk 1 TNI per TPS (+10%); nama, NRP, "
    "pangkat, desa asal, ~2% Polri sakit/cuti.",
    "ASUMSI: satu Polsek dan satu Koramil per kecamatan yang ikut; markas Polres, Kodim dan Brimob di "
    "koordinat perkiraan.",
    "SINTETIS: 4 desa diberi indikator 'dukungan berimbang' (rawan) di semua TPS-nya.",
    "ASUMSI: tanggal tahapan di luar hari pemungutan dan nama operasi pengamanan tidak dari sumber.",
    "SINTETIS: narahubung mitra (nomor 555, domain example.org).",
)


def _choose_desa(rng: np.random.Generator) -> dict[str, int]:
    """27 desa drawn among all desa of the Polres Pekalongan kecamatan, counted per kecamatan."""
    codes = [c for c in extents() if c.startswith(KAB + ".") and c not in KOTA_AREA]
    pool = [v for c in codes for v in villages_of(c) if v.is_desa]
    picked = rng.choice(len(pool), size=DESA_POLRES, replace=False)
    counts: dict[str, int] = {}
    for i in sorted(picked.tolist()):
        counts[pool[i].district_code] = counts.get(pool[i].district_code, 0) + 1
    return counts


def build() -> Scenario:
    """Build the scenario deterministically (fixed seed)."""
    polres_desa = _choose_desa(np.random.default_rng(SEED))
    hq = round(POLRI_POLRES / 3)
    spec = PilkadesSpec(
        seed=SEED, regency_code=KAB, desa_per_district={**polres_desa, **KOTA_AREA},
        tps_total=None, voters_total=None,
        polres=(
            PolresSpec("POLRES-PEKALONGAN", "Polres Pekalongan", -7.0262, 109.5885, tuple(polres_desa),
                       hq, POLRI_POLRES - hq, ("BRIMOB-BKO-PEKALONGAN", "Brimob BKO (Satbrimob Polda Jateng)", BRIMOB)),
            PolresSpec("POLRES-PEKALONGAN-KOTA", "Polres Pekalongan Kota", -6.8890, 109.6755, tuple(KOTA_AREA),
                       *POLRES_KOTA),
        ),
        kodim_id="KODIM-0710", kodim_name="Kodim 0710/Pekalongan", kodim_no="0710",
        kodim_lat=-6.8870, kodim_lon=109.6720, tni_total=None, rawan_desa=4, tni_per_tps=1.1,
    )
    voting = date(2022, 2, 23)
    election = ElectionSpec(
        name="Pemilihan Kepala Desa Serentak Kabupaten Pekalongan 2022", kind="pilkades", voting_day=voting,
        regencies=((KAB, "Kabupaten Pekalongan"),),
        stages=pilkades_stages(voting, date(2021, 11, 1), date(2022, 1, 3), date(2022, 3, 24)),
    )
    operation = OperationSpec("Pengamanan Pilkades Serentak Kabupaten Pekalongan 2022", date(2021, 11, 1),
                              date(2022, 3, 24), "POLRES-PEKALONGAN")
    partner_rows = [
        ("Dinas Pemberdayaan Masyarakat dan Desa Kabupaten Pekalongan", "pemda", KAB),
        ("Panitia Pemilihan Kepala Desa Kabupaten Pekalongan", "other", KAB),
        ("Satpol PP Kabupaten Pekalongan", "satpol_pp", KAB),
    ]
    return Scenario(
        name=NAME, title=TITLE,
        description=("Pilkades serentak di 33 desa Kabupaten Pekalongan (23 Februari 2022): 27 desa di wilayah "
                     "Polres Pekalongan (319 personel + 31 Brimob BKO) dan 6 desa di wilayah Polres Pekalongan "
                     "Kota (Tirto, Buaran), bersama Kodim 0710. Jumlah dan tempat asli; desa terpilih, orang, "
                     "koordinat dan indikator sintetis."),
        election=election, operation=operation, partners=partners(partner_rows, "0285", SEED),
        dataset=build_dataset(spec), plan_toml=plan_text("pilkades"), assumptions=ASSUMPTIONS, synthetic=True,
    )
