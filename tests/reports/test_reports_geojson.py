"""plan.geojson: a FeatureCollection of TPS, posts and reserves with the synthetic flag."""

from __future__ import annotations

import json
from collections import Counter

from siaga.reports import write_plan_geojson


def test_geojson_features(plan, tmp_path):
    """Every TPS, post and reserve is a Point feature with [lon, lat] and its properties."""
    data = json.loads(write_plan_geojson(plan, tmp_path / "plan.geojson").read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and data["synthetic"] is True
    kinds = Counter(f["properties"]["feature_type"] for f in data["features"])
    assert kinds == {"tps": 8, "post": 6, "reserve": 2}
    by_id = {f["properties"]["id"]: f for f in data["features"]}
    tps = by_id["9901022001-001"]
    assert tps["geometry"] == {"type": "Point", "coordinates": [112.06, -7.86]}
    assert tps["properties"]["category"] == "sangat_rawan" and tps["properties"]["score"] == 85.0
    assert tps["properties"]["post"] == "P-99.01.02.2001-01"
    assert tps["properties"]["reasons"][0] == "Riwayat konflik atau kekerasan"
    post = by_id["P-99.01.01.1001-01"]["properties"]
    assert (post["tps_count"], post["assigned_count"], post["commander_name"]) == (3, 5, "Budi Santoso")
    assert post["required"] == {"polri": 2, "tni": 0, "linmas": 3}
    assert by_id["P-99.01.02.2001-02"]["properties"]["commander_name"] is None
    assert by_id["R-02"]["properties"]["strength"] == 2 and by_id["R-02"]["properties"]["kind"] == "bko"


def test_geojson_not_synthetic(plan, tmp_path):
    """The synthetic member follows the plan."""
    plan["synthetic"] = False
    data = json.loads(write_plan_geojson(plan, tmp_path / "plan.geojson").read_text(encoding="utf-8"))
    assert data["synthetic"] is False
