"""Posts: group the TPS of each (area, category) into as few, then as compact, posts as allowed.

A post holds TPS of one category inside one ``post_scope`` area (a village or a district) and at
most ``tps_per_post`` of them. A group of n TPS gets k = ceil(n / cap) posts (the fewest possible),
split compactly by :mod:`siaga.planning.cluster`. A post stands at the TPS nearest its TPS' centre;
its radius is the largest road distance (great-circle x road_factor) from there to its TPS. When
a piece's compact split still has a post wider than ``max_post_radius_km``, that piece gets one
more post at a time until it fits or every TPS has its own post.

Ids are ``P-<area code>-<category short>-<nn>``, numbered in the order of each post's first TPS id.
Pins put a TPS into a given post id; on a re-plan an area whose TPS and categories did not change
keeps its previous posts as they were.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from siaga.planning import cluster
from siaga.planning.geo import haversine_km, local_xy, unit_xyz
from siaga.planning.model import CATEGORY_SHORT, PlanInputError, Station
from siaga.planning.params import PlanParams
from siaga.planning.patterns import Pattern

_POST_ID = re.compile(r"^P-(?P<area>.+)-(?P<short>KR|R|SR|K)-(?P<nn>\d+)$")
_SHORT_TO_CATEGORY = {short: cat for cat, short in CATEGORY_SHORT.items()}


@dataclass(slots=True)
class Post:
    """A post as built: member TPS are indices into the station list (sorted by id)."""

    id: str
    category: str
    area: str
    district: str
    tps: list[int]
    location: int  # index of the TPS where the post stands
    lat: float
    lon: float
    radius_km: float
    villages: tuple[str, ...]
    pinned: bool = False
    unit: str | None = None


def _number(pid: str) -> int:
    match = _POST_ID.match(pid)
    assert match is not None  # pinned ids are checked in _check_pins
    return int(match["nn"])


def post_id(area: str, category: str, number: int, width: int = 2) -> str:
    return f"P-{area}-{CATEGORY_SHORT[category]}-{number:0{width}d}"


def _area_of(station: Station, scope: str) -> str:
    return station.village if scope == "village" else station.district


def _describe(lat: np.ndarray, lon: np.ndarray, labels: np.ndarray, k: int, road_factor: float,
              ident: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per post: the member nearest the members' centre (index into the arrays), and the radius.

    The centre is the normalised mean of the members on the unit sphere; distances are rounded
    (to about a metre) and ties go to the lowest ``ident`` (station index), so the answer depends
    only on the member set, not on the order or grouping it was computed in.
    """
    xyz = unit_xyz(lat, lon)
    counts = np.maximum(np.bincount(labels, minlength=k), 1)
    centre = np.column_stack([np.bincount(labels, xyz[:, c], k) / counts for c in range(3)])
    d2 = np.round(((xyz - centre[labels]) ** 2).sum(axis=1), 13)
    order = np.lexsort((ident, d2, labels))
    first = np.ones(len(order), dtype=bool)
    first[1:] = labels[order][1:] != labels[order][:-1]
    location = np.empty(k, dtype=np.int64)
    location[labels[order][first]] = order[first]
    dist = haversine_km(lat[location[labels]], lon[location[labels]], lat, lon) * road_factor
    radius = np.zeros(k)
    np.maximum.at(radius, labels, dist)
    return location, radius


def _planar_radius(xy: np.ndarray, labels: np.ndarray, k: int, road_factor: float) -> float:
    """Largest post radius of a split, measured in the piece's local flat projection."""
    counts = np.maximum(np.bincount(labels, minlength=k), 1)
    cx = np.bincount(labels, xy[:, 0], k) / counts
    cy = np.bincount(labels, xy[:, 1], k) / counts
    d2 = (xy[:, 0] - cx[labels]) ** 2 + (xy[:, 1] - cy[labels]) ** 2
    order = np.lexsort((d2, labels))
    first = np.ones(len(order), dtype=bool)
    first[1:] = labels[order][1:] != labels[order][:-1]
    loc = np.empty(k, dtype=np.int64)
    loc[labels[order][first]] = order[first]
    far = np.hypot(xy[:, 0] - xy[loc[labels], 0], xy[:, 1] - xy[loc[labels], 1])
    return float(far.max(initial=0.0)) * road_factor


def _solve_piece(xy, k, cap, fixed, limit, road_factor):
    """Split one piece with the radius rule: raise k until every post fits or k is at its maximum.

    The check uses the piece's flat projection (within about 0.1 % of great-circle distance over
    a few km); the reported radius is then measured on the sphere.
    """
    n = len(xy)
    pinned = int(fixed.max()) + 1 if n and fixed.max() >= 0 else 0
    k_max = pinned + int((fixed < 0).sum())
    while True:
        labels = cluster.split_group(xy, k, cap, fixed)
        if k >= k_max or _planar_radius(xy, labels, k, road_factor) <= limit + 1e-9:
            return labels
        k += 1


def _check_pins(stations: Sequence[Station], index: Mapping[str, int], pins: Mapping[str, str],
                pattern: Pattern, scope: str) -> dict[int, str]:
    """Validate TPS pins: known TPS, well-formed post id, same area and category, capacity."""
    out: dict[int, str] = {}
    per_post: dict[str, int] = defaultdict(int)
    where = "desa/kelurahan" if scope == "village" else "kecamatan"
    for tps_id, pid in sorted(pins.items()):
        if tps_id not in index:
            raise PlanInputError(f"Pin TPS {tps_id} -> {pid}: TPS {tps_id} tidak ada dalam data")
        st = stations[index[tps_id]]
        match = _POST_ID.match(pid)
        if not match:
            raise PlanInputError(f"Pin TPS {tps_id} -> {pid}: id pos tidak dikenal (format P-<wilayah>-<kategori>-<nn>)")
        if match["area"] != _area_of(st, scope):
            raise PlanInputError(
                f"Pin TPS {tps_id} -> {pid}: pos berada di luar {where} TPS ini ({_area_of(st, scope)})")
        if _SHORT_TO_CATEGORY[match["short"]] != st.category:
            raise PlanInputError(
                f"Pin TPS {tps_id} -> {pid}: pos kategori {_SHORT_TO_CATEGORY[match['short']]} tidak boleh "
                f"menampung TPS kategori {st.category} (satu pos satu kategori)")
        per_post[pid] += 1
        cap = pattern.rules[st.category].tps_per_post
        if per_post[pid] > cap:
            raise PlanInputError(f"Pin TPS {tps_id} -> {pid}: pos melebihi {cap} TPS per pos")
        out[index[tps_id]] = pid
    return out


def _previous_groups(previous: Mapping[str, Any] | None, stations: Sequence[Station], pattern: Pattern,
                     params: PlanParams) -> dict[str, list[tuple[str, list[str]]]]:
    """Areas whose previous grouping may be kept: area -> [(post id, tps ids)] (checked later)."""
    if not previous:
        return {}
    scope = params.post_scope
    prev_params = previous.get("params", {})
    if prev_params.get("post_scope") != scope:
        return {}
    if float(prev_params.get("max_post_radius_km", -1)) != float(params.max_post_radius_km):
        return {}
    prev_rules = prev_params.get("rules", {})
    same_cap = {cat for cat, rule in pattern.rules.items()
                if prev_rules.get(cat, {}).get("tps_per_post") == rule.tps_per_post}
    field = "village" if scope == "village" else "district"
    prev_area: dict[str, dict[str, str]] = defaultdict(dict)
    for t in previous.get("tps", []):
        prev_area[t[field]][t["id"]] = t["category"]
    cur_area: dict[str, dict[str, str]] = defaultdict(dict)
    for st in stations:
        cur_area[_area_of(st, scope)][st.id] = st.category
    posts_by_area: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
    for p in previous.get("posts", []):
        match = _POST_ID.match(p["id"])
        if match:
            posts_by_area[match["area"]].append((p["id"], list(p["tps"])))
    out = {}
    for area, cats in cur_area.items():
        if prev_area.get(area) != cats or not set(cats.values()) <= same_cap:
            continue
        groups = posts_by_area.get(area, [])
        if sorted(t for _, tps in groups for t in tps) == sorted(cats):
            out[area] = groups
    return out


def build_posts(stations: Sequence[Station], pattern: Pattern, params: PlanParams,
                tps_pins: Mapping[str, str], previous: Mapping[str, Any] | None = None,
                progress: Callable[[float], None] | None = None) -> list[Post]:
    """Group every station into exactly one post; returns posts sorted by id."""
    scope = params.post_scope
    if scope not in ("village", "district"):
        raise PlanInputError(f"post_scope harus 'village' atau 'district', bukan {scope!r}")
    for st in stations:
        if st.category not in pattern.rules:
            raise PlanInputError(f"Pola {pattern.name} tidak punya aturan untuk kategori {st.category} (TPS {st.id})")
    index = {st.id: i for i, st in enumerate(stations)}
    pins = _check_pins(stations, index, tps_pins, pattern, scope)
    keep = _previous_groups(previous, stations, pattern, params)
    lat = np.array([s.lat for s in stations], dtype=float)
    lon = np.array([s.lon for s in stations], dtype=float)

    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, st in enumerate(stations):
        groups[(_area_of(st, scope), st.category)].append(i)
    posts: list[Post] = []
    for g, ((area, cat), members) in enumerate(sorted(groups.items())):
        cap = pattern.rules[cat].tps_per_post
        kept = _kept_posts(area, cat, members, keep, pins, index, cap)
        labelled = kept if kept is not None else _group_posts(area, cat, members, pins, cap, lat, lon, params)
        posts.extend(_make_posts(area, cat, labelled, stations, pins))
        if progress is not None and g % 64 == 0:
            progress(g / max(len(groups), 1))
    posts.sort(key=lambda p: p.id)
    _place(posts, stations, lat, lon, params.road_factor)
    return posts


def _place(posts: list[Post], stations: Sequence[Station], lat: np.ndarray, lon: np.ndarray, road_factor: float):
    """Locate and measure every post in one vectorised pass (see :func:`_describe`)."""
    if not posts:
        return
    labels = np.empty(len(stations), dtype=np.int64)
    for j, p in enumerate(posts):
        labels[p.tps] = j
    location, radius = _describe(lat, lon, labels, len(posts), road_factor, np.arange(len(stations)))
    for j, p in enumerate(posts):
        loc = int(location[j])
        p.location, p.lat, p.lon, p.radius_km = loc, stations[loc].lat, stations[loc].lon, float(radius[j])


def _kept_posts(area, cat, members, keep, pins, index, cap) -> list[tuple] | None:
    """The previous posts of this group, if the area is unchanged and every pin agrees with them."""
    if area not in keep:
        return None
    short = CATEGORY_SHORT[cat]
    mine = set(members)
    out = []
    for pid, tps_ids in keep[area]:
        if not pid[len(area) + 2:].startswith(f"-{short}-"):
            continue
        idx = [index[t] for t in tps_ids]
        if not set(idx) <= mine or len(idx) > cap or any(pins.get(i, pid) != pid for i in idx):
            return None
        out.append((pid, sorted(idx)))
    if sorted(i for _, idx in out for i in idx) != sorted(members):
        return None
    return out


def _group_posts(area, cat, members, pins, cap, lat, lon, params) -> list[tuple]:
    """Split one group into posts; pinned post ids are kept, others are numbered later."""
    members = np.array(members, dtype=np.int64)
    n = len(members)
    pinned_ids = sorted({pins[i] for i in members if i in pins})
    fixed = np.array([pinned_ids.index(pins[i]) if i in pins else -1 for i in members], dtype=np.int64)
    k = max(math.ceil(n / cap), len(pinned_ids))
    xy = local_xy(lat[members], lon[members], float(lat[members].mean()), float(lon[members].mean()))
    limit = params.max_post_radius_km
    out: list[tuple] = []
    pieces = [(np.arange(n), k)] if pinned_ids else cluster.leaves(xy, k, cap)
    for idx, kk in pieces:
        labels = _solve_piece(xy[idx], kk, cap, fixed[idx], limit, params.road_factor)
        for c in range(int(labels.max()) + 1):
            tps = sorted(members[idx[labels == c]].tolist())
            pid = pinned_ids[c] if pinned_ids and c < len(pinned_ids) else None
            out.append((pid, tps))
    return out


def _make_posts(area, cat, labelled, stations, pins) -> list[Post]:
    """Number the unpinned posts of a group in the order of their first TPS id.

    ``labelled`` holds (post id or None, TPS indices); location and radius are set by :func:`_place`.
    """
    used = {_number(pid) for pid, _ in labelled if pid}
    width = max(2, len(str(len(labelled) + max(used, default=0))))
    number = 0
    result = []
    for pid, tps in sorted(labelled, key=lambda item: item[1][0]):
        if pid is None:
            number += 1
            while number in used:
                number += 1
            pid = post_id(area, cat, number, width)
        first = stations[tps[0]]
        result.append(Post(
            id=pid, category=cat, area=area, district=first.district, tps=tps, location=tps[0],
            lat=first.lat, lon=first.lon, radius_km=0.0,
            villages=tuple(sorted({stations[i].village for i in tps})),
            pinned=any(i in pins for i in tps),
        ))
    return result
