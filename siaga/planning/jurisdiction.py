"""Where each unit may serve, which unit owns a district, and independent parts of the problem.

A unit serves inside its own ``districts``; a unit with none serves its parent's area, and a unit
with neither serves the whole input (``None`` below). Units whose areas do not overlap never
compete for the same post, so the staffing problem splits into independent components.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from siaga.planning.model import PlanInputError, Unit

Area = frozenset[str] | None  # None = the whole input


def unit_areas(units: Sequence[Unit]) -> dict[str, Area]:
    """Effective area of every unit, following parents; a dangling parent or a cycle is an error."""
    by_id = {u.id: u for u in units}
    out: dict[str, Area] = {}

    def area(uid: str, seen: tuple[str, ...]) -> Area:
        if uid in out:
            return out[uid]
        if uid in seen:
            raise PlanInputError(f"Satuan {uid}: induk satuan berputar ({' -> '.join(seen + (uid,))})")
        unit = by_id[uid]
        if unit.districts:
            result: Area = frozenset(unit.districts)
        elif unit.parent is None:
            result = None
        else:
            if unit.parent not in by_id:
                raise PlanInputError(f"Satuan {uid}: induk {unit.parent} tidak ada dalam data satuan")
            result = area(unit.parent, seen + (uid,))
        out[uid] = result
        return result

    for u in sorted(units, key=lambda u: u.id):
        area(u.id, ())
    return out


def covers(area: Area, district: str) -> bool:
    return area is None or district in area


def post_units(units: Sequence[Unit], areas: Mapping[str, Area], districts: Iterable[str]) -> dict[str, str | None]:
    """The Polri unit owning each district: the Polsek with the smallest area, else the Polres."""
    ranked = []
    for u in units:
        if u.force != "polri" or u.level not in ("polsek", "polres"):
            continue
        a = areas[u.id]
        size = len(a) if a is not None else 10**9
        ranked.append((0 if u.level == "polsek" else 1, size, u.id, a))
    ranked.sort()
    best: dict[str, tuple] = {}
    everywhere: tuple | None = None
    for item in ranked:  # first (best-ranked) unit covering each district
        a = item[3]
        if a is None:
            everywhere = everywhere or item
        else:
            for d in a:
                best.setdefault(d, item)
    out: dict[str, str | None] = {}
    for d in districts:
        cands = [x for x in (best.get(d), everywhere) if x is not None]
        out[d] = min(cands)[2] if cands else None
    return out


class DisjointSets:
    """Union-find over hashable items, for splitting the problem into components."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if rb < ra:
                ra, rb = rb, ra
            self.parent[rb] = ra


def district_components(districts: Iterable[str], unit_area_list: Iterable[Area]) -> dict[str, str]:
    """District -> component label, joining the districts of every unit area (None joins all)."""
    ds = DisjointSets()
    all_d = sorted(set(districts))
    for d in all_d:
        ds.find(d)
    for a in unit_area_list:
        members = all_d if a is None else sorted(x for x in a if x in ds.parent)
        for x in members[1:]:
            ds.union(members[0], x)
    return {d: ds.find(d) for d in all_d}
