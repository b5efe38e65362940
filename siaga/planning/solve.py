"""``solve(problem, seed, progress)``: posts, then staffing, then reserves, then the plan.json dict.

Stages reported to ``progress(stage, fraction)``: ``posts``, ``staffing``, ``reserves``, ``output``
and ``done``; ``fraction`` is the share of the whole run (0..1), increasing.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from siaga.domain.vocab import CATEGORIES, FORCES, PERSONNEL_STATUSES, TPS_KINDS, UNIT_LEVELS
from siaga.planning.jurisdiction import post_units, unit_areas
from siaga.planning.model import PlanInputError, Problem
from siaga.planning.posts import build_posts
from siaga.planning.reserves import form_squads, station_squads
from siaga.planning.serialize import plan_dict
from siaga.planning.staffing import staff

Progress = Callable[[str, float], None]


def _duplicates(ids) -> list[str]:
    return sorted(k for k, n in Counter(ids).items() if n > 1)


def validate(problem: Problem) -> None:
    """Reject a problem that cannot be planned, naming the first bad item."""
    for what, items in (("TPS", problem.stations), ("satuan", problem.units), ("personel", problem.people)):
        dup = _duplicates(x.id for x in items)
        if dup:
            raise PlanInputError(f"Id {what} ganda: {', '.join(dup[:5])}")
    for s in problem.stations:
        if s.category not in CATEGORIES:
            raise PlanInputError(f"TPS {s.id}: kategori {s.category!r} tidak dikenal")
        if s.kind not in TPS_KINDS:
            raise PlanInputError(f"TPS {s.id}: jenis {s.kind!r} tidak dikenal")
    units = {u.id: u for u in problem.units}
    for u in problem.units:
        if u.force not in FORCES or u.level not in UNIT_LEVELS:
            raise PlanInputError(f"Satuan {u.id}: matra {u.force!r} atau tingkat {u.level!r} tidak dikenal")
    for p in problem.people:
        if p.unit not in units:
            raise PlanInputError(f"Personel {p.id}: satuan {p.unit} tidak ada dalam data satuan")
        if p.force != units[p.unit].force:
            raise PlanInputError(f"Personel {p.id} ({p.force}) berada di satuan {p.unit} ({units[p.unit].force})")
        if p.status not in PERSONNEL_STATUSES:
            raise PlanInputError(f"Personel {p.id}: status {p.status!r} tidak dikenal")
    prev = problem.previous
    if prev is not None and (not isinstance(prev, dict) or prev.get("schema") != "siaga.plan/1"):
        raise PlanInputError("Rencana sebelumnya bukan plan.json dengan schema siaga.plan/1")
    if problem.params.reserve_squad_size < 1:
        raise PlanInputError("reserve_squad_size harus minimal 1")


def solve(problem: Problem, seed: int | None = None, progress: Progress | None = None,
          *, budget: int | None = None) -> dict[str, Any]:
    """Plan ``problem``; returns the ``plan.json`` dict. ``budget`` (tests only) caps stage costs."""
    started = time.perf_counter()
    report: Progress = progress or (lambda stage, fraction: None)
    seed = problem.params.seed if seed is None else int(seed)
    validate(problem)
    params = problem.params
    stations = sorted(problem.stations, key=lambda s: s.id)
    units = sorted(problem.units, key=lambda u: u.id)
    people = sorted(problem.people, key=lambda p: p.id)
    areas = unit_areas(units)
    previous = problem.previous

    report("posts", 0.0)
    posts = build_posts(stations, problem.pattern, params, problem.pins.tps_post, previous,
                        progress=lambda f: report("posts", 0.3 * f))
    owner = post_units(units, areas, {p.district for p in posts})
    for p in posts:
        p.unit = owner[p.district]

    report("staffing", 0.3)
    previous_post = {a["personnel"]: a["post"] for a in (previous or {}).get("assignments", [])}
    district_names = {s.district: s.district_name for s in stations}
    result = staff(posts, units, people, problem.pattern, params, areas, problem.pins.person_post,
                   previous_post, seed, budget=budget, progress=lambda f: report("staffing", 0.3 + 0.5 * f),
                   district_names=district_names)

    report("reserves", 0.8)
    unit_by_id = {u.id: u for u in units}
    squads, _ = form_squads(people, unit_by_id, set(result.person_post), params.reserve_squad_size, previous)
    station_squads(squads, stations, posts, unit_by_id, areas, params.road_factor)

    report("output", 0.95)
    plan = plan_dict(problem, seed, stations, units, people, posts, result, squads, params.road_factor)
    plan["summary"]["runtime_s"] = round(time.perf_counter() - started, 3)
    report("done", 1.0)
    return plan
