"""Scenario ``kediri-pilkades-2022``: the Kabupaten Kediri Pilkades wave of 7 December 2022.

Real: 57 desa in 13 kecamatan with the published count per kecamatan, 530 TPS, DPT 233,891, the
date, the split of the kabupaten between Polres Kediri and Polres Kediri Kota (Mojo belongs to
Polres Kediri Kota), Kodim 0809. Which desa voted, TPS per desa, people, coordinates and
indicators are synthetic (see ASSUMPTIONS).
"""

from __future__ import annotations

from datetime import date

from siaga.scenarios.areas import district_code_by_name
from siaga.scenarios.elections import partners, pilkades_stages
from siaga.scenarios.model import ElectionSpec, OperationSpec, Scenario
from siaga.scenarios.pilkades import PilkadesSpec, PolresSpec, build_dataset
from siaga.scenarios.plans import plan_text

NAME = "kediri-pilkades-2022"
TITLE = "Pilkades serentak Kabupaten Kediri, 7 Desember 2022 (57 desa, 530 TPS)"
KAB = "35.06"

# Published: desa voting per kecamatan (DPMD Kabupaten Kediri). Mojo (Polres Kediri Kota) last.
DESA = {"Wates": 13, "Plosoklaten": 11, "Ngancar": 8, "Kepung": 6, "Puncu": 5, "Pagu": 2, "Papar": 2,
        "Kayen Kidul": 2, "Ngasem": 2, "Purwoasri": 2, "Ngadiluwih": 1, "Gampengrejo": 1, "Mojo": 2}
KOTA_AREA = ("Mojo",)  # of the involved kecamatan, those in the Polres Kediri Kota area
TPS_TOTAL, DPT = 530, 233_891
POLRES_KEDIRI = (240, 360)  # HQ, Polsek: 600 of the about 650 Polri of Polres Kediri
POLRES_KEDIRI_KOTA = (30, 30)
TNI_TOTAL = 500  # deliberately 30 short of the 530 the pattern needs (1 TNI per TPS)

ASSUMPTIONS = (
    "Nama dan kode desa asli (Kepmendagri 300.2.2-2138/2025, via cahyadsn/wilayah).",
    "Jumlah asli: 57 desa di 13 kecamatan (Wates 13, Plosoklaten 11, Ngancar 8, Kepung 6, Puncu 5, "
    "Pagu/Papar/Kayen Kidul/Ngasem/Purwoasri/Mojo masing-masing 2, Ngadiluwih 1, Gampengrejo 1), "
    "530 TPS, DPT 233.891, pemungutan suara 7 Desember 2022.",
    "ASUMSI: desa mana yang ikut dipilih acak-tetap (seed) di antara desa asli tiap kecamatan.",
    "SINTETIS: TPS per desa (5-20, total tepat 530), pemilih per TPS (total tepat 233.891), koordinat "
    "(dalam lingkaran perkiraan kecamatan, data/extents.csv).",
    "Wilayah hukum asli: Mojo masuk Polres Kediri Kota, kecamatan lain Polres Kediri; Kodim 0809.",
    "ASUMSI: Polres hanya mencantumkan kecamatan yang ikut Pilkades; Polsek dan Koramil hanya untuk "
    "kecamatan itu (satu per kecamatan).",
    "SINTETIS: Polres Kediri menurunkan 600 dari sekitar 650 Polri-nya (240 Polres, 360 Polsek menurut "
    "beban TPS); Polres Kediri Kota 60 untuk 2 desa di Mojo; nama, NRP, pangkat, desa asal, ~2% sakit/cuti.",
    "ASUMSI: TNI sengaja 500 orang, 30 kurang dari kebutuhan pola pilkades (1 TNI per TPS), untuk "
    "menunjukkan kekurangan dan kebutuhan BKO.",
    "SINTETIS: 4 desa diberi indikator 'dukungan berimbang' (rawan) di semua TPS-nya.",
    "ASUMSI: tanggal tahapan di luar hari pemungutan dan nama operasi pengamanan tidak dari sumber.",
    "SINTETIS: narahubung mitra (nomor 555, domain example.org).",
)


def _codes(names) -> tuple[str, ...]:
    return tuple(district_code_by_name(KAB, n) for n in names)


def build() -> Scenario:
    """Build the scenario deterministically (fixed seed)."""
    kab_area = tuple(n for n in DESA if n not in KOTA_AREA)
    spec = PilkadesSpec(
        seed=2022_12_07, regency_code=KAB,
        desa_per_district={district_code_by_name(KAB, n): k for n, k in DESA.items()},
        tps_total=TPS_TOTAL, voters_total=DPT,
        polres=(
            PolresSpec("POLRES-KEDIRI", "Polres Kediri", -7.7640, 112.1905, _codes(kab_area), *POLRES_KEDIRI),
            PolresSpec("POLRES-KEDIRI-KOTA", "Polres Kediri Kota", -7.8170, 112.0160, _codes(KOTA_AREA),
                       *POLRES_KEDIRI_KOTA),
        ),
        kodim_id="KODIM-0809", kodim_name="Kodim 0809/Kediri", kodim_no="0809",
        kodim_lat=-7.8205, kodim_lon=112.0125, tni_total=TNI_TOTAL, rawan_desa=4,
    )
    voting = date(2022, 12, 7)
    election = ElectionSpec(
        name="Pemilihan Kepala Desa Serentak Kabupaten Kediri 2022", kind="pilkades", voting_day=voting,
        regencies=((KAB, "Kabupaten Kediri"),),
        stages=pilkades_stages(voting, date(2022, 8, 1), date(2022, 10, 1), date(2022, 12, 31)),
    )
    operation = OperationSpec("Pengamanan Pilkades Serentak Kabupaten Kediri 2022", date(2022, 8, 1),
                              date(2022, 12, 31), "POLRES-KEDIRI")
    partner_rows = [
        ("Dinas Pemberdayaan Masyarakat dan Desa Kabupaten Kediri", "pemda", KAB),
        ("Panitia Pemilihan Kepala Desa Kabupaten Kediri", "other", KAB),
        ("Satpol PP Kabupaten Kediri", "satpol_pp", KAB),
    ]
    return Scenario(
        name=NAME, title=TITLE,
        description=("Pilkades serentak di 57 desa, 13 kecamatan Kabupaten Kediri (7 Desember 2022), "
                     "diamankan Polres Kediri dan Polres Kediri Kota bersama Kodim 0809: 530 TPS. "
                     "Jumlah dan tempat asli; desa terpilih, orang, koordinat dan indikator sintetis."),
        election=election, operation=operation, partners=partners(partner_rows, "0354", spec.seed),
        dataset=build_dataset(spec), plan_toml=plan_text("pilkades"), assumptions=ASSUMPTIONS, synthetic=True,
    )
