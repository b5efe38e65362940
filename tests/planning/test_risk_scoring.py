"""Vulnerability scoring: score formula, thresholds, override, khusus, distance, reasons, roll-up."""

from __future__ import annotations

import math

import numpy as np
import pytest

from siaga.planning.catalogue import CATALOGUE
from siaga.planning.params import RiskParams
from siaga.planning.scoring import (
    DISTANCE_FAR_KM,
    DISTANCE_NEAR_KM,
    EARTH_RADIUS_KM,
    StationInput,
    distance_contribution,
    effective_weights,
    nearest_km,
    rollup,
    score_stations,
)

SITE = (-7.80, 112.00)


def north_of(site: tuple[float, float], km: float) -> tuple[float, float]:
    """A point ``km`` great-circle km due north of ``site``."""
    return site[0] + math.degrees(km / EARTH_RADIUS_KM), site[1]


def station(tps_id: str, km: float = 0.0, **kw) -> StationInput:
    lat, lon = north_of(SITE, km)
    return StationInput(tps_id, lat, lon, **kw)


def score_one(values: dict[str, float], risk: RiskParams | None = None, km: float = 0.0, road_factor: float = 1.0,
              **kw):
    result = score_stations([station("T1", km, **kw)], {"T1": values}, [SITE], risk or RiskParams(), road_factor)
    return result["T1"]


def test_flag_raises_score_by_its_weight():
    """A flag adds its catalogue weight; no evidence scores 0."""
    assert score_one({}).score == 0.0
    risk = score_one({"pilkada24.keamanan.kekerasan": 1})
    assert risk.score == CATALOGUE["pilkada24.keamanan.kekerasan"].weight
    assert risk.category == "rawan" and risk.category_source == "score"


def test_scores_add_and_cap_at_100():
    """Contributions add up; the score never exceeds 100."""
    two = score_one({"polri.riwayat_konflik": 1, "polri.dukungan_berimbang": 1})
    assert two.score == 85.0 and two.category == "sangat_rawan"
    many = score_one({c: 1 for c in ("polri.riwayat_konflik", "polri.dukungan_berimbang", "polri.isu_sara")})
    assert many.score == 100.0


@pytest.mark.parametrize(
    ("weight", "category"), [(39.9, "kurang_rawan"), (40.0, "rawan"), (69.9, "rawan"), (70.0, "sangat_rawan")]
)
def test_thresholds_are_inclusive(weight, category):
    """A score equal to a threshold reaches that category."""
    risk = RiskParams(weights={"pilkada24.politik_uang": weight}, rawan=40, sangat_rawan=70)
    assert score_one({"pilkada24.politik_uang": 1}, risk).category == category


def test_custom_thresholds_apply():
    """Thresholds come from RiskParams."""
    risk = RiskParams(rawan=20, sangat_rawan=30)
    assert score_one({"pilkada24.politik_uang": 1}, risk).category == "rawan"  # 25 points


def test_weight_override_and_unknown_weight_code():
    """RiskParams.weights replaces a default weight; an unknown code is an error."""
    assert score_one({"pilkada24.sara": 1}, RiskParams(weights={"pilkada24.sara": 10})).score == 10.0
    assert effective_weights(RiskParams())["pilkada24.sara"] == CATALOGUE["pilkada24.sara"].weight
    with pytest.raises(ValueError, match="tidak.ada"):
        effective_weights(RiskParams(weights={"tidak.ada": 1}))


def test_manual_override_wins_with_reason_first():
    """A manual category wins over score and kind, and its reason comes first."""
    risk = score_one({"pilkada24.keamanan.kekerasan": 1}, category="kurang_rawan",
                     override_reason="Hasil rakor 20 Nov")
    assert (risk.category, risk.category_source) == ("kurang_rawan", "override")
    assert risk.reasons[0] == "Kategori ditetapkan manual"
    assert risk.reasons_en[0] == "Category set by hand"
    assert risk.category_reason == "Hasil rakor 20 Nov"  # typed text apart: free text is withheld from partners
    assert risk.reasons[1] == "Riwayat kekerasan di TPS"
    assert risk.score == 45.0  # the score is still reported
    khusus = score_one({}, kind="khusus", category="sangat_rawan")
    assert (khusus.category, khusus.category_source) == ("sangat_rawan", "override")


def test_khusus_kind_is_khusus():
    """A TPS of kind khusus is categorised khusus whatever its score."""
    risk = score_one({"polri.riwayat_konflik": 1, "polri.dukungan_berimbang": 1}, kind="khusus")
    assert (risk.category, risk.category_source) == ("khusus", "kind")
    assert risk.score == 85.0
    assert risk.reasons[0].startswith("TPS khusus")


def test_distance_ramp():
    """Distance adds nothing up to 5 km, grows linearly, and is full from 30 km."""
    km = np.array([0.0, DISTANCE_NEAR_KM, 17.5, DISTANCE_FAR_KM, 80.0])
    assert distance_contribution(km).tolist() == [0.0, 0.0, 0.5, 1.0, 1.0]


def test_nearest_km_is_great_circle():
    """The nearest-site distance matches the great-circle distance."""
    lat, lon = north_of(SITE, 12.0)
    far = (SITE[0] + 1.0, SITE[1] + 1.0)
    assert nearest_km(np.array([lat]), np.array([lon]), [far, SITE])[0] == pytest.approx(12.0, abs=1e-6)


def test_distance_contributes_with_road_factor():
    """Travel km (great-circle x road_factor) to the nearest police site feeds the distance weight."""
    w = CATALOGUE["polri.jarak_polisi"].weight
    assert score_one({}, km=4.0).score == 0.0
    assert score_one({}, km=17.5).score == pytest.approx(round(w * 0.5, 1))
    assert score_one({}, km=20.0, road_factor=1.5).score == w  # 30 travel km
    no_sites = score_stations([station("T1", 50.0)], {}, [], RiskParams(), 1.3)["T1"]
    assert no_sites.score == 0.0


def test_reasons_in_plain_words_top_three():
    """Reasons name the three largest contributions, distance in Indonesian and English number style."""
    risk = score_one({"pilkada24.keamanan.kekerasan": 1, "pilkada24.hak_pilih.dpt_tms": 1,
                      "pilkada24.listrik_internet.internet": 1}, km=12.4)
    assert risk.reasons == ("Riwayat kekerasan di TPS", "Jarak ke pos polisi terdekat 12,4 km",
                            "Pemilih DPT tidak memenuhi syarat (TMS)")
    assert risk.reasons_en[1] == "12.4 km to the nearest police post"
    assert len(risk.reasons_en) == 3


def test_no_indicator_reason():
    """A TPS without any contribution says so."""
    risk = score_one({"pilkada24.sara": 0})
    assert risk.reasons == ("Tidak ada indikator kerawanan tercatat",)
    assert risk.reasons_en == ("No vulnerability indicator recorded",)


def test_count_indicator_grows_to_full():
    """A count indicator is proportional up to its full_at."""
    ind = CATALOGUE["pilkada24.hak_pilih.dptb"]
    assert ind.kind == "count"
    half = score_one({ind.code: ind.full_at / 2}).score
    assert half == pytest.approx(round(ind.weight / 2, 1))
    assert score_one({ind.code: ind.full_at * 3}).score == ind.weight
    assert score_one({ind.code: 35}).reasons[0] == f"{ind.name_id}: 35"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"T1": {"tidak.ada": 1}}, "tidak.ada"),
        ({"T1": {"polri.jarak_polisi": 3}}, "dihitung dari koordinat"),
        ({"T9": {"pilkada24.sara": 1}}, "T9"),
        ({"T1": {"pilkada24.sara": 2}}, "0 sampai 1"),
        ({"T1": {"pilkada24.hak_pilih.dptb": -1}}, ">= 0"),
        ({"T1": {"pilkada24.sara": float("nan")}}, "pilkada24.sara"),
    ],
)
def test_bad_evidence_is_rejected(values, message):
    """Unknown codes, computed codes, unknown TPS and out-of-range values raise errors naming them."""
    with pytest.raises(ValueError, match=message):
        score_stations([station("T1")], values, [SITE], RiskParams(), 1.3)


def test_bad_stations_are_rejected():
    """Duplicate ids, unknown kinds or categories and bad thresholds raise errors."""
    with pytest.raises(ValueError, match="ganda"):
        score_stations([station("T1"), station("T1")], {}, [SITE], RiskParams(), 1.3)
    with pytest.raises(ValueError, match="jenis"):
        score_stations([station("T1", kind="lapas")], {}, [SITE], RiskParams(), 1.3)
    with pytest.raises(ValueError, match="kategori"):
        score_stations([station("T1", category="aman")], {}, [SITE], RiskParams(), 1.3)
    with pytest.raises(ValueError, match="ambang"):
        score_stations([station("T1")], {}, [SITE], RiskParams(rawan=80, sangat_rawan=70), 1.3)


def test_many_stations_match_one_by_one():
    """Vectorised scoring of many TPS equals scoring each alone."""
    rng = np.random.default_rng(3)
    codes = ["pilkada24.keamanan.kekerasan", "pilkada24.politik_uang", "pilkada24.hak_pilih.dpt_tms",
             "polri.dukungan_berimbang", "pilkada24.hak_pilih.dptb"]
    stations = [station(f"T{i}", float(rng.uniform(0, 40))) for i in range(200)]
    values = {s.id: {c: float(rng.integers(0, 2)) * (25 if c.endswith("dptb") else 1) for c in codes}
              for s in stations}
    together = score_stations(stations, values, [SITE], RiskParams(), 1.3)
    for s in stations[:25]:
        alone = score_stations([s], {s.id: values[s.id]}, [SITE], RiskParams(), 1.3)
        assert alone[s.id] == together[s.id]


def test_rollup_per_area():
    """Roll-up gives per-area count, mean, max and counts by category, sorted by area."""
    stations = [station("A1"), station("A2"), station("B1", kind="khusus")]
    values = {"A1": {"pilkada24.keamanan.kekerasan": 1}, "A2": {"pilkada24.hak_pilih.dpt_tms": 1}}
    risks = score_stations(stations, values, [SITE], RiskParams(), 1.3)
    areas = rollup(stations, risks, key=lambda s: s.id[0])
    assert list(areas) == ["A", "B"]
    assert areas["A"] == {"tps": 2, "score_mean": 24.0, "score_max": 45.0,
                          "tps_by_category": {"kurang_rawan": 1, "rawan": 1, "sangat_rawan": 0, "khusus": 0}}
    assert areas["B"]["tps_by_category"]["khusus"] == 1
