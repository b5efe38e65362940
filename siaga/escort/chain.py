"""Build the escort chain an operation should have, from stored data (reads only; services.py writes it).

Per district: KPU warehouse -> PPK and back (seq 1, 6), carrying the boxes of all the district's TPS.
Per village: PPK -> PPS and back (seq 2, 5), carrying the boxes of the village's TPS.
Per TPS: PPS -> TPS and back (seq 3, 4).

Escorts are proposed from the operation's plan (the published version, else the latest):
- PPS <-> TPS: the Polri and TNI of the post that holds the TPS (commander first);
- PPK <-> PPS: the post commanders of the village's posts, then their other Polri, at most VILLAGE_ESCORTS;
- warehouse <-> PPK: a reserve squad, preferring a squad of the Polsek that covers the district, else the
  nearest unused one; at most CONVOY_ESCORTS of its people.
Only people whose status is ``available`` now are proposed. Without a plan every leg gets no escort and a note.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from siaga.escort.schedule import PPK, PPS, WAREHOUSE, Schedule
from siaga.planning.geo import haversine_km

VILLAGE_ESCORTS = 4
CONVOY_ESCORTS = 4
TPS_ESCORT_FORCES = ("polri", "tni")

NOTE_NO_PLAN = "Belum ada rencana pengamanan: pengawal belum diusulkan, tetapkan setelah rencana dibuat."
NOTE_NO_POST = "TPS/desa ini tidak punya pos dalam rencana v{v}: pengawal belum diusulkan."
NOTE_NO_RESERVE = "Rencana v{v} tidak punya regu cadangan: pengawal konvoi belum diusulkan."


@dataclass
class LegSpec:
    """One leg as it should be stored (ids of stored rows, aware datetimes)."""

    key: str
    seq: int
    direction: str
    from_kind: str
    from_name: str
    from_code: str
    to_kind: str
    to_name: str
    to_code: str
    district_id: int
    village_id: int | None
    planned_departure: dt.datetime
    planned_arrival: dt.datetime
    tps_ids: list[int] = field(default_factory=list)
    escort_ids: list[int] = field(default_factory=list)
    note: str = ""


@dataclass
class Chain:
    legs: list[LegSpec]
    plan_version: int | None
    dropped_unavailable: int  # planned people left out because they are no longer available


def operation_tps(operation) -> list[dict]:
    """The TPS of the operation's election regencies (all stored TPS when the election names none)."""
    from siaga.regions.models import TPS as TPSModel

    qs = TPSModel.objects.all()
    regencies = list(operation.election.regencies.values_list("pk", flat=True))
    if regencies:
        qs = qs.filter(village__district__regency_id__in=regencies)
    return list(qs.order_by("code").values(
        "pk", "code", "number", "lat", "lon", "village_id", "village__code", "village__name", "village__kind",
        "village__district_id", "village__district__code", "village__district__name",
        "village__district__regency__code", "village__district__regency__name"))


def plan_for(operation):
    """The plan version escorts come from: the published one, else the latest; None without a plan."""
    from siaga.deployments.models import Plan

    return Plan.objects.current(operation)


class _People:
    """Plan NRPs -> stored, currently available personnel ids (counting the ones dropped)."""

    def __init__(self, document: dict):
        from siaga.forces.models import Personnel

        codes = {c for p in document.get("posts", []) for c in p.get("personnel", [])}
        codes |= {c for r in document.get("reserves", []) for c in r.get("personnel", [])}
        self.rows = {code: (pk, force, status) for pk, code, force, status in
                     Personnel.objects.filter(code__in=codes).values_list("pk", "code", "force", "status")}
        self.dropped: set[str] = set()

    def ids(self, codes, forces=None, limit: int | None = None) -> list[int]:
        out: list[int] = []
        for code in codes:
            row = self.rows.get(code)
            if row is None or (forces and row[1] not in forces):
                continue
            if row[2] != "available":
                self.dropped.add(code)
                continue
            if row[0] not in out:
                out.append(row[0])
            if limit is not None and len(out) >= limit:
                break
        return out


def _commander_first(post: dict) -> list[str]:
    people = list(post.get("personnel", []))
    commander = post.get("commander")
    if commander in people:
        people.remove(commander)
        people.insert(0, commander)
    return people


def _squads_by_district(document: dict, districts: dict[int, dict], polsek_districts: dict[str, set[str]]) -> dict:
    """district id -> reserve squad: a squad of a unit covering the district first, else the nearest unused."""
    squads = [r for r in document.get("reserves", []) if r.get("personnel")]
    chosen: dict[int, dict] = {}
    used: set[str] = set()
    for district_id, info in sorted(districts.items(), key=lambda kv: kv[1]["code"]):
        def distance(r, info=info):
            return float(haversine_km(info["lat"], info["lon"], float(r.get("lat", 0.0)), float(r.get("lon", 0.0))))
        local = [r for r in squads if info["code"] in polsek_districts.get(r.get("unit"), ())]
        pool = [r for r in local if r["id"] not in used] or [r for r in squads if r["id"] not in used] or squads
        if pool:
            best = min(pool, key=lambda r: (distance(r), r["id"]))
            chosen[district_id] = best
            used.add(best["id"])
    return chosen


def build_chain(operation, schedule: Schedule, tz: dt.tzinfo) -> Chain:
    """Every leg the operation should have, from its TPS, villages, districts and plan."""
    from siaga.forces.models import Unit

    rows = operation_tps(operation)
    plan = plan_for(operation)
    document = plan.document if plan is not None else {}
    version = plan.version if plan is not None else None
    people = _People(document)
    tps_post: dict[str, dict] = {}
    village_posts: dict[str, list[dict]] = defaultdict(list)
    village_of_tps = {r["code"]: r["village__code"] for r in rows}
    for post in document.get("posts", []):
        for code in post.get("tps", []):
            tps_post[code] = post
        village = post.get("village") or next((village_of_tps[c] for c in post.get("tps", []) if c in village_of_tps), None)
        if village:
            village_posts[village].append(post)

    districts: dict[int, dict] = {}
    villages: dict[int, dict] = {}
    for r in rows:
        d = districts.setdefault(r["village__district_id"], {
            "code": r["village__district__code"], "name": r["village__district__name"],
            "regency_code": r["village__district__regency__code"], "regency_name": r["village__district__regency__name"],
            "tps": [], "lat_sum": 0.0, "lon_sum": 0.0})
        d["tps"].append(r["pk"])
        d["lat_sum"] += r["lat"]
        d["lon_sum"] += r["lon"]
        v = villages.setdefault(r["village_id"], {"code": r["village__code"], "name": r["village__name"],
                                                  "kind": r["village__kind"], "district_id": r["village__district_id"],
                                                  "tps": []})
        v["tps"].append(r["pk"])
    for d in districts.values():
        d["lat"], d["lon"] = d["lat_sum"] / len(d["tps"]), d["lon_sum"] / len(d["tps"])

    polsek_districts: dict[str, set[str]] = defaultdict(set)
    for code, district_code in Unit.districts.through.objects.values_list("unit__code", "district__code"):
        polsek_districts[code].add(district_code)
    squads = _squads_by_district(document, districts, polsek_districts) if plan is not None else {}

    def point(kind: str, *, district=None, village=None, tps=None) -> tuple[str, str]:
        if kind == WAREHOUSE:
            return f"Gudang KPU {district['regency_name']}", f"KPU-{district['regency_code']}"
        if kind == PPK:
            return f"PPK {district['name']}", district["code"]
        if kind == PPS:
            return f"PPS {'Kelurahan' if village['kind'] == 'kelurahan' else 'Desa'} {village['name']}", village["code"]
        return f"TPS {tps['number']:03d} {tps['village__name']}", tps["code"]

    legs: list[LegSpec] = []

    def add(seq: int, scope_code: str, tps_ids: list[int], escort_ids: list[int], note: str, *,
            district, village=None, tps=None, district_id: int, village_id: int | None) -> None:
        hop = schedule.hop(seq)
        depart, arrive = hop.times(operation.election.voting_day, tz)
        from_name, from_code = point(hop.from_kind, district=district, village=village, tps=tps)
        to_name, to_code = point(hop.to_kind, district=district, village=village, tps=tps)
        legs.append(LegSpec(f"{seq}:{scope_code}", seq, hop.direction, hop.from_kind, from_name, from_code,
                            hop.to_kind, to_name, to_code, district_id, village_id, depart, arrive,
                            sorted(tps_ids), escort_ids, note if plan is not None else NOTE_NO_PLAN))

    for district_id, d in districts.items():
        squad = squads.get(district_id)
        escorts = people.ids(squad["personnel"], forces=("polri",), limit=CONVOY_ESCORTS) if squad else []
        note = "" if squad else NOTE_NO_RESERVE.format(v=version)
        for seq in (1, 6):
            add(seq, d["code"], d["tps"], escorts, note, district=d, district_id=district_id, village_id=None)
    for village_id, v in villages.items():
        posts = village_posts.get(v["code"], [])
        codes = [p["commander"] for p in posts if p.get("commander")] + [c for p in posts for c in _commander_first(p)]
        escorts = people.ids(codes, forces=("polri",), limit=VILLAGE_ESCORTS)
        note = "" if posts else NOTE_NO_POST.format(v=version)
        for seq in (2, 5):
            add(seq, v["code"], v["tps"], escorts, note, district=districts[v["district_id"]], village=v,
                district_id=v["district_id"], village_id=village_id)
    for r in rows:
        post = tps_post.get(r["code"])
        escorts = people.ids(_commander_first(post), forces=TPS_ESCORT_FORCES) if post else []
        note = "" if post else NOTE_NO_POST.format(v=version)
        for seq in (3, 4):
            add(seq, r["code"], [r["pk"]], escorts, note, district=districts[r["village__district_id"]],
                village=villages[r["village_id"]], tps=r, district_id=r["village__district_id"],
                village_id=r["village_id"])
    return Chain(legs, version, len(people.dropped))
