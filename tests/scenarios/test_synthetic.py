"""generate_scenario: a synthetic area of any size with a realistic, deterministic shape."""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from siaga.domain.regions import parse_village_code
from siaga.domain.vocab import inside_indonesia
from siaga.formats import read_dataset, write_dataset
from siaga.planning.params import RiskParams
from siaga.planning.scoring import StationInput, score_stations
from siaga.scenarios import generate_scenario, scenario_from_meta
from siaga.scenarios.areas import km_between
from siaga.scenarios.synthetic import village_sizes


@pytest.fixture(scope="module")
def area():
    return generate_scenario(20_000, seed=7)


@given(st.integers(min_value=1, max_value=20_000), st.integers(min_value=0, max_value=2**32 - 1))
@settings(max_examples=200, deadline=None)
def test_village_sizes(n, seed):
    """Village sizes add up to N and lie in 5..40; only an N below 5 gives a smaller village."""
    sizes = village_sizes(n, np.random.default_rng(seed))
    assert sizes.sum() == n
    if n >= 5:
        assert sizes.min() >= 5 and sizes.max() <= 40
    else:
        assert sizes.tolist() == [n]


@pytest.mark.parametrize("n", [1, 4, 10, 37, 999])
def test_exact_tps_count(n):
    """generate(N) has exactly N TPS with unique ids, numbered 1..k per village."""
    ds = generate_scenario(n, seed=1).dataset
    assert len(ds.tps) == n
    assert len({t.tps_id for t in ds.tps}) == n
    per_village: dict[str, list[int]] = defaultdict(list)
    for t in ds.tps:
        per_village[t.village_code].append(t.number)
    assert all(nums == list(range(1, len(nums) + 1)) for nums in per_village.values())


def test_out_of_range_refused():
    """Zero or more than a million TPS is refused with a clear error."""
    for n in (0, 1_000_001):
        with pytest.raises(ValueError, match="TPS"):
            generate_scenario(n)


def test_deterministic_and_seeded():
    """The same seed gives the same area; another seed gives another."""
    a, b, c = generate_scenario(500, seed=3), generate_scenario(500, seed=3), generate_scenario(500, seed=4)
    assert a == b
    assert a.dataset.tps != c.dataset.tps


def test_codes_and_names_synthetic(area):
    """Province 99 (synthetic), desa codes, 'Desa Sintetis' names; everything labelled synthetic."""
    ds = area.dataset
    assert area.synthetic and ds.synthetic
    for t in ds.tps[:: max(1, len(ds.tps) // 500)]:
        code = parse_village_code(t.village_code)
        assert code is not None and code.province == "99" and code.village_kind == "desa"
        assert t.village_name.startswith("Desa Sintetis ") and t.district_name.startswith("Kecamatan Sintetis ")
    assert all(code.startswith("99.") for code, _ in area.election.regencies)


def test_structure(area):
    """Polres of ~800-2,500 TPS, Polsek and Koramil per district, Kodim per regency, Linmas per village, Brimob per ~20k."""
    ds = area.dataset
    levels = Counter(u.level for u in ds.units)
    districts = {t.district_name for t in ds.tps}
    villages = {t.village_code for t in ds.tps}
    regencies = {t.regency_name for t in ds.tps}
    assert levels["polsek"] == levels["koramil"] == len(districts)
    assert levels["kodim"] == len(regencies)
    assert levels["village"] == len(villages)
    assert levels["reserve"] == 1
    tps_per_district = Counter(t.district_name for t in ds.tps)
    for u in ds.units:
        if u.level == "polres":
            load = sum(tps_per_district[d] for d in u.districts)
            assert 800 <= load <= 2_500, (u.unit_id, load)
    covered = [d for u in ds.units if u.level == "polres" for d in u.districts]
    assert sorted(covered) == sorted(districts)  # every district in exactly one Polres


def test_strength_ratios(area):
    """Polri about 0.7 per TPS, TNI about 0.05 per TPS, Linmas exactly 2 per TPS of their village."""
    ds = area.dataset
    forces = Counter(p.force for p in ds.personnel)
    n = len(ds.tps)
    assert forces["polri"] == round(0.7 * n) and forces["tni"] == round(0.05 * n)
    assert Counter(p.home_village_code for p in ds.personnel if p.force == "linmas") == {
        k: 2 * v for k, v in Counter(t.village_code for t in ds.tps).items()}
    assert len({p.personnel_id for p in ds.personnel}) == len(ds.personnel)


def test_coordinates_clustered_inside_indonesia(area):
    """All points inside Indonesia; each TPS within 0.5 km of its village's Satlinmas (the village centre)."""
    ds = area.dataset
    centre = {u.unit_id[len("LINMAS-"):]: (u.lat, u.lon) for u in ds.units if u.level == "village"}
    assert all(inside_indonesia(u.lat, u.lon) for u in ds.units)
    for t in ds.tps:
        assert inside_indonesia(t.lat, t.lon)
        lat, lon = centre[t.village_code.replace(".", "")]
        assert km_between(lat, lon, t.lat, t.lon) <= 0.51


def test_categories_vary(area):
    """About 8% rawan, 1.5% sangat rawan and 0.3% khusus come out of the catalogue's scoring."""
    ds = area.dataset
    values: dict[str, dict[str, float]] = defaultdict(dict)
    for i in ds.indicators:
        values[i.tps_id][i.indicator] = i.value
    sites = [(u.lat, u.lon) for u in ds.units if u.force == "polri" and u.level in ("polres", "polsek")]
    stations = [StationInput(t.tps_id, t.lat, t.lon, t.kind) for t in ds.tps]
    cats = Counter(r.category for r in score_stations(stations, values, sites, RiskParams()).values())
    share = {k: v / len(ds.tps) for k, v in cats.items()}
    assert 0.065 <= share["rawan"] <= 0.095
    assert 0.010 <= share["sangat_rawan"] <= 0.020
    assert 0.001 <= share["khusus"] <= 0.006
    assert 0.12 <= len(values) / len(ds.tps) <= 0.18


def test_meta_round_trip(area):
    """The generated scenario's metadata reads back equal."""
    assert scenario_from_meta(area.meta_toml(), area.dataset) == area


@pytest.mark.slow
def test_large_area_respects_code_limits():
    """Above ~157k TPS the 98-regency limit holds and large regencies are split among several Polres."""
    area = generate_scenario(200_000, seed=0)
    ds = area.dataset
    assert len(ds.tps) == 200_000
    regencies = {t.village_code[:5] for t in ds.tps}
    assert len(regencies) <= 98
    assert all(int(code[3:5]) != 70 for code in regencies)
    polres = [u for u in ds.units if u.level == "polres"]
    assert len(polres) > len(regencies)
    assert Counter(u.level for u in ds.units)["reserve"] == 10


def test_file_round_trip(tmp_path):
    """A generated area passes the file validator: write_dataset then read_dataset gives it back unchanged."""
    ds = generate_scenario(3_000, seed=11).dataset
    write_dataset(ds, tmp_path)
    back = read_dataset(tmp_path).dataset
    assert (back.tps, back.units, back.personnel, back.indicators) == (ds.tps, ds.units, ds.personnel, ds.indicators)
