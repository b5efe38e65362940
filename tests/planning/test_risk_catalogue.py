"""The indicator catalogue: required codes, the brief's variable/indicator counts, weight ordering."""

from __future__ import annotations

from collections import Counter

import pytest

from siaga.planning.catalogue import CATALOGUE, DISTANCE_CODE, GROUPS, codes, file_codes, get_indicator

REQUIRED = (
    "pilkada24.keamanan.kekerasan",
    "pilkada24.keamanan.intimidasi",
    "pilkada24.politik_uang",
    "pilkada24.sara",
    "pilkada24.lokasi.sulit_dijangkau",
    "pilkada24.lokasi.rawan_bencana",
    "pilkada24.hak_pilih.dpt_tms",
    "polri.dukungan_berimbang",
    "polri.riwayat_konflik",
    "polri.jarak_polisi",
)


def _by_source(source: str) -> list:
    return [ind for ind in CATALOGUE.values() if ind.source == source]


def test_required_codes_present():
    """Codes other helpers generate data with are in the catalogue."""
    for code in REQUIRED:
        assert code in CATALOGUE


def test_pilkada_2024_has_eight_variables_and_25_indicators():
    """Bawaslu Pilkada 2024: 8 variables, 25 indicators as counted nationally."""
    inds = _by_source("bawaslu-pilkada-2024")
    assert len({i.group for i in inds}) == 8
    assert len(inds) == 25


def test_pemilu_2024_has_seven_variables_and_22_indicators():
    """Bawaslu Pemilu 2024: 7 variables, 22 indicators."""
    inds = _by_source("bawaslu-pemilu-2024")
    assert len({i.group for i in inds}) == 7
    assert len(inds) == 22
    assert Counter(i.group for i in inds)["logistik"] == 4


def test_polri_criteria_and_distance_is_computed():
    """Polri criteria include the computed distance indicator, which files may not carry."""
    polri = {i.code for i in _by_source("polri")}
    assert {"polri.isu_sara", "polri.rawan_bencana", "polri.sulit_dijangkau", "polri.dekat_calon",
            "polri.lokasi_khusus", DISTANCE_CODE} <= polri
    assert CATALOGUE[DISTANCE_CODE].kind == "km"
    assert DISTANCE_CODE not in file_codes()
    assert set(file_codes()) | {DISTANCE_CODE} == set(codes())


def test_security_weighs_more_than_administration():
    """Every security/conflict indicator outweighs every administrative one."""
    security = ["pilkada24.keamanan.kekerasan", "pilkada24.keamanan.intimidasi", "polri.dukungan_berimbang",
                "polri.riwayat_konflik", "pilkada24.sara", "pemilu24.kampanye.sara"]
    admin = ["pilkada24.hak_pilih.dpt_tms", "pilkada24.hak_pilih.dptb", "pemilu24.hak_pilih.dptb",
             "pilkada24.listrik_internet.internet", "pemilu24.listrik_internet.internet"]
    assert min(CATALOGUE[c].weight for c in security) > max(CATALOGUE[c].weight for c in admin)
    assert max(i.weight for i in CATALOGUE.values()) == CATALOGUE["polri.riwayat_konflik"].weight


def test_every_indicator_is_described_in_both_languages():
    """Each indicator has Indonesian and English names, a known group and a description."""
    for ind in CATALOGUE.values():
        assert ind.name_id and ind.name_en and ind.description
        assert ind.group in GROUPS
        assert ind.code.count(".") >= 1


def test_get_indicator_names_unknown_code():
    """An unknown code is a ValueError naming it."""
    assert get_indicator("pilkada24.sara").weight > 0
    with pytest.raises(ValueError, match="pilkada24.tidak_ada"):
        get_indicator("pilkada24.tidak_ada")


def test_every_indicator_is_documented():
    """docs/risk.md lists every catalogue code with its weight."""
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "risk.md").read_text(encoding="utf-8")
    for ind in CATALOGUE.values():
        row = next((line for line in text.splitlines() if line.startswith(f"| `{ind.code}` |")), None)
        assert row is not None, ind.code
        assert row.rstrip().endswith(f"| {ind.weight:g} |"), ind.code
