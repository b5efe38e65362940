"""The published Jakarta Barat figure: 7,169 TPS, all kurang rawan, pattern 2-16-32 (Pemilu 2024).

Polres Metro Jakarta Barat reported about 900 Polri and over 14,000 Linmas. The instance below is
synthetic (invented coordinates): 8 districts and 56 kelurahan like Jakarta Barat, 7,169 TPS in
total (about 128 per kelurahan). Only the requirement is checked; there is no roster.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from siaga.planning.model import Problem, Station
from siaga.planning.params import PlanParams
from siaga.planning.patterns import CategoryRule, Pattern
from siaga.planning.solve import solve

PATTERN = Pattern("jakbar-2024", {"kurang_rawan": CategoryRule(2, 16, 2.0)}, source="synthetic")


def _jakbar(scope: str) -> Problem:
    rng = np.random.default_rng(2024)
    sizes = rng.integers(100, 157, size=56)
    sizes[-1] += 7169 - sizes.sum()
    stations = []
    for v, n in enumerate(sizes):
        dcode = f"99.71.{v // 7 + 1:02d}"
        vcode = f"{dcode}.{1001 + v % 7}"
        lat0, lon0 = -6.17 + 0.012 * (v // 7), 106.74 + 0.012 * (v % 7)
        lat = lat0 + rng.normal(0, 0.002, n)
        lon = lon0 + rng.normal(0, 0.002, n)
        for t in range(int(n)):
            stations.append(Station(f"{vcode}-{t + 1:03d}", t + 1, vcode, f"Kelurahan Sintetis {v + 1}", dcode,
                                    f"Kecamatan Sintetis {v // 7 + 1}", float(lat[t]), float(lon[t]),
                                    "kurang_rawan"))
    params = PlanParams(post_scope=scope, max_post_radius_km=5.0)
    return Problem(tuple(stations), (), (), PATTERN, params, source="jakbar-synthetic", synthetic=True)


@pytest.mark.parametrize("scope", ["village", "district"])
def test_jakarta_barat_requirement(scope):
    """2-16-32 over 7,169 TPS needs about 900 Polri (at least 2 x ceil(7169/16) = 898) and 14,338 Linmas."""
    problem = _jakbar(scope)
    plan = solve(problem)
    required = plan["summary"]["required"]
    assert plan["summary"]["tps"] == 7169
    assert required["linmas"] == 14338
    by_area: dict[str, int] = {}
    for s in problem.stations:
        key = s.village if scope == "village" else s.district
        by_area[key] = by_area.get(key, 0) + 1
    fewest = sum(math.ceil(n / 16) for n in by_area.values())
    assert plan["summary"]["posts"] == fewest  # as few posts as the pattern allows
    assert required["polri"] == 2 * fewest
    assert 898 <= required["polri"] <= (960 if scope == "village" else 910)
    assert plan["summary"]["unmet"]["polri"] == required["polri"]  # no roster given
