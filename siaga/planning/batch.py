"""Build, solve and read back the staffing network of one force over one batch of components.

The graph is described in :mod:`siaga.planning.network`. People are grouped into classes of
interchangeable members; after the exact solve, each class's flow is split over posts and its
members (in a seeded but stable order) fill those posts.
"""

from __future__ import annotations

import zlib
from collections import defaultdict

import numpy as np

from siaga.planning import network as nw
from siaga.planning.flow import solve_lexicographic
from siaga.planning.geo import haversine_km
from siaga.planning.model import UNMET_LEVELS

DIRECT_FACTOR = 4.0  # direct arcs when they are at most this many times the tree's arcs
_LEVEL_OF = {cat: i for i, cats in enumerate(UNMET_LEVELS) for cat in cats}


def travel_m(lat, lon, plat, plon, road_factor: float) -> np.ndarray:
    """Integer road metres from bases to posts (the travel cost of the flow)."""
    return np.rint(haversine_km(lat, lon, plat, plon) * road_factor * 1000.0).astype(np.int64)


def member_order(seed: int, pid: str) -> tuple[int, str]:
    """Order of interchangeable people: by id for seed 0, else a seeded hash then id (stable across re-plans)."""
    return (zlib.crc32(f"{seed}:{pid}".encode()) if seed else 0, pid)


def solve_batch(ctx, posts_j: list[int], people_i: list[int], budget: int | None):
    """Solve one batch; returns (person index -> post index, stages solved)."""
    posts, people, force = ctx.posts, ctx.people, ctx.force
    rf = ctx.params.road_factor
    b = nw.Builder()
    sink = b.node()
    order = sorted(posts_j, key=lambda j: (posts[j].district, posts[j].villages[0], posts[j].id))
    rem = ctx.remaining
    nl = ctx.need_leader
    entry_b = {j: b.node() for j in order}
    entry_a = {j: b.node() for j in order if nl[j]}
    entry_post = {n: j for j, n in entry_b.items()} | {n: j for j, n in entry_a.items()}
    for level in nw.L_UNMET:
        js = [j for j in order if _LEVEL_OF[posts[j].category] == level]
        plain = [j for j in js if rem[j] - nl[j] > 0]
        if plain:
            b.arcs([entry_b[j] for j in plain], sink, [int(rem[j] - nl[j]) for j in plain], level=level, value=-1)
        led = [j for j in js if nl[j]]
        if led:
            b.arcs([entry_a[j] for j in led], sink, 1, level=level, value=-1, cmd=-1)
    lead_posts = [j for j in order if nl[j]]
    if lead_posts:
        more = [j for j in lead_posts if rem[j] > 1]
        if more:
            b.arcs([entry_a[j] for j in more], [entry_b[j] for j in more], [int(rem[j]) - 1 for j in more])
        b.arcs([entry_b[j] for j in lead_posts], [entry_a[j] for j in lead_posts], 1, cmd=1)

    def entry(j: int, lead: bool) -> int:
        return entry_a[j] if lead and nl[j] else entry_b[j]

    villages_open: dict[str, list[int]] = defaultdict(list)
    for j in order:
        for v in posts[j].villages:
            villages_open[v].append(j)
    classes: dict[tuple, list[int]] = defaultdict(list)
    for i in people_i:
        p = people[i]
        lead = force == "polri" and p.can_lead
        home = p.home_village if p.home_village in villages_open else ""
        prev = ctx.prev.get(i, -1)
        classes[(p.unit, p.lat, p.lon, lead, home, prev)].append(i)

    trees: dict[tuple, tuple[nw.Tree, dict[int, int]]] = {}
    area_posts: dict[object, np.ndarray] = {}
    arcs = _ClassArcs()
    keys = sorted(classes)
    n_res = n_prev = 0
    class_node = b.node(len(keys))
    # Per (area, base, lead): direct class -> post arcs when that is smaller than a segment tree.
    users: dict[tuple, int] = defaultdict(int)
    for unit_id, lat, lon, lead, _, _ in keys:
        if force != "linmas":
            area = ctx.areas[unit_id]
            users[(area, lat, lon, lead)] += 1
            if area not in area_posts:
                area_posts[area] = np.array([j for j in order if area is None or posts[j].district in area],
                                            dtype=np.int64)
    direct = {}
    for tkey, count in users.items():
        m = len(area_posts[tkey[0]])
        direct[tkey] = count * m <= DIRECT_FACTOR * (2 * m + count * 2 * max(1, m.bit_length()))
    entry_lead = np.zeros(len(posts), dtype=np.int64)
    entry_plain = np.zeros(len(posts), dtype=np.int64)
    for j in order:
        entry_plain[j] = entry_b[j]
        entry_lead[j] = entry(j, True)
    village_arr = {v: np.array(js, dtype=np.int64) for v, js in villages_open.items()}
    empty = np.zeros(0, dtype=np.int64)
    allowed_cache: dict[tuple, np.ndarray] = {}

    for k, key in enumerate(keys):
        unit_id, lat, lon, lead, home, prev = key
        size = len(classes[key])
        node = class_node + k
        b.set_supply(node, size)
        is_res = int(ctx.unit_by_id[unit_id].level == "reserve")
        has_prev = prev >= 0
        n_res += is_res
        n_prev += has_prev
        entries = entry_lead if lead else entry_plain
        if force == "linmas":
            pj = village_arr.get(home, empty)
            if pj.size:
                arcs.direct(node, entries[pj], size, lat, lon, pj, is_res, ((pj != prev) & has_prev).astype(np.int64), k)
        else:
            area = ctx.areas[unit_id]
            tkey = (area, lat, lon, lead)
            pj = area_posts[area]
            if direct[tkey]:
                if home:
                    if (area, home) not in allowed_cache:
                        allowed_cache[(area, home)] = pj[~np.isin(pj, village_arr.get(home, empty))]
                    pj = allowed_cache[(area, home)]
                if pj.size:
                    arcs.direct(node, entries[pj], size, lat, lon, pj, is_res, int(has_prev), k)
            else:
                if tkey not in trees:
                    tr = travel_m(lat, lon, ctx.plat[pj], ctx.plon[pj], rf) if pj.size else empty
                    tree = nw.Tree(entries[pj], tr)
                    tree.build(b)
                    trees[tkey] = (tree, {int(j): pos for pos, j in enumerate(pj)})
                tree, pos_of = trees[tkey]
                excluded = [pos_of[j] for j in villages_open.get(home, []) if j in pos_of] if home else []
                cover = [tc for a, c in nw.allowed_intervals(len(tree.entries), excluded) for tc in tree.cover(a, c)]
                if cover:
                    arcs.known(node, [t for t, _ in cover], size, [t for _, t in cover], is_res, int(has_prev), k)
            if has_prev:
                arcs.direct(node, np.array([entries[prev]]), size, lat, lon, np.array([prev]), is_res, 0, k)
        arcs.known(node, [sink], size, [0], 0, int(has_prev), -1)
    b.set_supply(sink, -len(people_i))
    tails, heads, caps, trav, res, moved, owners = arcs.arrays(ctx.plat, ctx.plon, rf)
    idx = b.arcs(tails, heads, caps, travel=trav, res=res, moved=moved) if tails.size else empty
    keep = owners >= 0
    class_arcs = list(zip(owners[keep].tolist(), idx[keep].tolist(), heads[keep].tolist(), strict=True))
    t_max = max((int(c[5].max()) for c in b.chunks if c[5].size), default=0)
    deltas = [1, 1, 1, len(lead_posts) + 2, n_res, n_prev, (len(entry_b) + len(entry_a)) * t_max]
    net = b.network(deltas)
    result = solve_lexicographic(net, budget)
    split = nw.disaggregate(result.flow, [t for t, _ in trees.values()], class_arcs, entry_post)
    assigned: dict[int, int] = {}
    for k, key in enumerate(keys):
        members = classes[key] if not ctx.seed else \
            sorted(classes[key], key=lambda i: member_order(ctx.seed, people[i].id))
        pos = 0
        for j, count in split.get(k, []):
            for i in members[pos:pos + count]:
                assigned[i] = j
            pos += count
    return assigned, result.stages


class _ClassArcs:
    """Arcs leaving class nodes, gathered per class and built with a few numpy calls at the end.

    Travel of ``direct`` arcs (class straight to a post) is computed at the end, vectorised.
    """

    def __init__(self) -> None:
        self.node: list[int] = []
        self.size: list[int] = []
        self.res: list[int] = []
        self.moved: list[int] = []
        self.owner: list[int] = []
        self.heads: list[np.ndarray] = []
        self.travel: list[np.ndarray | None] = []
        self.base: list[tuple[float, float]] = []
        self.posts: list[np.ndarray | None] = []
        self.moved_arrays: dict[int, np.ndarray] = {}

    def _add(self, node, heads, size, res, moved, owner, travel, base, posts) -> None:
        if np.ndim(moved):
            self.moved_arrays[len(self.node)] = np.asarray(moved, dtype=np.int64)
            moved = 0
        self.node.append(node)
        self.size.append(size)
        self.res.append(res)
        self.moved.append(int(moved))
        self.owner.append(owner)
        self.heads.append(np.asarray(heads, dtype=np.int64))
        self.travel.append(travel)
        self.base.append(base)
        self.posts.append(posts)

    def known(self, node, heads, size, travel, res, moved, owner) -> None:
        self._add(node, heads, size, res, moved, owner, np.asarray(travel, dtype=np.int64), (0.0, 0.0), None)

    def direct(self, node, heads, size, lat, lon, posts, res, moved, owner) -> None:
        self._add(node, heads, size, res, moved, owner, None, (lat, lon), posts)

    def arrays(self, plat, plon, road_factor):
        lens = np.array([len(h) for h in self.heads], dtype=np.int64)
        if not lens.sum():
            z = np.zeros(0, dtype=np.int64)
            return z, z, z, z, z, z, z
        rep = [np.repeat(np.array(x, dtype=np.int64), lens) for x in (self.node, self.size, self.res, self.owner)]
        tails, caps, res, owners = rep
        heads = np.concatenate(self.heads)
        moved = np.repeat(np.array(self.moved, dtype=np.int64), lens)
        starts = np.concatenate([[0], np.cumsum(lens)[:-1]])
        for c, arr in self.moved_arrays.items():
            moved[starts[c]:starts[c] + lens[c]] = arr
        is_direct = np.array([t is None for t in self.travel])
        trav = np.zeros(len(heads), dtype=np.int64)
        known = [t for t in self.travel if t is not None]
        mask = np.repeat(is_direct, lens)
        if known:
            trav[~mask] = np.concatenate(known)
        if is_direct.any():
            d_lens = lens[is_direct]
            lat = np.repeat(np.array([b[0] for b, d in zip(self.base, is_direct, strict=True) if d]), d_lens)
            lon = np.repeat(np.array([b[1] for b, d in zip(self.base, is_direct, strict=True) if d]), d_lens)
            js = np.concatenate([p for p in self.posts if p is not None])
            trav[mask] = travel_m(lat, lon, plat[js], plon[js], road_factor)
        return tails, heads, caps, trav, res, moved, owners
