"""Synthetic planning instances (province 99, invented places and people) for tests and benchmarks.

Layout: ``polres`` regencies, each with its districts on a grid about 10 km apart, villages within
a few km of their district centre and TPS within about 700 m of their village centre. Units:
one Polres per regency (its districts listed), a Polsek per district, a Kodim per regency and a
Koramil per district, a Linmas unit per village, and optionally a Brimob reserve unit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from siaga.planning.model import Person, Pins, Problem, Station, Unit
from siaga.planning.params import PlanParams
from siaga.planning.patterns import CategoryRule, Pattern

PATTERN_2_4_8 = Pattern("uji-2-4-8", {
    "kurang_rawan": CategoryRule(2, 4, 2.0),
    "rawan": CategoryRule(2, 2, 2.0, tni_per_post=1),
    "sangat_rawan": CategoryRule(3, 1, 2.0, tni_per_post=1),
    "khusus": CategoryRule(2, 1, 2.0),
}, source="synthetic")

POLRI_RANKS = ("Bripda", "Briptu", "Brigpol", "Bripka", "Aipda", "Ipda")
TNI_RANKS = ("Prada", "Pratu", "Serda", "Sertu")


@dataclass
class Spec:
    regencies: int = 1
    districts: int = 3  # per regency
    villages: tuple[int, int] = (2, 4)  # per district (low, high)
    tps: tuple[int, int] = (3, 9)  # per village (low, high)
    polsek_polri: tuple[int, int] = (6, 14)
    polres_polri: int = 20
    koramil_tni: tuple[int, int] = (0, 4)
    linmas_per_tps: float = 2.3
    brimob: int = 0
    sick_share: float = 0.03
    home_in_area_share: float = 0.4
    categories: tuple[float, float, float, float] = (0.8, 0.12, 0.05, 0.03)
    lead_share: float = 0.5


def make_problem(seed: int = 0, spec: Spec | None = None, pattern: Pattern = PATTERN_2_4_8,
                 params: PlanParams | None = None, pins: Pins | None = None, previous=None) -> Problem:
    """A random but reproducible synthetic problem."""
    spec = spec or Spec()
    rng = np.random.default_rng(seed)
    stations: list[Station] = []
    units: list[Unit] = []
    people: list[Person] = []
    cats = ("kurang_rawan", "rawan", "sangat_rawan", "khusus")
    villages_all: list[str] = []
    for r in range(spec.regencies):
        reg = f"99.{r + 1:02d}"
        base_lat = -7.0 - 0.5 * (r // 6)
        base_lon = 110.0 + 0.5 * (r % 6)
        dcodes = []
        for d in range(spec.districts):
            dcode = f"{reg}.{d + 1:02d}"
            dcodes.append(dcode)
            dlat = base_lat - 0.09 * (d // 5)
            dlon = base_lon + 0.09 * (d % 5)
            nv = int(rng.integers(spec.villages[0], spec.villages[1] + 1))
            vcodes = []
            for v in range(nv):
                vcode = f"{dcode}.{2001 + v}"
                vcodes.append(vcode)
                vlat = dlat + rng.normal(0, 0.02)
                vlon = dlon + rng.normal(0, 0.02)
                nt = int(rng.integers(spec.tps[0], spec.tps[1] + 1))
                lat = vlat + rng.normal(0, 0.004, nt)
                lon = vlon + rng.normal(0, 0.004, nt)
                cat_idx = rng.choice(4, size=nt, p=spec.categories)
                for t in range(nt):
                    cat = cats[int(cat_idx[t])]
                    stations.append(Station(
                        id=f"{vcode.replace('.', '')}-{t + 1:03d}", number=t + 1, village=vcode,
                        village_name=f"Desa Sintetis {vcode}", district=dcode,
                        district_name=f"Kecamatan Sintetis {dcode}", lat=float(lat[t]), lon=float(lon[t]),
                        category=cat, kind="khusus" if cat == "khusus" else "regular",
                        voters=int(rng.integers(150, 600)), score=float(rng.uniform(0, 100)),
                    ))
                lm = f"LINMAS-{vcode}"
                units.append(Unit(lm, f"Satlinmas {vcode}", "linmas", "village", f"KORAMIL-{dcode}",
                                  float(vlat), float(vlon), (dcode,)))
                for k in range(int(round(nt * spec.linmas_per_tps))):
                    people.append(_person(rng, f"L{vcode.replace('.', '')}{k:03d}", "linmas", "Anggota", lm, vcode,
                                          float(vlat), float(vlon), spec, lead=False))
            villages_all.extend(vcodes)
            ps = f"POLSEK-{dcode}"
            units.append(Unit(ps, f"Polsek Sintetis {dcode}", "polri", "polsek", f"POLRES-{reg}",
                              float(dlat), float(dlon), (dcode,)))
            for k in range(int(rng.integers(spec.polsek_polri[0], spec.polsek_polri[1] + 1))):
                home = _home(rng, vcodes, villages_all, spec)
                people.append(_person(rng, f"P{dcode.replace('.', '')}{k:03d}", "polri",
                                      POLRI_RANKS[int(rng.integers(len(POLRI_RANKS)))], ps, home,
                                      float(dlat), float(dlon), spec))
            kr = f"KORAMIL-{dcode}"
            units.append(Unit(kr, f"Koramil Sintetis {dcode}", "tni", "koramil", f"KODIM-{reg}",
                              float(dlat + 0.003), float(dlon), (dcode,)))
            for k in range(int(rng.integers(spec.koramil_tni[0], spec.koramil_tni[1] + 1))):
                home = _home(rng, vcodes, villages_all, spec)
                people.append(_person(rng, f"T{dcode.replace('.', '')}{k:03d}", "tni",
                                      TNI_RANKS[int(rng.integers(len(TNI_RANKS)))], kr, home,
                                      float(dlat + 0.003), float(dlon), spec))
        pr = f"POLRES-{reg}"
        units.append(Unit(pr, f"Polres Sintetis {reg}", "polri", "polres", None, base_lat, base_lon, tuple(dcodes)))
        for k in range(spec.polres_polri):
            home = _home(rng, villages_all[-40:], villages_all, spec)
            people.append(_person(rng, f"P{reg.replace('.', '')}{k:04d}", "polri",
                                  POLRI_RANKS[int(rng.integers(len(POLRI_RANKS)))], pr, home, base_lat, base_lon, spec))
        units.append(Unit(f"KODIM-{reg}", f"Kodim Sintetis {reg}", "tni", "kodim", None, base_lat, base_lon + 0.01,
                          tuple(dcodes)))
    if spec.brimob:
        units.append(Unit("BRIMOB", "Kompi Brimob (sintetis)", "polri", "reserve", None, -7.05, 110.1))
        for k in range(spec.brimob):
            people.append(_person(rng, f"B{k:04d}", "polri", "Bripka", "BRIMOB", None, -7.05, 110.1, spec))
    return Problem(tuple(stations), tuple(units), tuple(people), pattern, params or PlanParams(),
                   pins or Pins(), previous, source="synthetic-test", synthetic=True)


def _home(rng, local: list[str], everywhere: list[str], spec: Spec) -> str | None:
    x = rng.random()
    if x < spec.home_in_area_share:
        return local[int(rng.integers(len(local)))]
    if x < spec.home_in_area_share + 0.2 and everywhere:
        return everywhere[int(rng.integers(len(everywhere)))]
    return None


def _person(rng, pid, force, rank, unit, home, lat, lon, spec: Spec, lead: bool | None = None) -> Person:
    status = "sick" if rng.random() < spec.sick_share else "available"
    can_lead = bool(rng.random() < spec.lead_share) if lead is None else lead
    return Person(pid, f"Personel Sintetis {pid}", force, rank, unit, home, lat, lon, status, can_lead)


def check_plan(problem: Problem, plan: dict) -> None:
    """Assert every rule docs/plan-json.md promises (used by the property and scenario tests)."""
    import math

    from siaga.planning.jurisdiction import covers, unit_areas

    params, pattern = problem.params, problem.pattern
    stations = {s.id: s for s in problem.stations}
    people = {p.id: p for p in problem.people}
    areas = unit_areas(list(problem.units))
    scope = params.post_scope
    # every TPS in exactly one post; one category and one area per post; capacity
    seen: dict[str, str] = {}
    posts = {p["id"]: p for p in plan["posts"]}
    for p in plan["posts"]:
        cats = {stations[t].category for t in p["tps"]}
        assert cats == {p["category"]}, p["id"]
        area = {stations[t].village if scope == "village" else stations[t].district for t in p["tps"]}
        assert len(area) == 1, p["id"]
        assert 1 <= len(p["tps"]) <= pattern.rules[p["category"]].tps_per_post
        for t in p["tps"]:
            assert t not in seen
            seen[t] = p["id"]
        rule = pattern.rules[p["category"]]
        assert p["required"] == {"polri": rule.polri_per_post, "tni": rule.tni_per_post,
                                 "linmas": math.ceil(round(rule.linmas_per_tps * len(p["tps"]), 9))}
    assert set(seen) == set(stations)
    assert all(t["post"] == seen[t["id"]] for t in plan["tps"])
    # people: one place at most, available only, neutrality, jurisdiction
    placed: dict[str, str] = {}
    count: dict[tuple[str, str], int] = {}
    for a in plan["assignments"]:
        person, post = people[a["personnel"]], posts[a["post"]]
        assert a["personnel"] not in placed
        placed[a["personnel"]] = a["post"]
        assert person.status == "available"
        villages = {stations[t].village for t in post["tps"]}
        if person.force == "linmas":
            assert person.home_village in villages
        else:
            assert person.home_village not in villages, (person.id, post["id"])
            assert covers(areas[person.unit], post["district"])
        count[(post["id"], person.force)] = count.get((post["id"], person.force), 0) + 1
        assert count[(post["id"], person.force)] <= post["required"][person.force]
    for r in plan["reserves"]:
        for pid in r["personnel"]:
            assert pid not in placed
            placed[pid] = r["id"]
            assert people[pid].status == "available" and people[pid].force == "polri"
    # assigned + unmet = required, per force, and the unmet list adds up
    s = plan["summary"]
    for force in ("polri", "tni", "linmas", "commander"):
        assert s["assigned"][force] + s["unmet"][force] == s["required"][force]
        assert sum(e["count"] for e in plan["unmet"] if e["force"] == force) == s["unmet"][force]
    for p in plan["posts"]:
        for force in ("polri", "tni", "linmas"):
            short = sum(e["count"] for e in plan["unmet"] if e["post"] == p["id"] and e["force"] == force)
            assert count.get((p["id"], force), 0) + short == p["required"][force]
        if p["commander"] is not None:
            assert people[p["commander"]].can_lead and p["personnel"][0] == p["commander"]
    # pins hold
    for pid, post_id in problem.pins.person_post.items():
        assert placed[pid] == post_id
    for tps_id, post_id in problem.pins.tps_post.items():
        assert seen[tps_id] == post_id
