"""The hand-made plan fixture obeys the rules docs/plan-json.md states, so report tests rest on a valid plan."""

from __future__ import annotations

import math


def test_fixture_follows_the_plan_json_rules(plan):
    """Every TPS in one post; required = rule; assigned + unmet = required; unmet sums match."""
    s = plan["summary"]
    assert plan["schema"] == "siaga.plan/1"
    post_of = {t: p["id"] for p in plan["posts"] for t in p["tps"]}
    assert sorted(post_of) == sorted(t["id"] for t in plan["tps"])
    assert all(post_of[t["id"]] == t["post"] for t in plan["tps"])
    rules = plan["params"]["rules"]
    for p in plan["posts"]:
        rule = rules[p["category"]]
        assert len(p["tps"]) <= rule["tps_per_post"]
        assert p["required"] == {"polri": rule["polri_per_post"], "tni": rule["tni_per_post"],
                                 "linmas": math.ceil(rule["linmas_per_tps"] * len(p["tps"]))}
    for force in ("polri", "tni", "linmas", "commander"):
        assert s["assigned"][force] + s["unmet"][force] == s["required"][force]
        assert s["unmet"][force] == sum(u["count"] for u in plan["unmet"] if u["force"] == force)
    force_of = {p["id"]: p["force"] for p in plan["personnel"]}
    for force in ("polri", "tni", "linmas"):
        assert s["assigned"][force] == sum(1 for a in plan["assignments"] if force_of[a["personnel"]] == force)
    assert s["tps"] == len(plan["tps"]) and s["posts"] == len(plan["posts"])
    assert round(sum(a["travel_km"] for a in plan["assignments"]), 1) == s["travel_km_total"]
    people = [pid for p in plan["posts"] for pid in p["personnel"]] + [
        pid for r in plan["reserves"] for pid in r["personnel"]]
    assert len(people) == len(set(people))
