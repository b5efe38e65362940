"""Pilkades scenarios: Kabupaten Kediri 7 Dec 2022 and Kabupaten Pekalongan 23 Feb 2022."""

from __future__ import annotations

import tomllib
from collections import Counter
from datetime import date

from siaga.scenarios.areas import villages
from siaga.scenarios.kediri_pilkades import DESA

KEDIRI_KOTA_AREA = {"Mojo", "Semen", "Grogol", "Banyakan", "Tarokan"}


def _polres_of_district(ds) -> dict[str, str]:
    return {d: u.unit_id for u in ds.units if u.level == "polres" for d in u.districts}


def test_kediri_totals(kediri_pilkades):
    """57 desa (desa only) in 13 kecamatan with the published count each, 530 TPS, DPT 233,891."""
    tps = kediri_pilkades.dataset.tps
    assert len(tps) == 530
    desa = {t.village_code for t in tps}
    assert len(desa) == 57
    assert all(c.startswith("35.06.") and c[-4] == "2" for c in desa)
    per_district = Counter(next(t.district_name for t in tps if t.village_code == c) for c in desa)
    assert per_district == DESA
    assert sum(DESA.values()) == 57 and len(DESA) == 13
    assert sum(t.voters for t in tps) == 233_891


def test_kediri_desa_are_real(kediri_pilkades):
    """Every chosen desa exists under that name and code in the shipped region list."""
    real = {v.code: v for v in villages()}
    for t in kediri_pilkades.dataset.tps:
        v = real[t.village_code]
        assert (v.name, v.district_name, v.regency_name) == (t.village_name, t.district_name, t.regency_name)


def test_kediri_two_polres(kediri_pilkades):
    """Mojo goes to Polres Kediri Kota, the other 12 kecamatan to Polres Kediri; each Polsek under the right Polres."""
    ds = kediri_pilkades.dataset
    polres = _polres_of_district(ds)
    assert {d for d, p in polres.items() if p == "POLRES-KEDIRI-KOTA"} == set(DESA) & KEDIRI_KOTA_AREA == {"Mojo"}
    assert {d for d, p in polres.items() if p == "POLRES-KEDIRI"} == set(DESA) - KEDIRI_KOTA_AREA
    for u in ds.units:
        if u.level == "polsek":
            assert u.parent_id == polres[u.districts[0]]
    assert Counter(u.level for u in ds.units) == {"polres": 2, "polsek": 13, "kodim": 1, "koramil": 13, "village": 57}


def test_kediri_strength(kediri_pilkades):
    """Polri enough for 1 per TPS (2 at rawan TPS) within each Polres; TNI deliberately 30 short; Linmas 2 per TPS."""
    ds = kediri_pilkades.dataset
    forces = Counter(p.force for p in ds.personnel)
    assert forces["linmas"] == 2 * 530
    assert forces["tni"] == 500 == 530 - 30
    polres = _polres_of_district(ds)
    parent = {u.unit_id: u.parent_id or u.unit_id for u in ds.units if u.force == "polri"}
    rawan = {i.tps_id for i in ds.indicators}
    need = Counter()
    for t in ds.tps:
        need[polres[t.district_name]] += 2 if t.tps_id in rawan else 1
    have = Counter(parent[p.unit_id] for p in ds.personnel if p.force == "polri" and p.status == "available")
    for unit, n in need.items():
        assert have[unit] >= n
    total_kediri = sum(parent[p.unit_id] == "POLRES-KEDIRI" for p in ds.personnel if p.force == "polri")
    assert total_kediri <= 650  # only part of Polres Kediri's about 650 Polri


def test_kediri_election(kediri_pilkades):
    """Pilkades of 7 Dec 2022 with the four PP 43/2014 stages in order, voting share 2/3; pattern pilkades."""
    e = kediri_pilkades.election
    assert e.kind == "pilkades" and e.voting_day == date(2022, 12, 7)
    assert [s.code for s in e.stages] == ["preparation", "registration", "voting", "winners"]
    assert all(a.end < b.start for a, b in zip(e.stages, e.stages[1:], strict=False))
    voting = e.stages[2]
    assert voting.start == voting.end == date(2022, 12, 7) and str(voting.min_share) == "2/3"
    plan = tomllib.loads(kediri_pilkades.plan_toml)
    kr = plan["categories"]["kurang_rawan"]
    assert plan["pattern"] == "pilkades"
    assert (kr["polri_per_post"], kr["tni_per_post"], kr["tps_per_post"], kr["linmas_per_tps"]) == (1, 1, 1, 2)


def test_pekalongan_totals(pekalongan):
    """33 desa: 27 in the Polres Pekalongan area (not Tirto/Buaran), 6 in Tirto and Buaran; 4-12 TPS per desa."""
    ds = pekalongan.dataset
    by_desa = Counter(t.village_code for t in ds.tps)
    assert len(by_desa) == 33
    assert all(c.startswith("33.26.") and c[-4] == "2" for c in by_desa)
    assert all(4 <= n <= 12 for n in by_desa.values())
    district = {t.village_code: t.district_name for t in ds.tps}
    kota = [c for c in by_desa if district[c] in ("Tirto", "Buaran")]
    assert len(kota) == 6
    polres = _polres_of_district(ds)
    assert sum(polres[district[c]] == "POLRES-PEKALONGAN" for c in by_desa) == 27
    assert {d for d, p in polres.items() if p == "POLRES-PEKALONGAN-KOTA"} == {"Tirto", "Buaran"}


def test_pekalongan_strength(pekalongan):
    """Polres Pekalongan has exactly 319 Polri plus a Brimob BKO reserve unit of 31; Polres Pekalongan Kota its own."""
    ds = pekalongan.dataset
    units = {u.unit_id: u for u in ds.units}
    count = Counter(p.unit_id for p in ds.personnel if p.force == "polri")
    own = sum(n for uid, n in count.items()
              if uid == "POLRES-PEKALONGAN" or (units[uid].level == "polsek" and units[uid].parent_id == "POLRES-PEKALONGAN"))
    assert own == 319
    brimob = units["BRIMOB-BKO-PEKALONGAN"]
    assert (brimob.level, brimob.force, brimob.parent_id) == ("reserve", "polri", "POLRES-PEKALONGAN")
    assert count["BRIMOB-BKO-PEKALONGAN"] == 31
    kota = sum(n for uid, n in count.items() if uid == "POLRES-PEKALONGAN-KOTA" or units[uid].parent_id == "POLRES-PEKALONGAN-KOTA")
    assert 0 < kota < 319
    forces = Counter(p.force for p in ds.personnel)
    assert forces["linmas"] == 2 * len(ds.tps)
    assert forces["tni"] >= len(ds.tps)  # enough for 1 TNI per TPS
    assert {u.unit_id for u in ds.units if u.level == "kodim"} == {"KODIM-0710"}
    assert pekalongan.election.voting_day == date(2022, 2, 23)
