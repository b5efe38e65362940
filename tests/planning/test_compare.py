"""compare_plans: people and TPS that changed post, posts added/removed, and the deltas of the totals."""

from __future__ import annotations

import copy

from siaga.planning.compare import compare_plans, totals

OLD = {
    "schema": "siaga.plan/1",
    "tps": [{"id": "T1", "post": "P-A"}, {"id": "T2", "post": "P-A"}, {"id": "T3", "post": "P-B"}],
    "posts": [
        {"id": "P-A", "tps": ["T1", "T2"], "required": {"polri": 2, "tni": 0, "linmas": 4}, "commander": "N1"},
        {"id": "P-B", "tps": ["T3"], "required": {"polri": 2, "tni": 1, "linmas": 2}, "commander": None},
    ],
    "assignments": [
        {"personnel": "N1", "post": "P-A", "force": "polri", "role": "commander"},
        {"personnel": "N2", "post": "P-A", "force": "polri", "role": "polri"},
        {"personnel": "N3", "post": "P-B", "force": "polri", "role": "polri"},
        {"personnel": "L1", "post": "P-B", "force": "linmas", "role": "linmas"},
    ],
    "unmet": [{"post": "P-B", "force": "polri", "count": 1}, {"post": "P-B", "force": "commander", "count": 1},
              {"post": "P-A", "force": "linmas", "count": 4}],
    "reserves": [{"id": "R-01", "personnel": ["N9", "N8"]}],
    "personnel": [{"id": "N1", "name": "Andi", "rank": "Aiptu", "force": "polri"},
                  {"id": "N2", "name": "Budi", "rank": "Bripka", "force": "polri"},
                  {"id": "N3", "name": "Citra", "rank": "Brigpol", "force": "polri"},
                  {"id": "N4", "name": "Dewi", "rank": "Aipda", "force": "polri"},
                  {"id": "L1", "name": "Eko", "rank": "Linmas", "force": "linmas"}],
}


def _new() -> dict:
    """OLD after: N2 moved A->B, N3 dropped (sick), N4 added at A, T2 moved to a new post P-C, P-B kept."""
    new = copy.deepcopy(OLD)
    new["tps"][1]["post"] = "P-C"
    new["posts"][0]["tps"] = ["T1"]
    new["posts"][0]["required"] = {"polri": 2, "tni": 0, "linmas": 2}
    new["posts"].append({"id": "P-C", "tps": ["T2"], "required": {"polri": 2, "tni": 0, "linmas": 2},
                         "commander": None})
    new["assignments"] = [
        {"personnel": "N1", "post": "P-A", "force": "polri", "role": "commander"},
        {"personnel": "N4", "post": "P-A", "force": "polri", "role": "polri"},
        {"personnel": "N2", "post": "P-B", "force": "polri", "role": "commander"},
        {"personnel": "L1", "post": "P-B", "force": "linmas", "role": "linmas"},
    ]
    new["posts"][1]["commander"] = "N2"
    new["unmet"] = [{"post": "P-C", "force": "polri", "count": 2}, {"post": "P-C", "force": "commander", "count": 1}]
    new["reserves"] = []
    return new


def test_people_moved_added_removed():
    """A person at another post is moved (from, to) with name and rank; new and dropped people are listed."""
    diff = compare_plans(OLD, _new())
    assert diff["people_moved"] == [{"personnel": "N2", "name": "Budi", "rank": "Bripka", "force": "polri",
                                     "from": "P-A", "to": "P-B"}]
    assert [(r["personnel"], r["post"]) for r in diff["people_added"]] == [("N4", "P-A")]
    assert [(r["personnel"], r["post"]) for r in diff["people_removed"]] == [("N3", "P-B")]
    assert diff["counts"]["people_moved"] == 1


def test_tps_and_posts_changes():
    """A TPS whose post id changed is listed with from/to; a post only in the new plan is 'added'."""
    diff = compare_plans(OLD, _new())
    assert diff["tps_moved"] == [{"tps": "T2", "from": "P-A", "to": "P-C"}]
    assert diff["posts_added"] == ["P-C"] and diff["posts_removed"] == []
    reverse = compare_plans(_new(), OLD)
    assert reverse["posts_removed"] == ["P-C"] and reverse["posts_added"] == []


def test_totals_deltas():
    """Per-force required/assigned/short, unmet posts and reserves come as old/new/delta counted from the lists."""
    diff = compare_plans(OLD, _new())
    t = diff["totals"]
    assert t["required"]["polri"] == {"old": 4, "new": 6, "delta": 2}
    assert t["required"]["linmas"] == {"old": 6, "new": 6, "delta": 0}
    assert t["assigned"]["polri"] == {"old": 3, "new": 3, "delta": 0}
    assert t["assigned"]["commander"] == {"old": 1, "new": 2, "delta": 1}
    assert t["short"]["polri"] == {"old": 1, "new": 2, "delta": 1}
    assert t["short"]["linmas"] == {"old": 4, "new": 0, "delta": -4}
    assert t["unmet_posts"] == {"old": 2, "new": 1, "delta": -1}
    assert t["reserve_squads"] == {"old": 1, "new": 0, "delta": -1}
    assert t["reserve_strength"] == {"old": 2, "new": 0, "delta": -2}
    assert t["posts"] == {"old": 2, "new": 3, "delta": 1}


def test_same_plan_has_no_changes():
    """A document compared with itself has empty lists and zero deltas."""
    diff = compare_plans(OLD, copy.deepcopy(OLD))
    assert all(n == 0 for n in diff["counts"].values())
    assert diff["totals"]["short"]["polri"]["delta"] == 0


def test_totals_of_an_empty_document():
    """A document without lists counts zero everywhere (no KeyError)."""
    t = totals({})
    assert t["posts"] == 0 and t["required"]["polri"] == 0 and t["reserve_strength"] == 0
