"""Reserves (cadangan): squads of Polri not standing at a post, stationed to cover every TPS.

Forming squads. Available Polri of a unit who are not at a post form squads of
``reserve_squad_size`` (kind ``own``); people of reserve-level units (Brimob, BKO) who were not
called form their own squads (kind ``bko``). With q full squads and a remainder r: r of at least
half a squad forms its own smaller squad; a smaller r joins the last squad; a unit with no full
squad and fewer than half a squad passes those people up to its parent unit's pool (so a Polsek's
few left-overs join the Polres reserve); what is left at the top stays unassigned.

Stationing (k-center). Candidate sites are the posts and the Polri unit HQs. Farthest-first: the
TPS farthest from every placed squad gets the next squad, taken from the most local unit whose
area holds that TPS and still has squads, placed at that unit's allowed site nearest the TPS
(a unit's allowed sites are the posts of its area and the HQs of itself and the units under it;
all sites when its area has no post). Then a local-improvement
pass moves each squad to the allowed site that minimises the largest distance to the TPS it
serves, which never increases the overall largest distance. The result is not guaranteed optimal
(k-center is NP-hard) but farthest-first is within a factor 2 of it for a free placement.
On a re-plan, previous squads keep their id, site and still-free members.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.spatial import cKDTree

from siaga.planning.geo import chord_for_km, haversine_km, km_from_chord, unit_xyz
from siaga.planning.jurisdiction import Area, district_components
from siaga.planning.model import Person, Station, Unit
from siaga.planning.posts import Post


@dataclass(slots=True)
class Squad:
    id: str
    unit: str
    kind: str  # own | bko
    members: list[int]
    lat: float = 0.0
    lon: float = 0.0
    covers_km: float = 0.0
    kept: bool = False
    placed: bool = False


def chunk_sizes(n: int, size: int) -> tuple[list[int], int]:
    """Squad sizes for n people and the number left over (passed up or unassigned)."""
    if n <= 0:
        return [], 0
    q, r = divmod(n, size)
    if r == 0:
        return [size] * q, 0
    if 2 * r >= size:
        return [size] * q + [r], 0
    if q >= 1:
        return [size] * (q - 1) + [size + r], 0
    return [], r


def _depth(units: Mapping[str, Unit], uid: str) -> int:
    d = 0
    while units[uid].parent in units and d < len(units):
        uid = units[uid].parent  # type: ignore[assignment]
        d += 1
    return d


def form_squads(people: Sequence[Person], units: Mapping[str, Unit], at_post: set[int], size: int,
                previous: Mapping[str, Any] | None) -> tuple[list[Squad], set[int]]:
    """Squads of left-over available Polri; returns squads and the left-over indices not in one."""
    pidx = {p.id: i for i, p in enumerate(people)}
    free = {i for i, p in enumerate(people)
            if p.force == "polri" and p.status == "available" and i not in at_post}
    squads: list[Squad] = []
    for prev in (previous or {}).get("reserves", []):
        members = [pidx[x] for x in prev.get("personnel", []) if x in pidx]
        members = [i for i in members if i in free]
        if members:
            squads.append(Squad(prev["id"], prev["unit"], prev.get("kind", "own"), sorted(members),
                                float(prev["lat"]), float(prev["lon"]), kept=True, placed=True))
            free -= set(members)
    pools: dict[str, list[int]] = defaultdict(list)
    for i in sorted(free, key=lambda i: people[i].id):
        pools[people[i].unit].append(i)
    for sq in squads:  # top up kept squads of the same unit
        room = size - len(sq.members)
        if room > 0 and pools.get(sq.unit):
            sq.members = sorted(sq.members + pools[sq.unit][:room], key=lambda i: people[i].id)
            pools[sq.unit] = pools[sq.unit][room:]
    new: list[tuple[str, str, list[int]]] = []
    left: set[int] = set()
    for uid in sorted(pools, key=lambda u: (-_depth(units, u), u)):
        pool = sorted(pools[uid], key=lambda i: people[i].id)
        kind = "bko" if units[uid].level == "reserve" else "own"
        sizes, rest = chunk_sizes(len(pool), size)
        pos = 0
        for s in sizes:
            new.append((kind, uid, pool[pos:pos + s]))
            pos += s
        rest_people = pool[pos:]
        parent = units[uid].parent
        if rest_people and kind == "own" and parent is not None and parent in units \
                and units[parent].force == "polri" and units[parent].level != "reserve":
            pools[parent] = pools.get(parent, []) + rest_people
        else:
            left |= set(rest_people)
    used = [int(m["n"]) for sq in squads if (m := re.match(r"^R-(?P<n>\d+)$", sq.id))]
    start = max(used, default=0)
    width = max(2, len(str(start + len(new))))
    new.sort(key=lambda t: (t[0] != "own", t[1], people[t[2][0]].id))
    for n, (kind, uid, members) in enumerate(new, start=start + 1):
        squads.append(Squad(f"R-{n:0{width}d}", uid, kind, members))
    return squads, left


def station_squads(squads: list[Squad], stations: Sequence[Station], posts: Sequence[Post],
                   units: Mapping[str, Unit], areas: Mapping[str, Area], road_factor: float) -> None:
    """Place every squad (k-center heuristic, see module docstring) and set ``covers_km``.

    Own squads are placed first, per component of their units' areas; BKO squads then fill the
    largest gaps left, per component of the reserve units' areas. Work stays near-linear.
    """
    if not squads or not stations:
        for sq in squads:
            if not sq.placed:
                u = units[sq.unit]
                sq.lat, sq.lon, sq.placed = u.lat, u.lon, True
        return
    polri_units = sorted(uid for uid, u in units.items() if u.force == "polri")
    cand_lat = np.array([p.lat for p in posts] + [units[u].lat for u in polri_units], dtype=float)
    cand_lon = np.array([p.lon for p in posts] + [units[u].lon for u in polri_units], dtype=float)
    allowed = _Allowed(cand_lat, cand_lon, len(posts), [p.district for p in posts], polri_units, units, areas)
    own = [sq for sq in squads if sq.kind == "own"]
    bko = [sq for sq in squads if sq.kind != "own"]
    _site_groups(own, [], stations, units, areas, allowed)
    _site_groups(bko, own, stations, units, areas, allowed)
    _measure(squads, stations, road_factor)


def _site_groups(movers: list[Squad], fixed: list[Squad], stations, units, areas, allowed) -> None:
    """Site ``movers`` per component of their units' areas; ``fixed`` squads count as placed."""
    if not movers:
        return
    st_district = [s.district for s in stations]
    comp = district_components(st_district, [areas[sq.unit] for sq in movers])
    st_comp = np.array([comp[d] for d in st_district])
    by_comp: dict[str, list[Squad]] = defaultdict(list)
    comp_districts: dict[str, set[str]] = defaultdict(set)
    for d, c in comp.items():
        comp_districts[c].add(d)
    first = min(comp) if comp else None
    for sq in movers:
        a = areas[sq.unit]
        inside = first if a is None else min((d for d in a if d in comp), default=None)
        if inside is not None:
            by_comp[comp[inside]].append(sq)
        elif not sq.placed:
            sq.lat, sq.lon, sq.placed = units[sq.unit].lat, units[sq.unit].lon, True
    for label in sorted(by_comp):
        sel = np.flatnonzero(st_comp == label)
        near = [sq for sq in fixed if areas[sq.unit] is None or areas[sq.unit] & comp_districts[label]]
        _site_component(by_comp[label], near, stations, sel, units, areas, allowed)


class _Allowed:
    """Per unit: the candidate sites it may use, with a KD-tree on the unit sphere."""

    def __init__(self, lat, lon, n_posts: int, post_district: list[str], hq_unit: list[str], units, areas):
        self.lat, self.lon = lat, lon
        self.n_posts = n_posts
        names = sorted(set(post_district))
        self.code = {d: n for n, d in enumerate(names)}
        self.post_district = np.array([self.code[d] for d in post_district], dtype=np.int64)
        self.hq_unit = hq_unit
        self.xyz = unit_xyz(lat, lon)
        self.units, self.areas = units, areas
        self.cache: dict[str, tuple[np.ndarray, cKDTree]] = {}
        self.children: dict[str, list[str]] | None = None

    def of(self, uid: str) -> tuple[np.ndarray, cKDTree]:
        if uid not in self.cache:
            a = self.areas[uid]
            if a is None:
                posts = np.arange(self.n_posts)
            else:
                posts = np.flatnonzero(np.isin(self.post_district, [self.code[d] for d in a if d in self.code]))
            mine = self._family(uid)
            hqs = [self.n_posts + k for k, u in enumerate(self.hq_unit) if u in mine] if a is not None else \
                list(range(self.n_posts, len(self.lat)))
            idx = np.concatenate([posts, np.array(hqs, dtype=np.int64)]) if posts.size else np.arange(len(self.lat))
            self.cache[uid] = (idx, cKDTree(self.xyz[idx]))
        return self.cache[uid]

    def _family(self, uid: str) -> set[str]:
        """The unit and every unit below it (their HQs lie inside its area)."""
        if self.children is None:
            self.children = defaultdict(list)
            for u in self.units.values():
                if u.parent is not None:
                    self.children[u.parent].append(u.id)
        out, stack = set(), [uid]
        while stack:
            x = stack.pop()
            if x not in out:
                out.add(x)
                stack.extend(self.children.get(x, ()))
        return out


def _site_component(squads: list[Squad], fixed: list[Squad], stations, sel: np.ndarray, units, areas,
                    allowed: _Allowed) -> None:
    lat = np.array([stations[i].lat for i in sel])
    lon = np.array([stations[i].lon for i in sel])
    dist = np.full(len(sel), np.inf)
    placed = [sq for sq in fixed + squads if sq.placed]
    if placed:
        chord, _ = cKDTree(unit_xyz([q.lat for q in placed], [q.lon for q in placed])).query(unit_xyz(lat, lon))
        dist = km_from_chord(chord)
    todo: dict[str, list[Squad]] = defaultdict(list)
    for sq in squads:
        if not sq.placed:
            todo[sq.unit].append(sq)
    if todo:
        districts = sorted({stations[i].district for i in sel})

        def rank(uid: str) -> tuple:
            a = areas[uid]
            return (units[uid].level == "reserve", len(a) if a is not None else math.inf, uid)

        covering = [sorted((u for u in todo if areas[u] is None or d in areas[u]), key=rank) for d in districts]
        code = {d: n for n, d in enumerate(districts)}
        st_d = np.array([code[stations[i].district] for i in sel], dtype=np.int64)
        xyz = unit_xyz(lat, lon)
        tree = cKDTree(xyz)

        def servable() -> np.ndarray:
            ok = np.array([any(todo[u] for u in us) for us in covering], dtype=bool)
            return ok[st_d]

        mask = servable()
        while mask.any():
            masked = np.where(mask, dist, -1.0)
            t = int(np.argmax(masked))
            uid = next(u for u in covering[st_d[t]] if todo[u])
            sq = todo[uid].pop(0)
            idx, ktree = allowed.of(uid)
            _, k = ktree.query(xyz[t])
            c = int(idx[int(k)])
            sq.lat, sq.lon, sq.placed = float(allowed.lat[c]), float(allowed.lon[c]), True
            reach = dist.max() if np.isfinite(dist.max()) else np.inf
            if np.isfinite(reach):
                near = tree.query_ball_point(unit_xyz([sq.lat], [sq.lon])[0], chord_for_km(reach) + 1e-12)
                near = np.asarray(near, dtype=np.int64)
            else:
                near = np.arange(len(sel))
            if near.size:
                dist[near] = np.minimum(dist[near], haversine_km(sq.lat, sq.lon, lat[near], lon[near]))
            if not todo[uid]:
                mask = servable()
    for sq in squads:  # squads of units whose area holds no TPS here
        if not sq.placed:
            sq.lat, sq.lon, sq.placed = units[sq.unit].lat, units[sq.unit].lon, True
    _improve([s for s in squads if not s.kept], fixed + squads, lat, lon, allowed)


def _improve(movable: list[Squad], squads: list[Squad], lat, lon, allowed: _Allowed, passes: int = 2) -> None:
    """Move each squad to the allowed site minimising the largest distance to the TPS it serves.

    Nearest-squad distances are kept exact, so a move never increases the overall largest distance:
    the squad's own TPS end up no farther than its new radius, and no other TPS loses its squad.
    """
    if not movable or len(lat) == 0:
        return
    xyz = unit_xyz(lat, lon)
    pos = {id(sq): k for k, sq in enumerate(squads)}
    sites = unit_xyz([s.lat for s in squads], [s.lon for s in squads])
    tree = cKDTree(sites)
    chord, nearest = tree.query(xyz)
    d = km_from_chord(chord)
    for _ in range(passes):
        moved = False
        for sq in movable:
            k = pos[id(sq)]
            mine = np.flatnonzero(nearest == k)
            if mine.size == 0:
                continue
            now = float(d[mine].max())
            idx, ktree = allowed.of(sq.unit)
            _, ks = ktree.query(xyz[mine].mean(axis=0), k=min(16, len(idx)))
            cands = idx[np.atleast_1d(ks)]
            radii = haversine_km(allowed.lat[cands][:, None], allowed.lon[cands][:, None],
                                 lat[mine][None, :], lon[mine][None, :]).max(axis=1)
            pick = int(np.argmin(radii))  # first of the nearest candidates on ties
            if not radii[pick] < now - 1e-9:
                continue
            best = int(cands[pick])
            sq.lat, sq.lon = float(allowed.lat[best]), float(allowed.lon[best])
            sites[k] = allowed.xyz[best]
            tree = cKDTree(sites)
            ch, nn = tree.query(xyz[mine])
            d[mine], nearest[mine] = km_from_chord(ch), nn
            near = np.asarray(tree.query_ball_point(sites[k], chord_for_km(float(d.max())) + 1e-12), dtype=np.int64)
            if near.size:
                dn = haversine_km(sq.lat, sq.lon, lat[near], lon[near])
                better = dn < d[near]
                d[near[better]] = dn[better]
                nearest[near[better]] = k
            moved = True
        if not moved:
            break


def _measure(squads: list[Squad], stations: Sequence[Station], road_factor: float) -> None:
    """covers_km: largest road distance from a TPS whose nearest squad this is."""
    lat = np.array([s.lat for s in stations])
    lon = np.array([s.lon for s in stations])
    sites = unit_xyz([s.lat for s in squads], [s.lon for s in squads])
    chord, nearest = cKDTree(sites).query(unit_xyz(lat, lon))
    km = km_from_chord(chord) * road_factor
    worst = np.zeros(len(squads))
    np.maximum.at(worst, nearest, km)
    for sq, w in zip(squads, worst, strict=True):
        sq.covers_km = float(w)
