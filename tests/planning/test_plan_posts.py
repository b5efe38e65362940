"""Grouping TPS into posts: fewest posts, compact, radius rule, stable ids, scope, owner unit."""

from __future__ import annotations

import math

import numpy as np
import pytest

from siaga.planning.cluster import leaves, split_group
from siaga.planning.geo import haversine_km
from siaga.planning.jurisdiction import post_units, unit_areas
from siaga.planning.model import Station, Unit
from siaga.planning.params import PlanParams
from siaga.planning.patterns import CategoryRule, Pattern
from siaga.planning.posts import build_posts

PATTERN = Pattern("uji", {"kurang_rawan": CategoryRule(2, 4, 2.0), "rawan": CategoryRule(2, 2, 2.0),
                          "sangat_rawan": CategoryRule(2, 1, 2.0), "khusus": CategoryRule(2, 1, 2.0)})


def _village(vcode: str, points, category="kurang_rawan", start=0) -> list[Station]:
    dcode = vcode.rsplit(".", 1)[0]
    return [Station(f"{vcode}-{start + i:03d}", start + i + 1, vcode, "Desa", dcode, "Kec", lat, lon, category)
            for i, (lat, lon) in enumerate(points)]


def _cloud(rng, n, lat0=-7.0, lon0=110.0, sd=0.003):
    return list(zip((lat0 + rng.normal(0, sd, n)).tolist(), (lon0 + rng.normal(0, sd, n)).tolist(), strict=True))


def test_fewest_posts_then_compact():
    """Two well separated clusters of 4 TPS become exactly two posts, one per cluster."""
    pts = [(-7.0, 110.0), (-7.0005, 110.0), (-7.0, 110.0005), (-7.0005, 110.0005),
           (-7.01, 110.01), (-7.0105, 110.01), (-7.01, 110.0105), (-7.0105, 110.0105)]
    order = [0, 4, 1, 5, 2, 6, 3, 7]  # interleave so id order does not give the answer away
    stations = _village("99.01.01.2001", [pts[i] for i in order])
    posts = build_posts(stations, PATTERN, PlanParams(), {})
    assert len(posts) == 2
    groups = sorted(sorted(order[i] // 4 for i in p.tps) for p in posts)
    assert groups == [[0, 0, 0, 0], [1, 1, 1, 1]]
    assert [p.id for p in posts] == ["P-99.01.01.2001-KR-01", "P-99.01.01.2001-KR-02"]


@pytest.mark.parametrize("n", [1, 4, 5, 9, 16, 23, 40])
def test_post_count_is_ceil_n_over_cap(n):
    """Within the radius limit a group of n TPS gets ceil(n / tps_per_post) posts of at most that many TPS."""
    stations = _village("99.01.01.2001", _cloud(np.random.default_rng(n), n))
    posts = build_posts(stations, PATTERN, PlanParams(max_post_radius_km=50), {})
    assert len(posts) == math.ceil(n / 4)
    assert sorted(i for p in posts for i in p.tps) == list(range(n))
    assert all(1 <= len(p.tps) <= 4 for p in posts)


def test_post_stands_at_the_tps_nearest_the_centre_and_radius_is_road_km():
    """A post's location is its TPS nearest the members' centre; radius = max distance x road_factor."""
    stations = _village("99.01.01.2001", [(-7.0, 110.0), (-7.001, 110.0), (-7.002, 110.0)])
    params = PlanParams(road_factor=1.5)
    (post,) = build_posts(stations, PATTERN, params, {})
    assert (post.lat, post.lon) == (-7.001, 110.0)
    assert post.radius_km == pytest.approx(float(haversine_km(-7.001, 110.0, -7.0, 110.0)) * 1.5)


def test_radius_rule_adds_posts_until_they_fit():
    """An outlying TPS farther than max_post_radius_km gets its own post even if capacity allows more."""
    pts = [(-7.0, 110.0), (-7.0003, 110.0), (-7.0, 110.0003), (-7.05, 110.05)]
    stations = _village("99.01.01.2001", pts)
    tight = build_posts(stations, PATTERN, PlanParams(max_post_radius_km=2.0), {})
    loose = build_posts(stations, PATTERN, PlanParams(max_post_radius_km=20.0), {})
    assert len(loose) == 1
    assert len(tight) == 2 and max(p.radius_km for p in tight) <= 2.0
    assert sorted(len(p.tps) for p in tight) == [1, 3]


def test_one_category_and_area_per_post():
    """TPS of another category or another village never share a post; district scope merges villages."""
    rng = np.random.default_rng(1)
    stations = (_village("99.01.01.2001", _cloud(rng, 3)) + _village("99.01.01.2001", _cloud(rng, 2), "rawan", 10)
                + _village("99.01.01.2002", _cloud(rng, 1)))
    posts = build_posts(stations, PATTERN, PlanParams(max_post_radius_km=50), {})
    assert sorted(p.id for p in posts) == ["P-99.01.01.2001-KR-01", "P-99.01.01.2001-R-01", "P-99.01.01.2002-KR-01"]
    district = build_posts(stations, PATTERN, PlanParams(post_scope="district", max_post_radius_km=50), {})
    assert sorted(p.id for p in district) == ["P-99.01.01-KR-01", "P-99.01.01-R-01"]
    assert next(p for p in district if p.id == "P-99.01.01-KR-01").villages == ("99.01.01.2001", "99.01.01.2002")


def test_tps_pin_moves_a_tps_into_the_named_post():
    """A TPS pinned to a post id of its group ends up there; other TPS fill the remaining slots."""
    rng = np.random.default_rng(3)
    stations = _village("99.01.01.2001", _cloud(rng, 8))
    free = build_posts(stations, PATTERN, PlanParams(max_post_radius_km=50), {})
    victim = stations[free[0].tps[0]].id
    pinned = build_posts(stations, PATTERN, PlanParams(max_post_radius_km=50), {victim: "P-99.01.01.2001-KR-02"})
    post = next(p for p in pinned if p.id == "P-99.01.01.2001-KR-02")
    assert free[0].id == "P-99.01.01.2001-KR-01"
    assert victim in [stations[i].id for i in post.tps]
    assert post.pinned and len(pinned) == 2


def test_large_district_group_is_split_near_linearly_and_feasibly():
    """A 500-TPS group is cut into feasible pieces of at most LEAF_SIZE and split with every cap kept."""
    rng = np.random.default_rng(5)
    xy = rng.normal(0, 3, size=(500, 2))
    pieces = leaves(xy, 125, 4)
    assert sum(k for _, k in pieces) == 125
    assert sorted(np.concatenate([idx for idx, _ in pieces]).tolist()) == list(range(500))
    for idx, k in pieces:
        labels = split_group(xy[idx], k, 4)
        assert np.bincount(labels, minlength=k).max() <= 4 and len(set(labels.tolist())) == k


def test_post_unit_is_the_polsek_else_the_polres():
    """A post belongs to the Polsek whose districts hold it, otherwise to the Polres."""
    units = [Unit("RES", "Polres", "polri", "polres", None, 0, 0, ()),
             Unit("SEK1", "Polsek 1", "polri", "polsek", "RES", 0, 0, ("99.01.01",)),
             Unit("KOR", "Koramil", "tni", "koramil", None, 0, 0, ("99.01.02",))]
    owner = post_units(units, unit_areas(units), ["99.01.01", "99.01.02"])
    assert owner == {"99.01.01": "SEK1", "99.01.02": "RES"}
