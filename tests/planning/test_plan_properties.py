"""Property tests: on random small instances every plan keeps the rules of docs/plan-json.md."""

from __future__ import annotations

import dataclasses

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from siaga.planning.jurisdiction import covers, unit_areas
from siaga.planning.model import Pins
from siaga.planning.params import PlanParams
from siaga.planning.patterns import CategoryRule, Pattern
from siaga.planning.solve import solve
from tests.planning.plan_instances import Spec, check_plan, make_problem

PATTERNS = [
    Pattern("2-4-8", {"kurang_rawan": CategoryRule(2, 4, 2.0), "rawan": CategoryRule(2, 2, 2.0, 1),
                      "sangat_rawan": CategoryRule(3, 1, 2.0, 1), "khusus": CategoryRule(2, 1, 2.0)}),
    Pattern("2-4-6", {"kurang_rawan": CategoryRule(2, 4, 1.5), "rawan": CategoryRule(4, 2, 4.0),
                      "sangat_rawan": CategoryRule(6, 2, 4.0, 2), "khusus": CategoryRule(1, 3, 0.5)}),
    Pattern("1-7-x", {"kurang_rawan": CategoryRule(1, 7, 1.0), "rawan": CategoryRule(0, 3, 1.0, 1),
                      "sangat_rawan": CategoryRule(2, 1, 2.0), "khusus": CategoryRule(2, 2, 2.0)}),
]

instances = st.fixed_dictionaries({
    "seed": st.integers(0, 100_000),
    "districts": st.integers(1, 3),
    "tps_high": st.integers(2, 12),
    "polsek": st.integers(0, 10),
    "polres": st.integers(0, 12),
    "tni": st.integers(0, 4),
    "linmas": st.sampled_from([0.5, 1.5, 2.5]),
    "brimob": st.integers(0, 6),
    "pattern": st.integers(0, len(PATTERNS) - 1),
    "scope": st.sampled_from(["village", "district"]),
    "radius": st.sampled_from([0.3, 1.0, 5.0]),
    "squad": st.integers(1, 6),
})


def _problem(d, pins=None):
    spec = Spec(districts=d["districts"], villages=(1, 3), tps=(1, d["tps_high"]), polsek_polri=(0, d["polsek"]),
                polres_polri=d["polres"], koramil_tni=(0, d["tni"]), linmas_per_tps=d["linmas"],
                brimob=d["brimob"], home_in_area_share=0.5)
    params = PlanParams(post_scope=d["scope"], max_post_radius_km=d["radius"], reserve_squad_size=d["squad"])
    return make_problem(d["seed"], spec, pattern=PATTERNS[d["pattern"]], params=params, pins=pins)


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(instances)
def test_random_plans_keep_every_rule(d):
    """Every TPS in one post, capacities, one category/area, counts, neutrality, jurisdiction, sums."""
    problem = _problem(d)
    check_plan(problem, solve(problem))


@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(instances, st.randoms(use_true_random=False))
def test_random_person_pins_hold(d, rnd):
    """Valid person pins chosen at random are honoured and every rule still holds."""
    problem = _problem(d)
    first = solve(problem)
    areas = unit_areas(list(problem.units))
    stations = {s.id: s for s in problem.stations}
    pins: dict[str, str] = {}
    taken: dict[tuple[str, str], int] = {}
    for person in rnd.sample(sorted(problem.people, key=lambda p: p.id), k=min(6, len(problem.people))):
        if person.status != "available":
            continue
        for post in rnd.sample(first["posts"], k=len(first["posts"])):
            villages = {stations[t].village for t in post["tps"]}
            ok = (person.home_village in villages if person.force == "linmas" else
                  covers(areas[person.unit], post["district"]) and person.home_village not in villages)
            room = post["required"][person.force] - taken.get((post["id"], person.force), 0)
            if ok and room > 0:
                pins[person.id] = post["id"]
                taken[(post["id"], person.force)] = taken.get((post["id"], person.force), 0) + 1
                break
    pinned = dataclasses.replace(problem, pins=Pins(person_post=pins))
    plan = solve(pinned)
    check_plan(pinned, plan)
    assert all(a["pinned"] for a in plan["assignments"] if a["personnel"] in pins)


@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(instances, st.randoms(use_true_random=False))
def test_random_tps_pins_hold(d, rnd):
    """A TPS pinned to another post id of its group lands there and every rule still holds."""
    problem = _problem(d)
    first = solve(problem)
    post = rnd.choice(first["posts"])
    group = post["id"].rsplit("-", 1)[0]
    target = rnd.choice([p["id"] for p in first["posts"] if p["id"].startswith(group + "-")] + [group + "-77"])
    pins = {rnd.choice(post["tps"]): target}
    pinned = dataclasses.replace(problem, pins=Pins(tps_post=pins))
    plan = solve(pinned)
    check_plan(pinned, plan)
    assert next(p for p in plan["posts"] if p["id"] == target)["pinned"]
