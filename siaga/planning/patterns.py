"""Security patterns (pola pengamanan): police – TPS – Linmas per vulnerability category."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from siaga.domain.vocab import CATEGORIES


@dataclass(frozen=True, slots=True)
class CategoryRule:
    """Staffing of one post of a category: ``polri_per_post`` police guard up to ``tps_per_post`` TPS."""

    polri_per_post: int
    tps_per_post: int
    linmas_per_tps: float
    tni_per_post: int = 0

    def __post_init__(self) -> None:
        if self.polri_per_post < 0 or self.tni_per_post < 0 or self.linmas_per_tps < 0:
            raise ValueError("staffing numbers must not be negative")
        if self.tps_per_post < 1:
            raise ValueError("tps_per_post must be at least 1")

    @property
    def label(self) -> str:
        """The rule as police-TPS-Linmas, e.g. ``2-4-8``."""
        linmas = self.linmas_per_tps * self.tps_per_post
        linmas_text = f"{linmas:g}"
        text = f"{self.polri_per_post}-{self.tps_per_post}-{linmas_text}"
        return text + (f" +{self.tni_per_post} TNI" if self.tni_per_post else "")


@dataclass(frozen=True, slots=True)
class Pattern:
    """A named pattern: one rule per category (kurang_rawan, rawan, sangat_rawan, khusus)."""

    name: str
    rules: dict[str, CategoryRule]
    source: str = ""
    description: str = field(default="", compare=False)


# --- Presets and parsing (below the two contract dataclasses) ---------------------------------

_TRIPLE = re.compile(r"^\s*(\d+)\s*[-:]\s*(\d+)\s*[-:]\s*(\d+)\s*(?:\+\s*(\d+)\s*TNI\s*)?$", re.IGNORECASE)


def parse_triple(text: str) -> CategoryRule:
    """Read ``police-TPS-Linmas`` (``2-4-8``, ``2:4:8``, optionally ``+1 TNI``) as a CategoryRule.

    The third number is the Linmas of the whole post, so ``linmas_per_tps`` = third / second
    (``2-4-6`` gives 1.5 per TPS). ValueError on anything else.
    """
    match = _TRIPLE.match(text)
    if not match:
        raise ValueError(f"pola {text!r} tidak terbaca: tulis Polri-TPS-Linmas, misalnya 2-4-8")
    polri, tps, linmas, tni = match.groups()
    if int(tps) < 1:
        raise ValueError(f"pola {text!r}: jumlah TPS per pos minimal 1")
    return CategoryRule(int(polri), int(tps), int(linmas) / int(tps), int(tni or 0))


def _same(rule: CategoryRule) -> dict[str, CategoryRule]:
    return dict.fromkeys(CATEGORIES, rule)


def _pattern(name: str, triples: dict[str, str], source: str, description: str) -> Pattern:
    return Pattern(name, {cat: parse_triple(t) for cat, t in triples.items()}, source, description)


PRESETS: dict[str, Pattern] = {
    "mabes-2019": _pattern(
        "mabes-2019",
        {"kurang_rawan": "2-4-6", "rawan": "4-2-8", "sangat_rawan": "6-2-8", "khusus": "6-2-8"},
        "Mabes Polri, Pemilu 2019 (Karopenmas Dedi Prasetyo, 15 Apr 2019): "
        "https://independensi.com/2019/04/16/polri-turunjan-271-880-personel-dan-16-juta-linmas-untuk-amankan-tps-saat-pencoblosan ; "
        "https://kumparan.com/@kumparannews/polisi-akan-berjaga-di-tps-jumlahnya-sesuai-tingkat-kerawanan-1qtQH2eL4B5",
        "Pola nasional Pemilu 2019. Kategori khusus belum ada pada 2019; Siaga memperlakukannya seperti sangat rawan.",
    ),
    "pilkada-2020": Pattern(
        "pilkada-2020",
        {
            "kurang_rawan": CategoryRule(2, 10, 2.0),
            "rawan": CategoryRule(2, 2, 2.0),
            "sangat_rawan": CategoryRule(2, 1, 2.0),
            "khusus": CategoryRule(2, 1, 2.0),
        },
        "Mabes Polri, Pilkada 2020 (Kompas 8 Dec 2020; Voi Sep 2020): "
        "https://nasional.kompas.com/read/2020/12/08/12452501/pilkada-2020-di-tengah-pandemi-covid-19-bagaimana-persiapan-pengamanan?page=3 ; "
        "https://voi.id/zh/news/13330",
        "Sumber hanya menyebut Polri: 2 per 10 TPS (kurang rawan), 2 per 2 TPS (rawan), 2 per TPS (sangat rawan, "
        "khusus). Linmas 2 per TPS adalah petugas ketertiban TPS yang dibentuk KPU, bukan angka dari sumber itu.",
    ),
    "polda-jateng-2024": _pattern(
        "polda-jateng-2024",
        {"kurang_rawan": "2-4-8", "rawan": "2-6-12", "sangat_rawan": "2-1-2", "khusus": "2-1-2"},
        "Polda Jateng, perintah BKO Pilkada 2024 (Wakapolda; Idola 92.6 FM, URL tidak tercatat); "
        "kurang rawan 2-4-8 seperti Polres Pagar Alam dan Kulon Progo",
        "Rawan 2-6-12 ditulis seperti dalam perintah, walau lebih longgar dari kurang rawan 2-4-8. "
        "Sangat rawan dan TPS khusus 2-1-2.",
    ),
    "jakbar-2024": Pattern(
        "jakbar-2024",
        _same(parse_triple("2-16-32")),
        "Polres Metro Jakarta Barat, Pemilu 2024: "
        "https://pemilu.antaranews.com/berita/3944763/seluruh-tps-di-jakbar-masuk-kategori-kurang-rawan",
        "2 Polri per 16 TPS dengan 32 Linmas (2 per TPS) untuk semua kategori; 7.169 TPS, semuanya kurang rawan.",
    ),
    "pilkades": Pattern(
        "pilkades",
        _same(CategoryRule(1, 1, 2.0, tni_per_post=1)),
        "Praktik Pilkades Kediri (1 polisi + 1 Babinsa per TPS): "
        "https://www.cendananews.com/2019/10/amankan-pilkades-polresta-kediri-terjunkan-450-personel.html",
        "1 Polri dan 1 TNI (Babinsa) per TPS, 2 Linmas per TPS; tambah personel di TPS rawan dengan tabel kategori.",
    ),
}


def get_pattern(name: str) -> Pattern:
    """The preset called ``name``; ValueError listing the presets when there is none."""
    try:
        return PRESETS[name]
    except KeyError:
        raise ValueError(f"pola {name!r} tidak dikenal; pilihan: {', '.join(PRESETS)}") from None
