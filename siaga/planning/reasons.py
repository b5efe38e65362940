"""Why a post is short: one ``unmet`` entry per post and force, with a reason in Indonesian.

The reason is the first that holds: nobody of the force is available in the post's area (for
Linmas: from its village); everybody available there comes from the post's own village
(neutrality); or everybody who could stand there is already placed at other posts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from siaga.planning.jurisdiction import Area
from siaga.planning.model import FORCE_NAMES, Person, Unit
from siaga.planning.posts import Post

FORCE_ORDER = {"polri": 0, "tni": 1, "linmas": 2, "commander": 3}


class _Supply:
    """Available people per unit and per (unit, home village), and units by district covered."""

    def __init__(self, available: Sequence[Person], areas: Mapping[str, Area]):
        self.total: dict[str, int] = defaultdict(int)
        self.home: dict[tuple[str, str | None], int] = defaultdict(int)
        self.by_village: dict[str | None, int] = defaultdict(int)
        for p in available:
            self.total[p.unit] += 1
            self.home[(p.unit, p.home_village)] += 1
            self.by_village[p.home_village] += 1
        self.everywhere: list[str] = []
        self.by_district: dict[str, list[str]] = defaultdict(list)
        for uid in sorted(self.total):
            a = areas.get(uid)
            if a is None:
                self.everywhere.append(uid)
            else:
                for d in a:
                    self.by_district[d].append(uid)

    def counts(self, post: Post) -> tuple[int, int]:
        """(people whose unit covers the post, of those not barred by neutrality)."""
        units = self.everywhere + self.by_district.get(post.district, [])
        inside = sum(self.total[u] for u in units)
        barred = sum(self.home.get((u, v), 0) for u in units for v in post.villages)
        return inside, inside - barred


def _reason(force: str, post: Post, supply: _Supply, unit_names: Mapping[str, str], district_name: str) -> str:
    name = FORCE_NAMES[force]
    if force == "linmas":
        avail = sum(supply.by_village.get(v, 0) for v in post.villages)
        if avail == 0:
            return f"Tidak ada anggota Linmas tersedia dari desa/kelurahan pos ini ({', '.join(post.villages)})"
        return f"Seluruh {avail} anggota Linmas dari desa/kelurahan pos ini sudah ditugaskan di pos lain"
    inside, allowed = supply.counts(post)
    if force == "polri" and post.unit is not None and post.unit in unit_names:
        where = unit_names[post.unit]
    else:
        where = f"Kecamatan {district_name}"
    if inside == 0:
        return f"Tidak ada personel {name} tersedia di wilayah {where}"
    if allowed == 0:
        return (f"Seluruh {inside} personel {name} di wilayah {where} berasal dari desa/kelurahan pos ini "
                f"(aturan netralitas)")
    return f"Seluruh {allowed} personel {name} yang boleh bertugas di pos ini sudah ditugaskan di pos lain"


def unmet_entries(posts: Sequence[Post], required: Sequence[Mapping[str, int]], people: Sequence[Person],
                  units: Mapping[str, Unit], areas: Mapping[str, Area], at_post: Mapping[int, list[int]],
                  commander: Sequence[int | None], district_names: Mapping[str, str] | None = None) -> list[dict]:
    """The ``unmet`` list of plan.json, sorted by post id then force."""
    available: dict[str, list[Person]] = {"polri": [], "tni": [], "linmas": []}
    for p in people:
        if p.status == "available":
            available[p.force].append(p)
    supplies = {f: _Supply(available[f], areas) for f in available}
    unit_names = {u.id: u.name for u in units.values()}
    district_names = district_names or {}
    out: list[dict] = []
    for j, post in enumerate(posts):
        count: dict[str, int] = defaultdict(int)
        for i in at_post.get(j, []):
            count[people[i].force] += 1
        for force in ("polri", "tni", "linmas"):
            short = required[j][force] - count[force]
            if short > 0:
                reason = _reason(force, post, supplies[force], unit_names, district_names.get(post.district, post.district))
                out.append({"post": post.id, "force": force, "count": short, "reason": reason})
        if required[j]["polri"] > 0 and commander[j] is None:
            if count["polri"]:
                reason = (f"Tidak ada Polri yang dapat memimpin pos di antara {count['polri']} personel Polri "
                          f"yang ditugaskan")
            else:
                reason = "Tidak ada personel Polri di pos ini, sehingga pos tanpa komandan"
            out.append({"post": post.id, "force": "commander", "count": 1, "reason": reason})
    out.sort(key=lambda e: (e["post"], FORCE_ORDER[e["force"]]))
    return out
