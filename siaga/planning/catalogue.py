"""The catalogue of TPS vulnerability indicators (kerawanan), with default weights.

Three sources (domain brief section 2): Bawaslu's TPS mapping for Pilkada 2024 (8 variables),
Bawaslu's TPS mapping for Pemilu 2024 (7 variables, 22 indicators) and the criteria Polri commanders
name for rawan / sangat rawan TPS. Weights are points on a 100-point scale (see docs/risk.md):
security and conflict indicators weigh most, administrative ones least. ``indicators.csv`` refers to
indicators by ``code``; ``plan.toml`` ``[risk.weights]`` overrides weights by code.
"""

from __future__ import annotations

from dataclasses import dataclass

SOURCES: dict[str, str] = {
    "bawaslu-pilkada-2024": "Bawaslu, pemetaan kerawanan TPS Pilkada 2024 (8 variabel)",
    "bawaslu-pemilu-2024": "Bawaslu, pemetaan kerawanan TPS Pemilu 2024 (7 variabel, 22 indikator)",
    "polri": "Kriteria TPS rawan dan sangat rawan yang disebut pimpinan Polri",
}

KINDS: tuple[str, ...] = ("flag", "count", "km")

# group code -> (Indonesian name, English name)
GROUPS: dict[str, tuple[str, str]] = {
    "hak_pilih": ("Penggunaan hak pilih", "Use of the right to vote"),
    "keamanan": ("Keamanan", "Security"),
    "kampanye": ("Kampanye", "Campaign"),
    "politik_uang": ("Politik uang", "Money politics"),
    "sara": ("Politisasi SARA", "Politicisation of ethnicity, religion, race and group (SARA)"),
    "netralitas": ("Netralitas", "Neutrality"),
    "logistik": ("Logistik", "Logistics"),
    "lokasi": ("Lokasi TPS", "TPS location"),
    "listrik_internet": ("Jaringan listrik dan internet", "Electricity and internet"),
    "kontestasi": ("Kontestasi", "Contest between candidates"),
    "jarak": ("Jarak ke kepolisian", "Distance to the police"),
}


@dataclass(frozen=True, slots=True)
class Indicator:
    """One vulnerability indicator: what it means, where it comes from and how much it weighs.

    ``kind`` says how a value becomes a contribution between 0 and 1: ``flag`` takes the value
    (0 = no, 1 = yes), ``count`` grows linearly to full at ``full_at``, ``km`` is computed by Siaga
    from coordinates (never read from files).
    """

    code: str
    name_id: str
    name_en: str
    group: str
    source: str
    weight: float
    kind: str = "flag"
    description: str = ""
    full_at: float = 1.0

    def __post_init__(self) -> None:
        if self.source not in SOURCES:
            raise ValueError(f"indicator {self.code}: unknown source {self.source!r}")
        if self.kind not in KINDS:
            raise ValueError(f"indicator {self.code}: unknown kind {self.kind!r}")
        if self.group not in GROUPS:
            raise ValueError(f"indicator {self.code}: unknown group {self.group!r}")
        if self.weight < 0 or self.full_at <= 0:
            raise ValueError(f"indicator {self.code}: weight must be >= 0 and full_at > 0")


_PREFIX_SOURCE = {"pilkada24": "bawaslu-pilkada-2024", "pemilu24": "bawaslu-pemilu-2024", "polri": "polri"}


def _build(rows: list[tuple]) -> dict[str, Indicator]:
    """Build the catalogue from compact rows (code, name_id, name_en, group, weight, description[, kind, full_at])."""
    out: dict[str, Indicator] = {}
    for row in rows:
        code, name_id, name_en, group, weight, description, *rest = row
        kind = rest[0] if rest else "flag"
        full_at = rest[1] if len(rest) > 1 else 1.0
        if code in out:
            raise ValueError(f"duplicate indicator code {code}")
        source = _PREFIX_SOURCE[code.split(".")[0]]
        out[code] = Indicator(code, name_id, name_en, group, source, float(weight), kind, description, float(full_at))
    return out


# Weight scale (points of 100): 45 history of violence/conflict; 40 intimidation, refusal, SARA,
# near-even support, conflict-prone location; 30 hard to reach (Polri), far from the police;
# 25 money politics, hard to reach (Bawaslu), repeat vote; 20 disaster, near a candidate, noken;
# 15 neutrality, special location; 10 logistics; 8 near school/factory; 2-5 administrative.
_ROWS: list[tuple] = [
    # --- Bawaslu Pilkada 2024: 8 variables, 25 indicators -------------------------------------
    ("pilkada24.hak_pilih.dpt_tms", "Pemilih DPT tidak memenuhi syarat (TMS)",
     "Ineligible voters (TMS) on the voter list", "hak_pilih", 3,
     "DPT lists voters who are dead, moved, underage, TNI/Polri members or duplicated."),
    ("pilkada24.hak_pilih.dptb", "Pemilih pindahan (DPTb)", "Transferred voters (DPTb)", "hak_pilih", 3,
     "Number of DPTb voters at the TPS; full weight from 20 (Bawaslu 2018 flagged more than 20).",
     "count", 20),
    ("pilkada24.hak_pilih.dpk", "Potensi pemilih DPK", "Potential voters not on the list (DPK)", "hak_pilih", 3,
     "Residents likely to vote with an ID card only (DPK)."),
    ("pilkada24.hak_pilih.penyelenggara_luar_domisili", "Penyelenggara bertugas di luar domisili",
     "Organisers serving outside their domicile", "hak_pilih", 3,
     "KPPS members who vote at a TPS outside their home area."),
    ("pilkada24.hak_pilih.disabilitas", "Pemilih disabilitas terdaftar di DPT", "Disabled voters on the list",
     "hak_pilih", 2, "The TPS must provide assistance and access for disabled voters."),
    ("pilkada24.hak_pilih.noken", "Riwayat penyalahgunaan sistem noken", "History of noken-system misuse",
     "hak_pilih", 20, "Papua's collective (noken) voting was misused at this TPS before."),
    ("pilkada24.hak_pilih.psu", "Riwayat pemungutan/penghitungan suara ulang (PSU/PSSU)",
     "History of a repeat vote or count (PSU/PSSU)", "hak_pilih", 25,
     "A repeat vote or count was ordered at this TPS in an earlier election."),
    ("pilkada24.keamanan.kekerasan", "Riwayat kekerasan di TPS", "History of violence at the TPS", "keamanan", 45,
     "Violence happened at or around this TPS in an earlier election."),
    ("pilkada24.keamanan.intimidasi", "Riwayat intimidasi terhadap penyelenggara",
     "History of intimidation of organisers", "keamanan", 40,
     "Organisers at this TPS were intimidated in an earlier election."),
    ("pilkada24.keamanan.penolakan", "Riwayat penolakan penyelenggaraan pemungutan suara",
     "History of refusal to hold the vote", "keamanan", 40,
     "Residents or groups refused to let the vote take place here before."),
    ("pilkada24.politik_uang", "Politik uang di sekitar TPS", "Money politics around the TPS", "politik_uang", 25,
     "Money or goods handed out to voters around the TPS."),
    ("pilkada24.sara", "Politisasi SARA di sekitar TPS", "SARA politicisation around the TPS", "sara", 40,
     "Insult or incitement on ethnicity, religion, race or group near the TPS."),
    ("pilkada24.netralitas.penyelenggara", "Penyelenggara tidak netral atau KPPS berkampanye",
     "Organisers not neutral or KPPS campaigning", "netralitas", 15,
     "KPPS or other organisers take sides or campaign."),
    ("pilkada24.netralitas.aparat", "ASN, TNI/Polri atau kades/perangkat desa tidak netral",
     "Civil servants, TNI/Polri or village officials not neutral", "netralitas", 15,
     "Partisan acts by ASN, TNI/Polri members or the village head and staff."),
    ("pilkada24.logistik.rusak", "Riwayat logistik rusak", "History of damaged logistics", "logistik", 10,
     "Ballots or boxes arrived damaged before."),
    ("pilkada24.logistik.kurang_lebih", "Riwayat logistik kurang atau lebih", "History of logistics shortage or excess",
     "logistik", 10, "Ballots short, in excess or missing before."),
    ("pilkada24.logistik.terlambat", "Riwayat keterlambatan logistik", "History of late logistics", "logistik", 10,
     "Logistics arrived after H-1 before."),
    ("pilkada24.lokasi.sulit_dijangkau", "TPS sulit dijangkau", "TPS hard to reach", "lokasi", 25,
     "Terrain, water or distance make the TPS hard to reach."),
    ("pilkada24.lokasi.rawan_konflik", "Lokasi TPS rawan konflik", "TPS in a conflict-prone location", "lokasi", 40,
     "The area around the TPS is prone to conflict between groups."),
    ("pilkada24.lokasi.rawan_bencana", "TPS di wilayah rawan bencana", "TPS in a disaster-prone area", "lokasi", 20,
     "Flood, landslide or other disaster risk at the TPS."),
    ("pilkada24.lokasi.dekat_sekolah_pabrik", "TPS dekat sekolah, pabrik atau tambang",
     "TPS near a school, factory or mine", "lokasi", 8,
     "Many voters from one institution (pupils, workers) vote here."),
    ("pilkada24.lokasi.dekat_calon", "TPS dekat rumah calon atau posko kampanye",
     "TPS near a candidate's house or campaign post", "lokasi", 20,
     "Supporters gather near the TPS."),
    ("pilkada24.lokasi.khusus", "TPS di lokasi khusus", "TPS at a special location", "lokasi", 15,
     "Prison, hospital, boarding school or similar."),
    ("pilkada24.listrik_internet.listrik", "Kendala jaringan listrik", "Electricity problems", "listrik_internet", 5,
     "No or unreliable electricity at the TPS."),
    ("pilkada24.listrik_internet.internet", "Kendala jaringan internet", "Internet problems", "listrik_internet", 3,
     "No or weak internet at the TPS (result upload)."),
    # --- Bawaslu Pemilu 2024: 7 variables, 22 indicators --------------------------------------
    ("pemilu24.hak_pilih.dpt_tms", "Pemilih DPT tidak memenuhi syarat (TMS)",
     "Ineligible voters (TMS) on the voter list", "hak_pilih", 3,
     "DPT lists voters who are dead, moved, underage, TNI/Polri members or duplicated."),
    ("pemilu24.hak_pilih.dptb", "Pemilih pindahan (DPTb)", "Transferred voters (DPTb)", "hak_pilih", 3,
     "Number of DPTb voters at the TPS; full weight from 20 (Bawaslu 2018 flagged more than 20).",
     "count", 20),
    ("pemilu24.hak_pilih.dpk", "Potensi pemilih DPK", "Potential voters not on the list (DPK)", "hak_pilih", 3,
     "Residents likely to vote with an ID card only (DPK)."),
    ("pemilu24.hak_pilih.kpps_luar_domisili", "KPPS memilih di luar domisili",
     "KPPS members voting outside their domicile", "hak_pilih", 3,
     "KPPS members who vote at a TPS outside their home area."),
    ("pemilu24.keamanan.kekerasan", "Riwayat kekerasan di TPS", "History of violence at the TPS", "keamanan", 45,
     "Violence happened at or around this TPS in an earlier election."),
    ("pemilu24.keamanan.intimidasi", "Riwayat intimidasi terhadap penyelenggara",
     "History of intimidation of organisers", "keamanan", 40,
     "Organisers at this TPS were intimidated in an earlier election."),
    ("pemilu24.kampanye.politik_uang", "Pemberian uang atau barang saat kampanye/masa tenang",
     "Money or goods handed out during the campaign or quiet period", "kampanye", 25,
     "Money politics around the TPS."),
    ("pemilu24.kampanye.sara", "Ujaran SARA atau hasutan di sekitar TPS", "SARA insult or incitement near the TPS",
     "kampanye", 40, "Hate speech on ethnicity, religion, race or group near the TPS."),
    ("pemilu24.netralitas.aparat", "Tindakan partisan ASN, TNI/Polri atau kades",
     "Partisan acts by civil servants, TNI/Polri or village heads", "netralitas", 15,
     "Partisan acts by ASN, TNI/Polri members or the village head and staff."),
    ("pemilu24.netralitas.kpps_kampanye", "KPPS berkampanye", "KPPS members campaigning", "netralitas", 15,
     "Polling-station committee members campaign for a contestant."),
    ("pemilu24.logistik.rusak", "Riwayat logistik rusak", "History of damaged logistics", "logistik", 10,
     "Ballots or boxes arrived damaged before."),
    ("pemilu24.logistik.kurang_lebih", "Riwayat logistik kurang, lebih atau tidak tersedia",
     "History of logistics shortage, excess or absence", "logistik", 10, "Ballots short, in excess or missing."),
    ("pemilu24.logistik.tertukar", "Riwayat surat suara tertukar", "History of swapped ballots", "logistik", 10,
     "Ballots of another electoral district were delivered before."),
    ("pemilu24.logistik.terlambat", "Riwayat keterlambatan distribusi logistik (H-1)",
     "History of late logistics (after H-1)", "logistik", 10, "Logistics arrived after H-1 before."),
    ("pemilu24.lokasi.sulit_dijangkau", "TPS sulit dijangkau", "TPS hard to reach", "lokasi", 25,
     "Terrain, water or distance make the TPS hard to reach."),
    ("pemilu24.lokasi.rawan_bencana", "TPS di wilayah rawan bencana", "TPS in a disaster-prone area", "lokasi", 20,
     "Flood, landslide or other disaster risk at the TPS."),
    ("pemilu24.lokasi.dekat_sekolah", "TPS dekat sekolah yang siswanya memilih",
     "TPS near a school whose pupils can vote", "lokasi", 8, "Many first-time voters from one school."),
    ("pemilu24.lokasi.dekat_pabrik", "TPS dekat tambang atau pabrik", "TPS near a mine or factory", "lokasi", 8,
     "Many workers vote here."),
    ("pemilu24.lokasi.dekat_posko", "TPS dekat posko atau rumah peserta pemilu",
     "TPS near a campaign post or a contestant's house", "lokasi", 20, "Supporters gather near the TPS."),
    ("pemilu24.lokasi.khusus", "TPS di lokasi khusus", "TPS at a special location", "lokasi", 15,
     "Prison, hospital, boarding school or similar."),
    ("pemilu24.listrik_internet.listrik", "Kendala jaringan listrik", "Electricity problems", "listrik_internet", 5,
     "No or unreliable electricity at the TPS."),
    ("pemilu24.listrik_internet.internet", "Kendala jaringan internet", "Internet problems", "listrik_internet", 3,
     "No or weak internet at the TPS (result upload)."),
    # --- Polri criteria -----------------------------------------------------------------------
    ("polri.dukungan_berimbang", "Dukungan antarcalon berimbang", "Near-even support between candidates",
     "kontestasi", 40, "Two candidates or camps of about equal strength meet at this TPS (Kapolri 2019)."),
    ("polri.riwayat_konflik", "Riwayat konflik atau kekerasan", "History of conflict or violence", "keamanan", 45,
     "Physical or social conflict in the area before; weighs most (Polres Bekasi Kota 2019)."),
    ("polri.isu_sara", "Isu SARA atau isu sensitif", "SARA or other sensitive issues", "sara", 40,
     "Ethnic, religious or other sensitive issues are live in the area."),
    ("polri.rawan_bencana", "Wilayah rawan bencana", "Disaster-prone area", "lokasi", 20,
     "Flood- or landslide-prone (Jakarta 2017, Bekasi 2019)."),
    ("polri.sulit_dijangkau", "TPS jauh atau sulit dijangkau", "TPS far away or hard to reach", "lokasi", 30,
     "Far away or hard to reach: a sangat rawan criterion (Mabes 2019)."),
    ("polri.dekat_calon", "TPS dekat rumah calon atau posko pemenangan",
     "TPS near a candidate's home or campaign post", "lokasi", 20,
     "A candidate lives or votes here, or a campaign post is near (Jakarta 2017, Buleleng 2024)."),
    ("polri.lokasi_khusus", "Lokasi khusus (objek vital, lapas, pesantren)",
     "Special location (vital object, prison, boarding school)", "lokasi", 15,
     "Near a vital object or at a special site."),
    ("polri.jarak_polisi", "Jarak ke pos polisi terdekat", "Distance to the nearest police post", "jarak", 30,
     "Travel km from the TPS to the nearest police site, computed by Siaga: nothing up to 5 km, "
     "full weight from 30 km (Polres Pekalongan 2018: 1-2 hours' travel marks rawan I).", "km"),
]

CATALOGUE: dict[str, Indicator] = _build(_ROWS)

DISTANCE_CODE = "polri.jarak_polisi"


def codes() -> tuple[str, ...]:
    """All indicator codes, in catalogue order."""
    return tuple(CATALOGUE)


def file_codes() -> tuple[str, ...]:
    """Codes that may appear in ``indicators.csv`` (all but the computed ``km`` ones)."""
    return tuple(code for code, ind in CATALOGUE.items() if ind.kind != "km")


def get_indicator(code: str) -> Indicator:
    """The indicator of ``code``; ValueError naming the code when it is not in the catalogue."""
    try:
        return CATALOGUE[code]
    except KeyError:
        raise ValueError(f"indikator tidak dikenal: {code!r} (lihat docs/risk.md)") from None
