"""Peers for benchmarks/plan_bench.py, each measured against a finished Siaga plan (plan.json dict).

- :func:`kmeans_peer`: k-means-constrained groups the same TPS (per post area and category, same
  number of posts, same capacity) as Siaga's posts; time and compactness.
- :func:`greedy_peer`: a planner's by-hand Polri assignment with Siaga's posts fixed; travel.
- :func:`pcenter_peer`: spopt's exact p-center against Siaga's reserve stationing on one instance.

Eligibility (jurisdiction, neutrality), unit areas and reserve stationing are the engine's own
functions, so a peer differs from Siaga only in the method being compared.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from siaga.planning import cluster
from siaga.planning.geo import haversine_km, local_xy
from siaga.planning.jurisdiction import covers, unit_areas
from siaga.planning.model import Problem, Station
from siaga.planning.posts import Post
from siaga.planning.reserves import form_squads, station_squads
from siaga.planning.staffing import eligible

PRIORITY = {"sangat_rawan": 0, "khusus": 0, "rawan": 1, "kurang_rawan": 2}


def load_problem(directory: Path) -> Problem:
    """The planning Problem of a generated area, read exactly as ``siaga plan --input`` reads it.

    Risk is not needed here (peers take categories from plan.json), so stations carry defaults.
    """
    from siaga.formats import KnownRefs, read_dataset
    from siaga.planning.adapter import build_problem
    from siaga.planning.catalogue import file_codes
    from siaga.planning.config import load_plan_config

    dataset = read_dataset(directory, known=KnownRefs(indicator_codes=frozenset(file_codes()))).dataset
    config = load_plan_config(directory / "plan.toml")
    return build_problem(dataset, None, config.pattern, config.params)


def plan_posts(plan: dict) -> list[Post]:
    """Siaga's posts from plan.json as engine Post objects (TPS as ids' indices are not needed)."""
    village_of = {t["id"]: t["village"] for t in plan["tps"]}
    return [Post(id=p["id"], category=p["category"], area=p["village"], district=p["district"], tps=[],
                 location=0, lat=float(p["lat"]), lon=float(p["lon"]), radius_km=float(p["radius_km"]),
                 villages=tuple(sorted({village_of[t] for t in p["tps"]})))
            for p in plan["posts"]]


# ---------------------------------------------------------------------------------------------
# Peer 1: k-means-constrained grouping


@dataclass
class KMeansResult:
    groups_total: int  # non-trivial groups (1 < k < n)
    groups: int  # groups measured (all, or a seeded sample)
    tps: int
    trivial: int  # groups with k == 1 or k == n, left out
    siaga_s: float  # siaga.planning.cluster.split_group on the same groups and k
    peer_s: float
    mean_dist: tuple[float, float]  # km, TPS to its group's centre: siaga, peer
    mean_max: tuple[float, float]  # km, mean over groups of the largest TPS-to-centre distance
    sse: tuple[float, float]  # km^2, sum of squared distances (what both minimise)
    peer_empty: int  # peer clusters left empty (fewer posts than asked)


def _compactness(xy: np.ndarray, labels: np.ndarray) -> tuple[float, float, float, int]:
    """Sum of distances to the cluster centre, sum over clusters of the largest, SSE, clusters."""
    ks = np.unique(labels)
    total = biggest = sse = 0.0
    for c in ks:
        pts = xy[labels == c]
        d = np.hypot(*(pts - pts.mean(axis=0)).T)
        total += float(d.sum())
        biggest += float(d.max())
        sse += float((d ** 2).sum())
    return total, biggest, sse, len(ks)


def kmeans_peer(plan: dict, max_groups: int, seed: int) -> KMeansResult:
    """Group the TPS of each (post area, category) into Siaga's number of posts with both methods."""
    from k_means_constrained import KMeansConstrained

    scope_field = "village" if plan["params"]["post_scope"] == "village" else "district"
    rules = plan["params"]["rules"]
    tps = {t["id"]: t for t in plan["tps"]}
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for p in plan["posts"]:
        groups[(p[scope_field], p["category"])].append(p)
    work, trivial = [], 0
    for key in sorted(groups):
        posts = groups[key]
        n = sum(len(p["tps"]) for p in posts)
        if len(posts) == 1 or len(posts) == n:
            trivial += 1
        else:
            work.append(key)
    total = len(work)
    if total > max_groups:
        pick = np.sort(np.random.default_rng(seed).choice(total, max_groups, replace=False))
        work = [work[i] for i in pick]
    siaga_s = peer_s = 0.0
    sums = np.zeros((2, 3))
    clusters = [0, 0]
    n_tps = empty = 0
    for area, cat in work:
        posts = groups[(area, cat)]
        ids = [t for p in posts for t in p["tps"]]
        siaga_labels = np.repeat(np.arange(len(posts)), [len(p["tps"]) for p in posts])
        lat = np.array([tps[i]["lat"] for i in ids])
        lon = np.array([tps[i]["lon"] for i in ids])
        xy = local_xy(lat, lon, float(lat.mean()), float(lon.mean()))
        k, cap = len(posts), int(rules[cat]["tps_per_post"])
        t0 = time.perf_counter()
        cluster.split_group(xy, k, cap)
        t1 = time.perf_counter()
        peer = KMeansConstrained(n_clusters=k, size_min=None, size_max=cap, random_state=0).fit_predict(xy)
        t2 = time.perf_counter()
        siaga_s += t1 - t0
        peer_s += t2 - t1
        for row, labels in enumerate((siaga_labels, np.asarray(peer))):
            dist, biggest, sse, used = _compactness(xy, labels)
            sums[row] += (dist, biggest, sse)
            clusters[row] += used
        empty += k - len(np.unique(peer))
        n_tps += len(ids)
    n_tps_safe = max(n_tps, 1)
    return KMeansResult(
        groups_total=total, groups=len(work), tps=n_tps, trivial=trivial, siaga_s=siaga_s, peer_s=peer_s,
        mean_dist=(sums[0, 0] / n_tps_safe, sums[1, 0] / n_tps_safe),
        mean_max=(sums[0, 1] / max(clusters[0], 1), sums[1, 1] / max(clusters[1], 1)),
        sse=(float(sums[0, 2]), float(sums[1, 2])), peer_empty=empty)


# ---------------------------------------------------------------------------------------------
# Peer 2: greedy by-hand Polri assignment


@dataclass
class GreedyResult:
    posts: int
    needed: int  # Polri headcount required
    siaga_km: float
    greedy_km: float
    siaga_unmet: int
    greedy_unmet: int
    siaga_no_commander: int
    greedy_no_commander: int
    seconds: float


def greedy_peer(plan: dict, problem: Problem) -> GreedyResult:
    """Posts in priority order, then id; each takes the nearest available eligible Polri not yet used.

    The first slot goes to the nearest person able to lead (a planner picks the commander first),
    the other slots to the nearest anyone. Reserve-level units (Brimob) come only after every own
    unit that may serve there, as a planner calls BKO last. Eligibility is the engine's.
    """
    started = time.perf_counter()
    rf = float(plan["params"]["road_factor"])
    units = {u.id: u for u in problem.units}
    areas = unit_areas(problem.units)
    people = sorted((p for p in problem.people if p.force == "polri" and p.status == "available"),
                    key=lambda p: p.id)
    classes: dict[tuple, list[int]] = defaultdict(list)  # (unit, lat, lon, can_lead) -> people, id order
    for i, p in enumerate(people):
        classes[(p.unit, p.lat, p.lon, p.can_lead)].append(i)
    keys = sorted(classes)
    pools = [classes[k] for k in keys]
    reserve = np.array([units[k[0]].level == "reserve" for k in keys])
    leads = np.array([k[3] for k in keys])
    base_lat = np.array([k[1] for k in keys])
    base_lon = np.array([k[2] for k in keys])
    posts = plan_posts(plan)
    required = {p["id"]: int(p["required"]["polri"]) for p in plan["posts"]}
    by_district: dict[str, np.ndarray] = {}
    for d in sorted({p.district for p in posts}):
        by_district[d] = np.array([c for c, k in enumerate(keys) if covers(areas[k[0]], d)], dtype=np.int64)
    km = 0.0
    unmet = no_commander = 0
    for post in sorted(posts, key=lambda p: (PRIORITY[p.category], p.id)):
        need = required[post.id]
        if need == 0:
            continue
        cand = by_district[post.district]
        dist = haversine_km(base_lat[cand], base_lon[cand], post.lat, post.lon) * rf
        order = np.lexsort((cand, dist, reserve[cand]))  # own units first, then nearest, then class order
        taken = 0
        for lead_only, limit in ((True, 1), (False, need)):
            for c, d in zip(cand[order].tolist(), dist[order].tolist(), strict=True):
                if taken >= limit:
                    break
                if lead_only and not leads[c]:
                    continue
                pool, j = pools[c], 0
                while j < len(pool) and taken < limit:
                    if eligible(people[pool[j]], post, areas[keys[c][0]]) is None:
                        del pool[j]
                        taken += 1
                        km += d
                    else:
                        j += 1
            if lead_only and not taken:
                no_commander += 1
        unmet += need - taken
    s = plan["summary"]
    siaga_km = sum(a["travel_km"] for a in plan["assignments"] if a["force"] == "polri")
    return GreedyResult(posts=len(posts), needed=sum(required.values()), siaga_km=siaga_km, greedy_km=km,
                        siaga_unmet=int(s["unmet"]["polri"]), greedy_unmet=unmet,
                        siaga_no_commander=int(s["unmet"]["commander"]), greedy_no_commander=no_commander,
                        seconds=time.perf_counter() - started)


# ---------------------------------------------------------------------------------------------
# Peer 3: spopt p-center on a reserve-siting instance


@dataclass
class PCenterResult:
    seed: int  # seeds the subset of posts offered as sites
    tps: int
    candidates: int  # Polri HQs + a seeded subset of posts
    p: int
    p_plan: int  # squads in the plan
    reproduced: bool  # re-running Siaga's reserve stage on all posts gives the plan's squads
    plan_km: float  # the plan's largest TPS-to-nearest-squad distance (all posts as candidates)
    siaga_km: float  # Siaga's reserve stage re-run on this instance
    siaga_s: float
    peer_km: float
    peer_build_s: float
    peer_s: float
    peer_status: str


def _stations(plan: dict) -> list[Station]:
    return sorted((Station(id=t["id"], number=int(t["number"]), village=t["village"], village_name="",
                           district=t["district"], district_name="", lat=float(t["lat"]), lon=float(t["lon"]),
                           category=t["category"]) for t in plan["tps"]), key=lambda s: s.id)


def _reserve_stage(plan: dict, problem: Problem, posts: list[Post], p_max: int | None):
    """Siaga's reserve stage (form_squads + station_squads) on the plan's left-over Polri."""
    units = sorted(problem.units, key=lambda u: u.id)
    by_id = {u.id: u for u in units}
    areas = unit_areas(units)
    people = sorted(problem.people, key=lambda p: p.id)
    index = {p.id: i for i, p in enumerate(people)}
    at_post = {index[a["personnel"]] for a in plan["assignments"]}
    size = int(plan["params"]["reserve_squad_size"])
    rf = float(plan["params"]["road_factor"])
    stations = _stations(plan)
    t0 = time.perf_counter()
    squads, _ = form_squads(people, by_id, at_post, size, None)
    if p_max is not None:
        squads = squads[:p_max]
    station_squads(squads, stations, posts, by_id, areas, rf)
    seconds = time.perf_counter() - t0
    return squads, seconds


def pcenter_peer(plan: dict, problem: Problem, max_sites: int, p_max: int, seed: int,
                 time_limit: float) -> PCenterResult:
    """Exact p-center (spopt + CBC) vs Siaga's k-center heuristic on the same TPS, sites and p.

    Sites: every Polri unit HQ plus a seeded subset of the posts, up to ``max_sites``; Siaga's
    reserve stage is re-run with only those posts, so both choose from exactly the same sites.
    """
    import pulp
    from spopt.locate import PCenter

    if "PULP_CBC_CMD" not in pulp.listSolvers(onlyAvailable=True):
        raise RuntimeError("pulp has no CBC solver (PULP_CBC_CMD); the p-center peer cannot run")
    rf = float(plan["params"]["road_factor"])
    posts = plan_posts(plan)
    squads_all, _ = _reserve_stage(plan, problem, posts, None)
    sites_plan = sorted((r["id"], round(r["lat"], 6), round(r["lon"], 6)) for r in plan["reserves"])
    sites_rerun = sorted((s.id, round(s.lat, 6), round(s.lon, 6)) for s in squads_all)
    plan_km = max((float(r["covers_km"]) for r in plan["reserves"]), default=0.0)
    hq = [u for u in sorted(problem.units, key=lambda u: u.id) if u.force == "polri"]
    n_posts = max(0, min(len(posts), max_sites - len(hq)))
    pick = np.sort(np.random.default_rng(seed).choice(len(posts), n_posts, replace=False))
    sub = [posts[i] for i in pick]
    p = min(len(squads_all), p_max)
    squads, siaga_s = _reserve_stage(plan, problem, sub, p)
    siaga_km = max((s.covers_km for s in squads), default=0.0)
    lat = np.array([t["lat"] for t in plan["tps"]])
    lon = np.array([t["lon"] for t in plan["tps"]])
    site_lat = np.array([q.lat for q in sub] + [u.lat for u in hq])
    site_lon = np.array([q.lon for q in sub] + [u.lon for u in hq])
    cost = haversine_km(lat[:, None], lon[:, None], site_lat[None, :], site_lon[None, :]) * rf
    t0 = time.perf_counter()
    model = PCenter.from_cost_matrix(cost, p_facilities=p)
    t1 = time.perf_counter()
    model.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit))
    t2 = time.perf_counter()
    status = "optimal" if model.problem.sol_status == pulp.LpSolutionOptimal else \
        f"not proven ({pulp.LpSolution[model.problem.sol_status]})"
    return PCenterResult(seed=seed, tps=len(lat), candidates=len(site_lat), p=p, p_plan=len(plan["reserves"]),
                         reproduced=sites_plan == sites_rerun, plan_km=plan_km, siaga_km=siaga_km,
                         siaga_s=siaga_s, peer_km=float(pulp.value(model.problem.objective)),
                         peer_build_s=t1 - t0, peer_s=t2 - t1, peer_status=status)
