"""``plan.geojson``: TPS, posts and reserve squads as Point features (RFC 7946, [lon, lat]).

Each feature has ``feature_type`` ``tps`` | ``post`` | ``reserve``. The collection carries the foreign
members ``schema``, ``synthetic`` and ``source`` so a map can label synthetic data.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from siaga.reports.common import PlanIndex


def _point(lat: float, lon: float, props: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": props}


def plan_features(plan: Mapping[str, Any]) -> dict[str, Any]:
    """The FeatureCollection of a plan dict, as a dict."""
    ix = PlanIndex(plan)
    features = []
    for t in plan["tps"]:
        features.append(_point(t["lat"], t["lon"], {
            "feature_type": "tps", "id": t["id"], "number": t.get("number"), "village": t.get("village"),
            "village_name": t.get("village_name"), "category": t["category"],
            "category_source": t.get("category_source"), "score": t["score"], "post": t.get("post"),
            "reasons": list(t.get("reasons", [])), "reasons_en": list(t.get("reasons_en", [])),
        }))
    for p in plan["posts"]:
        commander = p.get("commander")
        features.append(_point(p["lat"], p["lon"], {
            "feature_type": "post", "id": p["id"], "category": p["category"], "tps_count": len(p["tps"]),
            "tps": list(p["tps"]), "unit": p.get("unit"), "unit_name": ix.unit_name(p.get("unit")),
            "required": dict(p["required"]), "assigned_count": len(p["personnel"]),
            "commander": commander, "commander_name": ix.person(commander).get("name") if commander else None,
            "radius_km": p.get("radius_km"),
        }))
    for r in plan["reserves"]:
        features.append(_point(r["lat"], r["lon"], {
            "feature_type": "reserve", "id": r["id"], "unit": r.get("unit"), "unit_name": ix.unit_name(r.get("unit")),
            "kind": r.get("kind"), "strength": len(r["personnel"]), "covers_km": r.get("covers_km"),
        }))
    return {
        "type": "FeatureCollection",
        "schema": plan["schema"],
        "synthetic": ix.synthetic,
        "source": ix.source,
        "features": features,
    }


def write_plan_geojson(plan: Mapping[str, Any], path: Path | str) -> Path:
    """Write plan.geojson from a plan dict and return its path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    text = json.dumps(plan_features(plan), ensure_ascii=False, separators=(",", ":"))
    tmp.write_text(text + "\n", encoding="utf-8")
    tmp.replace(target)
    return target
