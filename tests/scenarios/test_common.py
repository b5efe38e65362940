"""Properties every shipped scenario keeps: places inside Indonesia and their kecamatan, determinism,
categories as published, metadata round trip, file round trip through siaga.formats."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from siaga.domain.vocab import inside_indonesia
from siaga.formats import read_dataset, write_dataset
from siaga.planning.params import RiskParams
from siaga.planning.scoring import StationInput, score_stations
from siaga.scenarios import list_scenarios, load_scenario, scenario_from_meta
from siaga.scenarios.areas import extents, km_between, villages

NAMES = [name for name, _ in list_scenarios()]


@pytest.fixture(params=NAMES)
def scenario(request, kediri_kota, kediri_pilkades, pekalongan):
    return {s.name: s for s in (kediri_kota, kediri_pilkades, pekalongan)}[request.param]


def _categories(ds) -> dict[str, int]:
    values: dict[str, dict[str, float]] = defaultdict(dict)
    for i in ds.indicators:
        values[i.tps_id][i.indicator] = i.value
    sites = [(u.lat, u.lon) for u in ds.units if u.force == "polri" and u.level in ("polres", "polsek")]
    stations = [StationInput(t.tps_id, t.lat, t.lon, t.kind, t.category) for t in ds.tps]
    out: dict[str, int] = defaultdict(int)
    for r in score_stations(stations, values, sites, RiskParams()).values():
        out[r.category] += 1
    return dict(out)


def test_list_names_three_scenarios():
    """The three shipped scenarios are listed with a title."""
    assert NAMES == ["kediri-kota-pilkada-2024", "kediri-pilkades-2022", "pekalongan-pilkades-2022"]
    assert all(title for _, title in list_scenarios())


def test_unknown_scenario_names_known_ones():
    """An unknown name raises ValueError listing the known scenarios."""
    with pytest.raises(ValueError, match="kediri-kota-pilkada-2024"):
        load_scenario("kediri-2099")


def test_points_inside_indonesia_and_kecamatan(scenario):
    """Every TPS, Linmas unit and Linmas member lies inside Indonesia and inside its kecamatan's extent."""
    ds = scenario.dataset
    district_of = {v.code: v.district_code for v in villages()}
    for t in ds.tps:
        ext = extents()[district_of[t.village_code]]
        assert inside_indonesia(t.lat, t.lon)
        assert km_between(ext.lat, ext.lon, t.lat, t.lon) <= ext.radius_km, t.tps_id
    for u in ds.units:
        assert inside_indonesia(u.lat, u.lon)
    for p in ds.personnel:
        if p.lat is not None:
            ext = extents()[district_of[p.home_village_code]]
            assert km_between(ext.lat, ext.lon, p.lat, p.lon) <= ext.radius_km, p.personnel_id


def test_references_resolve(scenario):
    """Parents, personnel units, home villages, unit districts and indicator TPS all point at existing things."""
    ds = scenario.dataset
    unit_ids = {u.unit_id for u in ds.units}
    villages_here = {t.village_code for t in ds.tps}
    districts = {t.district_name for t in ds.tps}
    tps_ids = {t.tps_id for t in ds.tps}
    assert all(u.parent_id is None or u.parent_id in unit_ids for u in ds.units)
    assert all(set(u.districts) <= districts for u in ds.units)
    assert all(p.unit_id in unit_ids for p in ds.personnel)
    assert all(p.home_village_code is None or p.home_village_code in villages_here for p in ds.personnel)
    assert all(i.tps_id in tps_ids for i in ds.indicators)


def test_deterministic(scenario):
    """Loading a scenario twice gives equal scenarios."""
    assert load_scenario(scenario.name) == scenario


def test_meta_round_trip(scenario):
    """scenario_from_meta(meta_toml()) gives back the same scenario."""
    assert scenario_from_meta(scenario.meta_toml(), scenario.dataset) == scenario


def test_categories_as_published(kediri_kota, kediri_pilkades):
    """Kediri Kota: every regular TPS stays kurang rawan (the published 839 were all kurang rawan), 3 khusus;
    Kediri Pilkades: the 4 flagged desa make some TPS rawan."""
    assert _categories(kediri_kota.dataset) == {"kurang_rawan": 836, "khusus": 3}
    cats = _categories(kediri_pilkades.dataset)
    assert set(cats) == {"kurang_rawan", "rawan"} and 0 < cats["rawan"] < 100


def test_file_round_trip(scenario, tmp_path: Path):
    """write_dataset then read_dataset (which validates every record) gives back the same dataset."""
    write_dataset(scenario.dataset, tmp_path)
    back = read_dataset(tmp_path).dataset
    ds = scenario.dataset
    assert (back.tps, back.units, back.personnel, back.indicators) == (ds.tps, ds.units, ds.personnel, ds.indicators)
