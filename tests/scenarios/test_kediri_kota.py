"""Scenario kediri-kota-pilkada-2024: the published totals and the invented parts' shape."""

from __future__ import annotations

import math
import re
import tomllib
from collections import Counter
from datetime import date
from fractions import Fraction

from siaga.domain.stages import VOTING_DAY_SHARE
from siaga.scenarios.areas import villages_of


def _by_force(ds):
    return Counter(p.force for p in ds.personnel)


def test_tps_totals(kediri_kota):
    """839 TPS: Kota Kediri 404 = Mojoroto 154 + Kota 122 + Pesantren 125 regular + 3 khusus, 435 in the Kabupaten."""
    tps = kediri_kota.dataset.tps
    assert len(tps) == 839
    kota = [t for t in tps if t.village_code.startswith("35.71.")]
    assert len(kota) == 404
    regular = Counter(t.district_name for t in kota if t.kind == "regular")
    assert regular == {"Mojoroto": 154, "Kota": 122, "Pesantren": 125}
    assert sum(t.kind == "khusus" for t in tps) == 3
    assert all(t.village_code.startswith("35.71.") for t in tps if t.kind == "khusus")
    assert len(tps) - len(kota) == 435


def test_villages_and_districts(kediri_kota):
    """All 46 kelurahan of Kota Kediri and every desa of Mojo, Semen, Grogol, Banyakan and Tarokan have TPS."""
    tps = kediri_kota.dataset.tps
    villages = {t.village_code for t in tps}
    expected = {v.code for d in ("35.71.01", "35.71.02", "35.71.03", "35.06.02", "35.06.01", "35.06.13",
                                 "35.06.22", "35.06.20") for v in villages_of(d)}
    assert villages == expected
    assert sum(c.startswith("35.71.") for c in villages) == 46
    assert len({t.district_name for t in tps}) == 8


def test_tps_per_village_and_numbering(kediri_kota):
    """5-40 regular TPS per village, numbered 1..n per village, ids like 3571011001-001."""
    tps = kediri_kota.dataset.tps
    by_village: dict[str, list] = {}
    for t in tps:
        by_village.setdefault(t.village_code, []).append(t)
    for code, items in by_village.items():
        assert 5 <= sum(t.kind == "regular" for t in items) <= 40
        assert [t.number for t in items] == list(range(1, len(items) + 1))
        for t in items:
            assert t.tps_id == f"{code.replace('.', '')}-{t.number:03d}"
            assert re.fullmatch(r"\d{10}-\d{3}", t.tps_id)


def test_voters(kediri_kota):
    """Kota Kediri voters add up to the DPS 222,596; every TPS stays within the Pilkada size (<= 600)."""
    tps = kediri_kota.dataset.tps
    assert sum(t.voters for t in tps if t.village_code.startswith("35.71.")) == 222_596
    assert all(100 <= t.voters <= 600 for t in tps)
    assert 500 <= sum(t.voters for t in tps) / len(tps) <= 600


def test_personnel_totals(kediri_kota):
    """Exactly 576 Polri, 31 TNI and 1,678 Linmas (2,285 in all)."""
    assert _by_force(kediri_kota.dataset) == {"polri": 576, "tni": 31, "linmas": 1678}


def test_linmas_two_per_tps_in_their_village(kediri_kota):
    """Each village has 2 Linmas per TPS, in its own Satlinmas, with ids LM-<code>-NN."""
    ds = kediri_kota.dataset
    tps_per_village = Counter(t.village_code for t in ds.tps)
    linmas = [p for p in ds.personnel if p.force == "linmas"]
    assert Counter(p.home_village_code for p in linmas) == {k: 2 * v for k, v in tps_per_village.items()}
    for p in linmas:
        plain = p.home_village_code.replace(".", "")
        assert p.unit_id == f"LINMAS-{plain}"
        assert re.fullmatch(rf"LM-{plain}-\d\d", p.personnel_id)


def test_units(kediri_kota):
    """Polres Kediri Kota, 8 Polsek, Kodim 0809, 8 Koramil, one Satlinmas per village, no reserve."""
    units = kediri_kota.dataset.units
    levels = Counter(u.level for u in units)
    assert levels == {"polres": 1, "polsek": 8, "kodim": 1, "koramil": 8, "village": 106}
    polsek = [u for u in units if u.level == "polsek"]
    assert all(u.parent_id == "POLRES-KEDIRI-KOTA" and len(u.districts) == 1 for u in polsek)
    assert {u.districts[0] for u in polsek} == {t.district_name for t in kediri_kota.dataset.tps}
    assert all(u.force == "linmas" and len(u.districts) == 1 for u in units if u.level == "village")


def test_polri_spread_and_ranks(kediri_kota):
    """About a third of Polri at Polres HQ; about 70% can lead; heads are AKBP/Kompol; ~2% sick or on leave."""
    polri = [p for p in kediri_kota.dataset.personnel if p.force == "polri"]
    at_hq = sum(p.unit_id == "POLRES-KEDIRI-KOTA" for p in polri)
    assert abs(at_hq - 576 / 3) <= 2
    assert 0.62 <= sum(p.can_lead for p in polri) / 576 <= 0.78
    ranks = Counter(p.rank for p in polri)
    assert ranks["AKBP"] >= 1 and ranks["Kompol"] >= 1
    assert sum(ranks[r] for r in ("Bripda", "Briptu", "Brigpol", "Bripka", "Aipda", "Aiptu")) / 576 > 0.75
    absent = sum(p.status in ("sick", "leave") for p in polri)
    assert absent == round(0.02 * 576)
    assert all(re.fullmatch(r"\d{8}", p.personnel_id) for p in polri)


def test_home_villages_for_neutrality(kediri_kota):
    """About 30% of Polri and TNI live in a village of the area, so neutrality binds."""
    ds = kediri_kota.dataset
    villages = {t.village_code for t in ds.tps}
    sworn = [p for p in ds.personnel if p.force in ("polri", "tni")]
    homes = [p.home_village_code for p in sworn if p.home_village_code is not None]
    assert set(homes) <= villages
    assert 0.22 <= len(homes) / len(sworn) <= 0.38


def test_ids_unique(kediri_kota):
    """Personnel, unit and TPS ids are unique."""
    ds = kediri_kota.dataset
    for ids in ([p.personnel_id for p in ds.personnel], [u.unit_id for u in ds.units], [t.tps_id for t in ds.tps]):
        assert len(ids) == len(set(ids))


def test_plan_arithmetic(kediri_kota):
    """The pattern needs 1,678 Linmas and fewer Polri than available (ceil per-village posts x 2), leaving reserves."""
    plan = tomllib.loads(kediri_kota.plan_toml)
    assert plan["post_scope"] == "village"
    kr = plan["categories"]["kurang_rawan"]
    assert (kr["polri_per_post"], kr["tps_per_post"], kr["linmas_per_tps"]) == (2, 5, 2)
    for cat, rule in (("rawan", (2, 2, 4)), ("sangat_rawan", (2, 1, 2)), ("khusus", (2, 1, 2))):
        t = plan["categories"][cat]
        assert (t["polri_per_post"], t["tps_per_post"], t["linmas_per_tps"] * t["tps_per_post"]) == rule
    tps = kediri_kota.dataset.tps
    regular = Counter(t.village_code for t in tps if t.kind == "regular")
    posts = sum(math.ceil(n / kr["tps_per_post"]) for n in regular.values()) + sum(t.kind == "khusus" for t in tps)
    required = kr["polri_per_post"] * posts
    available = sum(p.force == "polri" and p.status == "available" for p in kediri_kota.dataset.personnel)
    assert required <= available - 2 * plan["reserve_squad_size"]
    assert required >= VOTING_DAY_SHARE * 576  # the voting-day share of 2/3 is reached
    assert kr["linmas_per_tps"] * len(tps) == 1678


def test_election_and_operation(kediri_kota):
    """Voting 27 Nov 2024, Pilkada 2024 stages with their table shares, Mantap Praja Semeru 2024 19 Aug-31 Dec."""
    e, op = kediri_kota.election, kediri_kota.operation
    assert e.kind == "pilkada" and e.voting_day == date(2024, 11, 27)
    stages = {s.code: s for s in e.stages}
    assert stages["voting"].start == date(2024, 11, 27) and stages["voting"].min_share == Fraction(2, 3)
    assert stages["campaign"].start == date(2024, 9, 25) and stages["campaign"].min_share == Fraction(1, 2)
    assert stages["quiet"].end == date(2024, 11, 26)
    assert (op.name, op.start, op.end) == ("Operasi Mantap Praja Semeru 2024", date(2024, 8, 19), date(2024, 12, 31))
    assert op.commanding_unit_id == "POLRES-KEDIRI-KOTA"
    assert kediri_kota.synthetic and kediri_kota.dataset.synthetic
    assert any("SINTETIS" in a for a in kediri_kota.assumptions)
