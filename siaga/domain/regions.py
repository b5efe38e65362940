"""Kemendagri region codes: ``PP.RR.DD.VVVV`` (province, regency/city, district, village).

Regency numbers 01-69 are kabupaten and 71-99 are kota. Village numbers beginning with 1 are
kelurahan (urban, headed by an appointed lurah) and with 2 are desa (which elect a kepala desa).
Province ``99`` is not a real province: Siaga uses it for generated, synthetic areas.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PROVINCES: dict[str, str] = {
    "11": "Aceh", "12": "Sumatera Utara", "13": "Sumatera Barat", "14": "Riau", "15": "Jambi",
    "16": "Sumatera Selatan", "17": "Bengkulu", "18": "Lampung", "19": "Kepulauan Bangka Belitung",
    "21": "Kepulauan Riau", "31": "DKI Jakarta", "32": "Jawa Barat", "33": "Jawa Tengah",
    "34": "Daerah Istimewa Yogyakarta", "35": "Jawa Timur", "36": "Banten", "51": "Bali",
    "52": "Nusa Tenggara Barat", "53": "Nusa Tenggara Timur", "61": "Kalimantan Barat",
    "62": "Kalimantan Tengah", "63": "Kalimantan Selatan", "64": "Kalimantan Timur",
    "65": "Kalimantan Utara", "71": "Sulawesi Utara", "72": "Sulawesi Tengah", "73": "Sulawesi Selatan",
    "74": "Sulawesi Tenggara", "75": "Gorontalo", "76": "Sulawesi Barat", "81": "Maluku",
    "82": "Maluku Utara", "91": "Papua", "92": "Papua Barat", "93": "Papua Selatan",
    "94": "Papua Tengah", "95": "Papua Pegunungan", "96": "Papua Barat Daya",
    "99": "Provinsi Sintetis (synthetic)",
}

_CODE = re.compile(r"^(\d{2})\.?(\d{2})\.?(\d{2})\.?(\d{4})$")


@dataclass(frozen=True, slots=True)
class VillageCode:
    province: str  # "35"
    regency: str  # "35.71"
    district: str  # "35.71.01"
    village: str  # "35.71.01.1001"

    @property
    def is_kelurahan(self) -> bool:
        return self.village[-4] == "1"

    @property
    def village_kind(self) -> str:
        return "kelurahan" if self.is_kelurahan else "desa"

    @property
    def regency_kind(self) -> str:
        return "kota" if int(self.regency[-2:]) >= 71 else "kabupaten"


def parse_village_code(text: str) -> VillageCode | None:
    """Parse a dotted (``35.71.01.1001``) or plain (``3571011001``) village code; None if malformed."""
    match = _CODE.match(text.strip())
    if not match:
        return None
    p, r, d, v = match.groups()
    if p not in PROVINCES or v[0] not in "12":
        return None
    return VillageCode(p, f"{p}.{r}", f"{p}.{r}.{d}", f"{p}.{r}.{d}.{v}")
