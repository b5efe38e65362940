"""Vulnerability score (0-100), category and plain-language reasons for every TPS.

Score = min(100, sum over indicators of weight x contribution), where a contribution lies in
[0, 1] (a flag's value, a count relative to its ``full_at``, or the distance ramp below) and weights
are points of 100 (catalogue defaults, overridden by ``RiskParams.weights``). The score is rounded to
one decimal, and the category is read from the rounded score so a shown 40.0 is always rawan.
Distance: travel km (great-circle x road_factor) to the nearest police site contributes nothing up
to 5 km and grows linearly to full at 30 km. Numpy throughout: 820k TPS score in seconds.
See docs/risk.md.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from siaga.domain.vocab import CATEGORIES, TPS_KINDS
from siaga.planning.catalogue import CATALOGUE, DISTANCE_CODE
from siaga.planning.params import RiskParams

try:  # helper C owns StationRisk in model.py; the identical fallback keeps scoring usable alone.
    from siaga.planning.model import StationRisk
except ModuleNotFoundError as exc:  # pragma: no cover - depends on the state of the tree
    if exc.name != "siaga.planning.model":
        raise

    @dataclass(frozen=True, slots=True)
    class StationRisk:  # type: ignore[no-redef]
        """Score, category and reasons of one TPS."""

        score: float
        category: str
        category_source: str  # score | override | kind
        reasons: tuple[str, ...]
        reasons_en: tuple[str, ...]


EARTH_RADIUS_KM = 6371.0088
DISTANCE_NEAR_KM = 5.0  # travel km up to which the distance adds nothing
DISTANCE_FAR_KM = 30.0  # travel km from which the distance adds its full weight
TOP_REASONS = 3
NO_INDICATOR = ("Tidak ada indikator kerawanan tercatat", "No vulnerability indicator recorded")
#: The first reason of a TPS whose category was set by hand; the typed reason travels apart (``category_reason``),
#: because it is free text that partners never see.
MANUAL_REASON = ("Kategori ditetapkan manual", "Category set by hand")
KHUSUS_REASON = ("TPS khusus (lapas, rutan, pesantren, rumah sakit, dsb.)", "Special polling station (TPS khusus)")


@dataclass(frozen=True, slots=True)
class StationInput:
    """What scoring needs of a TPS: where it is, its kind and a manual category, if any."""

    id: str
    lat: float
    lon: float
    kind: str = "regular"  # regular | khusus
    category: str | None = None  # manual override
    override_reason: str | None = None


def effective_weights(risk: RiskParams) -> dict[str, float]:
    """Catalogue weights with ``risk.weights`` applied; ValueError on an unknown code or a negative weight."""
    weights = {code: ind.weight for code, ind in CATALOGUE.items()}
    for code, weight in risk.weights.items():
        if code not in CATALOGUE:
            raise ValueError(f"bobot untuk indikator tidak dikenal: {code!r}")
        if not math.isfinite(weight) or weight < 0:
            raise ValueError(f"bobot indikator {code} harus angka >= 0, bukan {weight!r}")
        weights[code] = float(weight)
    return weights


def distance_contribution(km: np.ndarray) -> np.ndarray:
    """Share of the distance weight for travel km: 0 up to 5 km, linear, 1 from 30 km."""
    return np.clip((np.asarray(km, dtype=float) - DISTANCE_NEAR_KM) / (DISTANCE_FAR_KM - DISTANCE_NEAR_KM), 0.0, 1.0)


def _unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Points on the unit sphere: Euclidean nearest neighbours there are great-circle nearest neighbours."""
    la, lo = np.radians(lat), np.radians(lon)
    return np.column_stack((np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)))


def nearest_km(lat: np.ndarray, lon: np.ndarray, sites: Sequence[tuple[float, float]]) -> np.ndarray:
    """Great-circle km from each point to the nearest of ``sites`` (cKDTree on unit-sphere coordinates)."""
    site_arr = np.asarray(sites, dtype=float).reshape(-1, 2)
    if not np.isfinite(site_arr).all():
        raise ValueError("koordinat pos polisi tidak valid (bukan angka)")
    tree = cKDTree(_unit_vectors(site_arr[:, 0], site_arr[:, 1]))
    chord, _ = tree.query(_unit_vectors(lat, lon), k=1)
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.minimum(chord / 2.0, 1.0))


def _fmt_decimal(value: float, lang: str) -> str:
    text = f"{value:.1f}"
    return text.replace(".", ",") if lang == "id" else text


def _reason(code: str, value: float, lang: str) -> str:
    ind = CATALOGUE[code]
    name = ind.name_id if lang == "id" else ind.name_en
    if ind.kind == "km":
        km = _fmt_decimal(value, lang)
        return f"Jarak ke pos polisi terdekat {km} km" if lang == "id" else f"{km} km to the nearest police post"
    if ind.kind == "count":
        return f"{name}: {value:g}"
    return name


def _collect(
    index: Mapping[str, int], values: Mapping[str, Mapping[str, float]], col_of: Mapping[str, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Flatten the evidence into (row, column, value) arrays, checking every entry."""
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for tps_id, entries in values.items():
        row = index.get(tps_id)
        if row is None:
            raise ValueError(f"indikator untuk TPS yang tidak ada: {tps_id!r}")
        for code, value in entries.items():
            col = col_of.get(code)
            if col is None:
                raise ValueError(f"TPS {tps_id}: indikator tidak dikenal {code!r}")
            if code == DISTANCE_CODE:
                raise ValueError(f"TPS {tps_id}: {code} dihitung dari koordinat, tidak dibaca dari berkas")
            rows.append(row)
            cols.append(col)
            vals.append(value)
    val_arr = np.asarray(vals, dtype=float)
    return np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64), val_arr


def _check_values(rows, cols, vals, ids: Sequence[str], code_list: Sequence[str], is_flag) -> None:
    """Reject non-finite or negative values and flags above 1, naming the TPS and the code."""
    bad = ~np.isfinite(vals) | (vals < 0) | (is_flag[cols] & (vals > 1))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        code = code_list[cols[i]]
        rule = "0 sampai 1" if is_flag[cols[i]] else "angka >= 0"
        raise ValueError(f"TPS {ids[rows[i]]}: nilai indikator {code} harus {rule}, bukan {vals[i]!r}")


def score_stations(
    stations: Sequence[StationInput],
    values: Mapping[str, Mapping[str, float]],
    police_sites: Sequence[tuple[float, float]],
    risk: RiskParams,
    road_factor: float = 1.3,
) -> dict[str, StationRisk]:
    """Score every TPS, categorise it and explain it; ``values`` maps tps id -> {indicator code: value}.

    With no ``police_sites`` the distance indicator is left out. A manual category wins (source
    ``override``), then kind ``khusus`` (source ``kind``), then the thresholds (source ``score``).
    """
    if not 0 <= risk.rawan < risk.sangat_rawan <= 100:
        raise ValueError(f"ambang tidak valid: rawan={risk.rawan}, sangat_rawan={risk.sangat_rawan}")
    if not road_factor >= 1.0:
        raise ValueError(f"road_factor harus >= 1, bukan {road_factor!r}")
    n = len(stations)
    ids = [s.id for s in stations]
    index = {tps_id: i for i, tps_id in enumerate(ids)}
    if len(index) != n:
        seen: set[str] = set()
        for dup in ids:
            if dup in seen:
                break
            seen.add(dup)
        raise ValueError(f"id TPS ganda: {dup!r}")
    for s in stations:
        if s.kind not in TPS_KINDS:
            raise ValueError(f"TPS {s.id}: jenis {s.kind!r} tidak dikenal ({', '.join(TPS_KINDS)})")
        if s.category is not None and s.category not in CATEGORIES:
            raise ValueError(f"TPS {s.id}: kategori {s.category!r} tidak dikenal ({', '.join(CATEGORIES)})")

    code_list = list(CATALOGUE)
    col_of = {code: i for i, code in enumerate(code_list)}
    weights = effective_weights(risk)
    w = np.array([weights[c] for c in code_list])
    is_flag = np.array([CATALOGUE[c].kind == "flag" for c in code_list])
    is_count = np.array([CATALOGUE[c].kind == "count" for c in code_list])
    full_at = np.array([CATALOGUE[c].full_at for c in code_list])

    rows, cols, vals = _collect(index, values, col_of)
    _check_values(rows, cols, vals, ids, code_list, is_flag)
    contrib = np.where(is_count[cols], np.minimum(vals / full_at[cols], 1.0), vals)
    points = w[cols] * contrib

    coords = np.array([(s.lat, s.lon) for s in stations], dtype=float).reshape(-1, 2)
    lat, lon = coords[:, 0], coords[:, 1]
    if n and not (np.isfinite(lat).all() and np.isfinite(lon).all()):
        i = int(np.flatnonzero(~(np.isfinite(lat) & np.isfinite(lon)))[0])
        raise ValueError(f"TPS {ids[i]}: koordinat tidak valid")
    if n and len(police_sites):
        km = nearest_km(lat, lon, police_sites) * road_factor
        d_points = w[col_of[DISTANCE_CODE]] * distance_contribution(km)
        rows = np.concatenate((rows, np.arange(n, dtype=np.int64)))
        cols = np.concatenate((cols, np.full(n, col_of[DISTANCE_CODE], dtype=np.int64)))
        vals = np.concatenate((vals, km))
        points = np.concatenate((points, d_points))

    total = np.bincount(rows, weights=points, minlength=n) if n else np.zeros(0)
    score = np.round(np.minimum(total, 100.0), 1)
    cat_idx = (score >= risk.rawan).astype(np.int8) + (score >= risk.sangat_rawan).astype(np.int8)

    # Top reasons: positive contributions sorted by row, then points (desc), then catalogue order.
    keep = points > 0
    r, c, v, p = rows[keep], cols[keep], vals[keep], points[keep]
    order = np.lexsort((c, -p, r))
    r, c, v = r[order], c[order], v[order]
    top = (np.arange(len(r)) - np.searchsorted(r, r, side="left")) < TOP_REASONS
    r, c, v = r[top], c[top], v[top]
    texts_id, texts_en = _reason_texts(c.tolist(), v.tolist(), code_list)
    span_start = np.zeros(n, dtype=np.int64)
    span_end = np.zeros(n, dtype=np.int64)
    rows_with, starts = np.unique(r, return_index=True)
    span_start[rows_with] = starts
    span_end[rows_with] = np.append(starts[1:], len(r)).astype(np.int64)

    none_id, none_en = (NO_INDICATOR[0],), (NO_INDICATOR[1],)
    out: dict[str, StationRisk] = {}
    for s, sc, ci, a, b in zip(
        stations, score.tolist(), cat_idx.tolist(), span_start.tolist(), span_end.tolist(), strict=True
    ):
        rid, ren = (tuple(texts_id[a:b]), tuple(texts_en[a:b])) if b > a else (none_id, none_en)
        typed = ""
        if s.category is not None:
            typed = (s.override_reason or "").strip()
            rid, ren = (MANUAL_REASON[0], *rid), (MANUAL_REASON[1], *ren)
            category, source = s.category, "override"
        elif s.kind == "khusus":
            rid, ren = (KHUSUS_REASON[0], *rid), (KHUSUS_REASON[1], *ren)
            category, source = "khusus", "kind"
        else:
            category, source = CATEGORIES[ci], "score"
        out[s.id] = StationRisk(sc, category, source, rid, ren, typed)
    return out


def _reason_texts(cols: list[int], vals: list[float], code_list: Sequence[str]) -> tuple[list[str], list[str]]:
    """Indonesian and English reason texts of (column, value) pairs; flags reuse the indicator's name."""
    plain = [CATALOGUE[code].kind == "flag" for code in code_list]
    names_id = [CATALOGUE[code].name_id for code in code_list]
    names_en = [CATALOGUE[code].name_en for code in code_list]
    out_id: list[str] = []
    out_en: list[str] = []
    for col, val in zip(cols, vals, strict=True):
        if plain[col]:
            out_id.append(names_id[col])
            out_en.append(names_en[col])
        else:
            out_id.append(_reason(code_list[col], val, "id"))
            out_en.append(_reason(code_list[col], val, "en"))
    return out_id, out_en


def rollup(
    stations: Sequence[StationInput],
    risks: Mapping[str, StationRisk],
    key: Callable[[StationInput], Hashable],
) -> dict[Hashable, dict]:
    """Per area (``key(station)``): TPS count, mean and max score, TPS by category; sorted by area.

    Each value has the shape of an ``areas`` entry of plan.json without its code and name.
    """
    groups: dict[Hashable, list[str]] = {}
    for s in stations:
        groups.setdefault(key(s), []).append(s.id)
    out: dict[Hashable, dict] = {}
    for area in sorted(groups, key=lambda a: (str(type(a)), a)):
        members = [risks[tps_id] for tps_id in groups[area]]
        scores = np.array([m.score for m in members], dtype=float)
        by_cat = dict.fromkeys(CATEGORIES, 0)
        for m in members:
            by_cat[m.category] += 1
        out[area] = {
            "tps": len(members),
            "score_mean": round(float(scores.mean()), 1),
            "score_max": float(scores.max()),
            "tps_by_category": by_cat,
        }
    return out
