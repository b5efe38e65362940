"""Assemble the ``plan.json`` dict (schema ``siaga.plan/1``, docs/plan-json.md) from the parts.

Every list is sorted by id (assignments: by post, then role, then person id). Distances are
great-circle km x road_factor, rounded to 0.01 km; mean scores to 0.01.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from siaga.domain.vocab import CATEGORIES
from siaga.planning.geo import haversine_km
from siaga.planning.model import Person, Problem, Station, Unit
from siaga.planning.posts import Post
from siaga.planning.reasons import FORCE_ORDER
from siaga.planning.reserves import Squad
from siaga.planning.staffing import StaffingResult

SCHEMA = "siaga.plan/1"
FORCES = ("polri", "tni", "linmas")
ROLE_ORDER = {"commander": 0, "polri": 1, "tni": 2, "linmas": 3}


def _km(x: float) -> float:
    return round(float(x), 2)


def params_dict(problem: Problem, seed: int) -> dict[str, Any]:
    p = problem.params
    rules = {cat: {"polri_per_post": r.polri_per_post, "tps_per_post": r.tps_per_post,
                   "linmas_per_tps": float(r.linmas_per_tps), "tni_per_post": r.tni_per_post, "label": r.label}
             for cat, r in problem.pattern.rules.items()}
    return {
        "pattern": problem.pattern.name,
        "rules": rules,
        "post_scope": p.post_scope,
        "max_post_radius_km": float(p.max_post_radius_km),
        "reserve_squad_size": p.reserve_squad_size,
        "road_factor": float(p.road_factor),
        "seed": seed,
        "risk": {"thresholds": {"rawan": p.risk.rawan, "sangat_rawan": p.risk.sangat_rawan},
                 "weights": dict(sorted(p.risk.weights.items()))},
    }


def areas_rollup(stations: Sequence[Station]) -> dict[str, list[dict[str, Any]]]:
    """Districts and villages with TPS count, mean and max score, and TPS per category."""

    def roll(key, extra):
        groups: dict[str, list[Station]] = defaultdict(list)
        for s in stations:
            groups[key(s)].append(s)
        out = []
        for code in sorted(groups):
            members = groups[code]
            scores = [s.score for s in members]
            by_cat = dict.fromkeys(CATEGORIES, 0)
            for s in members:
                by_cat[s.category] = by_cat.get(s.category, 0) + 1
            out.append({"code": code, **extra(members[0]), "tps": len(members),
                        "score_mean": round(sum(scores) / len(scores), 2), "score_max": round(max(scores), 2),
                        "tps_by_category": by_cat})
        return out

    return {
        "districts": roll(lambda s: s.district, lambda s: {"name": s.district_name}),
        "villages": roll(lambda s: s.village, lambda s: {"name": s.village_name, "district": s.district}),
    }


def stage_check(polri_strength: int, polri_deployed: int, required: Fraction) -> dict[str, Any]:
    """Voting-day check: Polri deployed (posts + squads) against the required share of strength."""
    share = polri_deployed / polri_strength if polri_strength else 0.0
    ok = polri_strength > 0 and Fraction(polri_deployed, polri_strength) >= required
    req = f"{required.numerator}/{required.denominator}"
    if polri_strength:
        message = (f"Pemungutan suara: {polri_deployed} dari {polri_strength} Polri dikerahkan "
                   f"({round(100 * share)}%), minimal {req} {'terpenuhi' if ok else 'belum terpenuhi'}.")
    else:
        message = f"Pemungutan suara: tidak ada Polri dalam data, minimal {req} belum terpenuhi."
    return {"stage": "voting", "required_share": req, "polri_strength": polri_strength,
            "polri_deployed": polri_deployed, "share": round(share, 4), "ok": ok, "message": message}


def moved_count(previous: Mapping[str, Any], people: Sequence[Person], person_post: Mapping[int, int],
                posts: Sequence[Post], squads: Sequence[Squad]) -> int:
    """People whose post or squad differs from the previous plan (absent = neither)."""
    before: dict[str, str] = {}
    for a in previous.get("assignments", []):
        before[a["personnel"]] = "post:" + a["post"]
    for r in previous.get("reserves", []):
        for pid in r.get("personnel", []):
            before[pid] = "squad:" + r["id"]
    after: dict[str, str] = {people[i].id: "post:" + posts[j].id for i, j in person_post.items()}
    for sq in squads:
        for i in sq.members:
            after[people[i].id] = "squad:" + sq.id
    return sum(1 for pid in set(before) | set(after) if before.get(pid) != after.get(pid))


def plan_dict(problem: Problem, seed: int, stations: Sequence[Station], units: Sequence[Unit],
              people: Sequence[Person], posts: Sequence[Post], st: StaffingResult, squads: Sequence[Squad],
              road_factor: float) -> dict[str, Any]:
    """The full plan.json dict except ``summary.runtime_s``."""
    in_squad = {i for sq in squads for i in sq.members}
    at_post: dict[int, list[int]] = defaultdict(list)
    for i, j in st.person_post.items():
        at_post[j].append(i)

    def role(i: int, j: int) -> str:
        return "commander" if st.commander[j] == i else people[i].force

    post_of_tps = {i: p.id for p in posts for i in p.tps}
    tps = [{"id": s.id, "number": s.number, "village": s.village, "village_name": s.village_name,
            "district": s.district, "district_name": s.district_name, "lat": s.lat, "lon": s.lon,
            "kind": s.kind, "voters": s.voters, "score": s.score, "category": s.category,
            "category_source": s.category_source, "category_reason": s.category_reason,
            "reasons": list(s.reasons), "reasons_en": list(s.reasons_en),
            "post": post_of_tps[i]} for i, s in enumerate(stations)]
    members_of = {j: sorted(at_post.get(j, []), key=lambda i: (ROLE_ORDER[role(i, j)], people[i].id))
                  for j in range(len(posts))}
    flat = [(i, j) for j in range(len(posts)) for i in members_of[j]]
    km = haversine_km(np.array([people[i].lat for i, _ in flat], dtype=float),
                      np.array([people[i].lon for i, _ in flat], dtype=float),
                      np.array([posts[j].lat for _, j in flat], dtype=float),
                      np.array([posts[j].lon for _, j in flat], dtype=float)) * road_factor
    travel = km.tolist()
    assignments = [{"personnel": people[i].id, "post": posts[j].id, "role": role(i, j), "force": people[i].force,
                    "travel_km": _km(d), "pinned": i in st.pinned} for (i, j), d in zip(flat, travel, strict=True)]
    post_list = []
    for j, p in enumerate(posts):
        members = members_of[j]
        boss = st.commander[j]
        post_list.append({
            "id": p.id, "category": p.category, "tps": [stations[i].id for i in p.tps],
            "village": stations[p.location].village, "district": p.district, "lat": p.lat, "lon": p.lon,
            "radius_km": _km(p.radius_km), "unit": p.unit, "required": dict(st.required[j]),
            "personnel": [people[i].id for i in members],
            "commander": people[boss].id if boss is not None else None,
            "pinned": p.pinned or any(i in st.pinned for i in members),
        })
    reserves = [{"id": sq.id, "lat": sq.lat, "lon": sq.lon, "unit": sq.unit,
                 "personnel": sorted(people[i].id for i in sq.members), "kind": sq.kind,
                 "covers_km": _km(sq.covers_km)} for sq in sorted(squads, key=lambda s: (len(s.id), s.id))]

    available = dict.fromkeys(FORCES, 0)
    strength = dict.fromkeys(FORCES, 0)
    unassigned = dict.fromkeys(FORCES, 0)
    for i, x in enumerate(people):
        strength[x.force] += 1
        if x.status == "available":
            available[x.force] += 1
            if i not in st.person_post and i not in in_squad:
                unassigned[x.force] += 1

    required = {f: sum(r[f] for r in st.required) for f in FORCES}
    required["commander"] = sum(st.needs_commander)
    unmet = {f: 0 for f in (*FORCES, "commander")}
    for e in st.unmet:
        unmet[e["force"]] += e["count"]
    assigned = {f: required[f] - unmet[f] for f in unmet}
    district_name = {s.district: s.district_name for s in stations}
    post_district = {p.id: p.district for p in posts}
    bko: dict[tuple[str, str], int] = defaultdict(int)
    for e in st.unmet:
        if e["force"] != "commander":
            bko[(post_district[e["post"]], e["force"])] += e["count"]
    polri_strength = strength["polri"]
    polri_deployed = sum(1 for i in st.person_post if people[i].force == "polri") + \
        sum(1 for i in in_squad if people[i].force == "polri")
    summary = {
        "tps": len(stations),
        "tps_by_category": {c: sum(1 for s in stations if s.category == c) for c in CATEGORIES},
        "posts": len(posts),
        "posts_by_category": {c: sum(1 for p in posts if p.category == c) for c in CATEGORIES},
        "required": required, "assigned": assigned, "unmet": unmet,
        "available": available,
        "strength": strength,
        "reserve_squads": len(squads),
        "reserve_strength": len(in_squad),
        "unassigned": unassigned,
        "travel_km_total": _km(sum(travel)),
        "travel_km_max": _km(max(travel, default=0.0)),
        "max_post_radius_km": _km(max((p.radius_km for p in posts), default=0.0)),
        "moved": (moved_count(problem.previous, people, st.person_post, posts, squads)
                  if problem.previous is not None else None),
        "stage_check": stage_check(polri_strength, polri_deployed, Fraction(problem.params.voting_day_share)),
        "bko_needed": [{"district": d, "district_name": district_name.get(d, d), "force": f, "count": n}
                       for (d, f), n in sorted(bko.items(), key=lambda kv: (kv[0][0], FORCE_ORDER[kv[0][1]]))],
        "runtime_s": 0.0,
    }
    return {
        "schema": SCHEMA,
        "synthetic": bool(problem.synthetic),
        "input": {"source": problem.source, "tps": len(stations), "units": len(units), "personnel": len(people)},
        "params": params_dict(problem, seed),
        "summary": summary,
        "areas": problem.areas if problem.areas is not None else areas_rollup(stations),
        "tps": tps,
        "posts": post_list,
        "assignments": assignments,
        "reserves": reserves,
        "unmet": st.unmet,
        "units": [{"id": u.id, "name": u.name, "force": u.force, "level": u.level, "parent": u.parent,
                   "lat": u.lat, "lon": u.lon} for u in units],
        "personnel": [{"id": x.id, "name": x.name, "force": x.force, "rank": x.rank, "unit": x.unit,
                       "status": x.status, "can_lead": x.can_lead} for x in people],
    }
