"""Map data for /peta/: compact TPS points, or grid clusters when a big area is seen from far away.

Categories per TPS: a manual override stored now wins (it is the latest decision), else the category of the
latest plan the user may see, else "belum_dinilai". Points are ``[id, lat, lon, category_code]`` with codes
indexing ``MAP_CATEGORIES``; clusters are ``[lat, lon, count, worst_category_code]``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import CharField, F, FilteredRelation, Q, Value

from siaga.accounts.scoping import get_visible_or_404, scope
from siaga.deployments.models import Plan, PlanPost, PlanTPS
from siaga.regions.models import TPS, District
from siaga.risk.models import IndicatorValue
from siaga.web.selectors import MAP_CATEGORIES, UNRATED

#: More points than this in the requested box at a zoom below CLUSTER_BELOW_ZOOM are sent as grid clusters.
CLUSTER_THRESHOLD = 5000
CLUSTER_BELOW_ZOOM = 14
GRID_CELLS = 64  # per side of the box: at most 4,096 clusters
CODE = {c: i for i, c in enumerate(MAP_CATEGORIES)}


@dataclass(frozen=True)
class MapFilter:
    district: str = ""
    village: str = ""
    category: str = ""
    indicator: str = ""
    bbox: tuple[float, float, float, float] | None = None  # south, west, north, east
    zoom: int | None = None


def parse_bbox(text: str | None) -> tuple[float, float, float, float] | None:
    """``south,west,north,east`` in degrees; raises ValueError naming the parameter when malformed."""
    if not text:
        return None
    try:
        s, w, n, e = (float(x) for x in text.split(","))
    except ValueError:
        raise ValueError(f"bbox '{text}' harus berbentuk selatan,barat,utara,timur (derajat)") from None
    if not (s <= n and w <= e):
        raise ValueError(f"bbox '{text}': selatan/barat harus lebih kecil dari utara/timur")
    return s, w, n, e


def category_of(manual: str, planned: str | None) -> str:
    """A manual category set now wins; else the plan's; else not assessed."""
    return manual or planned or UNRATED


def tps_filtered(user, f: MapFilter):
    qs = scope(user, TPS.objects.all())
    if f.district:
        qs = qs.filter(village__district__code=f.district)
    if f.village:
        qs = qs.filter(village__code=f.village)
    if f.indicator:
        qs = qs.filter(pk__in=IndicatorValue.objects.filter(indicator__code=f.indicator).exclude(value=0)
                       .values("tps_id"))
    return qs


def map_data(user, f: MapFilter, plan: Plan | None) -> dict[str, Any]:
    """The JSON body of /peta/data.json for the user's area and the filters.

    Reads the plan's index tables (PlanTPS, PlanPost) with one join, never the plan document, so a 60k-TPS
    area answers in well under a second.
    """
    qs = tps_filtered(user, f)
    if f.bbox is not None:
        s, w, n, e = f.bbox
        qs = qs.filter(lat__gte=s, lat__lte=n, lon__gte=w, lon__lte=e)
    if plan is not None:
        qs = qs.annotate(rated=FilteredRelation("plan_rows", condition=Q(plan_rows__plan=plan)))
        planned = F("rated__category")
    else:
        planned = Value("", output_field=CharField())
    rows = list(qs.values_list("code", "lat", "lon", "manual_category", "synthetic", planned).order_by("code"))
    codes = [CODE.get(category_of(m, p), 0) for _, _, _, m, _, p in rows]
    if f.category:
        wanted = CODE.get(f.category, -1)
        keep = [i for i, code in enumerate(codes) if code == wanted]
        rows, codes = [rows[i] for i in keep], [codes[i] for i in keep]
    body: dict[str, Any] = {"categories": list(MAP_CATEGORIES), "count": len(rows),
                            "synthetic": any(r[4] for r in rows) or bool(plan and plan.operation.synthetic)}
    if rows:
        lats, lons = [r[1] for r in rows], [r[2] for r in rows]
        body["bounds"] = [min(lats), min(lons), max(lats), max(lons)]
    if len(rows) > CLUSTER_THRESHOLD and (f.zoom is None or f.zoom < CLUSTER_BELOW_ZOOM):
        body["mode"] = "clusters"
        body["clusters"] = grid_clusters(rows, codes, f.bbox)
        return body
    body["mode"] = "points"
    body["points"] = [[r[0], round(r[1], 6), round(r[2], 6), code] for r, code in zip(rows, codes, strict=True)]
    if plan is not None:
        posts = PlanPost.objects.filter(plan=plan, district__in=scope(user, District.objects.all()))
        if f.district:
            posts = posts.filter(district__code=f.district)
        if f.bbox is not None:
            s, w, n, e = f.bbox
            posts = posts.filter(lat__gte=s, lat__lte=n, lon__gte=w, lon__lte=e)
        body["posts"] = [[pid, round(lat, 6), round(lon, 6), CODE.get(cat, 0), count] for pid, lat, lon, cat, count
                         in posts.order_by("post_id").values_list("post_id", "lat", "lon", "category", "tps_count")]
    return body


def grid_clusters(rows, codes, bbox) -> list[list]:
    """Bin points into a GRID_CELLS x GRID_CELLS grid over the box; one cluster per non-empty cell at the
    mean position of its points, with its count and worst category."""
    lat = np.fromiter((r[1] for r in rows), float, len(rows))
    lon = np.fromiter((r[2] for r in rows), float, len(rows))
    cat = np.asarray(codes, dtype=np.int64)
    s, w, n, e = bbox if bbox is not None else (lat.min(), lon.min(), lat.max(), lon.max())
    dy = max((n - s) / GRID_CELLS, 1e-9)
    dx = max((e - w) / GRID_CELLS, 1e-9)
    iy = np.clip(((lat - s) / dy).astype(np.int64), 0, GRID_CELLS - 1)
    ix = np.clip(((lon - w) / dx).astype(np.int64), 0, GRID_CELLS - 1)
    cell = iy * GRID_CELLS + ix
    uniq, inverse, counts = np.unique(cell, return_inverse=True, return_counts=True)
    sum_lat = np.bincount(inverse, weights=lat)
    sum_lon = np.bincount(inverse, weights=lon)
    worst = np.zeros(len(uniq), dtype=np.int64)
    np.maximum.at(worst, inverse, cat)
    return [[round(float(a / c), 5), round(float(b / c), 5), int(c), int(k)]
            for a, b, c, k in zip(sum_lat, sum_lon, counts, worst, strict=True)]


def district_labels(user, f: MapFilter) -> list[list]:
    """[name, lat, lon] per district of the user's area (mean of its TPS), drawn when there are no tiles."""
    from django.db.models import Avg

    qs = tps_filtered(user, MapFilter(district=f.district))
    rows = qs.values("village__district__name").annotate(lat=Avg("lat"), lon=Avg("lon")).order_by(
        "village__district__name")
    return [[r["village__district__name"], round(r["lat"], 5), round(r["lon"], 5)] for r in rows]


def tps_detail(user, code: str, plan: Plan | None) -> dict[str, Any]:
    """One TPS of the user's area (404 elsewhere) with its plan score, reasons and indicator evidence."""
    tps = get_visible_or_404(user, TPS.objects.select_related("village__district"), code=code)
    row = PlanTPS.objects.filter(plan=plan, tps=tps).first() if plan is not None else None
    values = scope(user, IndicatorValue.objects.filter(tps=tps).select_related("indicator")).order_by(
        "-indicator__weight", "indicator__code")
    plan_row = ({"score": row.score, "category": row.category, "post": row.post_id, "reasons": row.reasons,
                 "reasons_en": row.reasons_en} if row is not None else None)
    return {"tps": tps, "plan_row": plan_row, "plan": plan,
            "category": category_of(tps.manual_category, row.category if row else None),
            "evidence": list(values)}
