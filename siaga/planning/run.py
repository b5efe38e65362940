"""The whole planning job on validated records: score vulnerability, then solve. Pure (no Django).

Both ``siaga plan --input`` (files) and ``siaga plan --operation`` (database) call
:func:`plan_dataset`, so a plan from files and a plan from the database of the same data are equal.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from siaga.formats.records import Dataset
from siaga.planning.adapter import build_problem
from siaga.planning.config import PlanConfig
from siaga.planning.model import Pins
from siaga.planning.scoring import StationInput, score_stations
from siaga.planning.solve import solve

POLICE_SITE_LEVELS = ("polres", "polsek")


def plan_dataset(dataset: Dataset, config: PlanConfig, *, pins: Pins | None = None, previous: dict | None = None,
                 source: str = "", progress: Callable[[str, float], None] | None = None) -> dict:
    """Score every TPS, build the planning problem and solve it; returns the plan.json dict."""
    report = progress or (lambda *_: None)
    report("kerawanan", 0.0)
    values: dict[str, dict[str, float]] = defaultdict(dict)
    for record in dataset.indicators:
        values[record.tps_id][record.indicator] = record.value
    stations = [
        StationInput(id=t.tps_id, lat=t.lat, lon=t.lon, kind=t.kind, category=t.category,
                     override_reason=(t.category_reason or "kolom category pada data TPS") if t.category else None)
        for t in dataset.tps
    ]
    police_sites = [(u.lat, u.lon) for u in dataset.units if u.force == "polri" and u.level in POLICE_SITE_LEVELS]
    risks = score_stations(stations, values, police_sites, config.params.risk, config.params.road_factor)
    report("kerawanan", 1.0)
    problem = build_problem(dataset, risks, config.pattern, config.params, pins=pins or Pins(), previous=previous,
                            source=source)
    plan = solve(problem, seed=config.params.seed, progress=progress)
    plan["params"] = config.to_dict()
    return plan
