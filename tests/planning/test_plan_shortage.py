"""Reserve units, unmet reporting, BKO needs, reserve squads and the voting-day stage check."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

from siaga.planning.model import Person, Problem, Station, Unit
from siaga.planning.params import PlanParams
from siaga.planning.patterns import CategoryRule, Pattern
from siaga.planning.reserves import chunk_sizes
from siaga.planning.solve import solve
from tests.planning.plan_instances import Spec, check_plan, make_problem

PATTERN = Pattern("uji", {c: CategoryRule(2, 2, 1.0) for c in ("kurang_rawan", "rawan", "sangat_rawan", "khusus")})


def _tiny(polsek_people: list[tuple[str, str | None, bool]], brimob: int = 0, second_district_polri: int = 0,
          categories=("kurang_rawan",) * 4) -> Problem:
    """Two districts (2 villages each, 2 TPS per village) of a synthetic regency; people as given."""
    stations, units, people = [], [], []
    units.append(Unit("POLRES", "Polres Sintetis", "polri", "polres", None, -7.0, 110.0, ("99.01.01", "99.01.02")))
    for d, dcode in enumerate(("99.01.01", "99.01.02")):
        units.append(Unit(f"POLSEK-{d + 1}", f"Polsek Sintetis {d + 1}", "polri", "polsek", "POLRES",
                          -7.0, 110.0 + 0.05 * d, (dcode,)))
        for v in range(2):
            vcode = f"{dcode}.{2001 + v}"
            units.append(Unit(f"LINMAS-{vcode}", f"Linmas {vcode}", "linmas", "village", None, -7.0, 110.0, (dcode,)))
            for t in range(2):
                cat = categories[v * 2 + t]
                stations.append(Station(f"{vcode}-{t}", t + 1, vcode, f"Desa {vcode}", dcode, f"Kec {dcode}",
                                        -7.0 + 0.001 * t, 110.0 + 0.05 * d + 0.01 * v, cat))
                people.append(Person(f"L-{vcode}-{t}", "L", "linmas", "Anggota", f"LINMAS-{vcode}", vcode,
                                     -7.0, 110.0))
    for n, (pid, home, lead) in enumerate(polsek_people):
        people.append(Person(pid, f"Polri {n}", "polri", "Bripka", "POLSEK-1", home, -7.0, 110.0, can_lead=lead))
    for n in range(second_district_polri):
        people.append(Person(f"S{n:02d}", "Polri", "polri", "Bripka", "POLSEK-2", None, -7.0, 110.05, can_lead=True))
    if brimob:
        units.append(Unit("BRIMOB", "Brimob", "polri", "reserve", None, -7.1, 110.1))
        for n in range(brimob):
            people.append(Person(f"B{n:02d}", "Brimob", "polri", "Bripka", "BRIMOB", None, -7.1, 110.1, can_lead=True))
    return Problem(tuple(stations), tuple(units), tuple(people), PATTERN, PlanParams(reserve_squad_size=4),
                   synthetic=True)


def test_reserve_unit_is_called_only_when_own_people_are_short():
    """Brimob stays in reserve while own Polri suffice and fills exactly the gap when they do not."""
    enough = _tiny([(f"A{n}", None, True) for n in range(4)], brimob=6, second_district_polri=4)
    plan = solve(enough)
    check_plan(enough, plan)
    assert not any(a["personnel"].startswith("B") for a in plan["assignments"])
    assert {r["kind"] for r in plan["reserves"]} == {"bko"}
    short = _tiny([(f"A{n}", None, True) for n in range(4)], brimob=6, second_district_polri=1)
    plan = solve(short)
    check_plan(short, plan)
    used = [a for a in plan["assignments"] if a["personnel"].startswith("B")]
    assert len(used) == 3 and plan["summary"]["unmet"]["polri"] == 0


def test_unmet_reasons_and_bko_needed():
    """A short plan names why each post is short and totals the missing people per district."""
    # district 1: two Polri from village 2001 (neutrality there), district 2: nobody at all
    problem = _tiny([("A0", "99.01.01.2001", True), ("A1", "99.01.01.2001", False)])
    plan = solve(problem)
    check_plan(problem, plan)
    by_post = {(e["post"], e["force"]): e for e in plan["unmet"]}
    assert "netralitas" in by_post[("P-99.01.01.2001-KR-01", "polri")]["reason"]
    assert by_post[("P-99.01.01.2001-KR-01", "polri")]["count"] == 2
    assert "Tidak ada personel Polri tersedia di wilayah Polsek Sintetis 2" in \
        by_post[("P-99.01.02.2001-KR-01", "polri")]["reason"]
    assert "tanpa komandan" in by_post[("P-99.01.01.2001-KR-01", "commander")]["reason"]
    staffed = next(p for p in plan["posts"] if p["id"] == "P-99.01.01.2002-KR-01")
    assert staffed["commander"] == "A0" and staffed["personnel"][:2] == ["A0", "A1"]
    bko = {(b["district"], b["force"]): b["count"] for b in plan["summary"]["bko_needed"]}
    assert bko[("99.01.02", "polri")] == 4
    assert bko[("99.01.01", "polri")] == 2
    assert sum(bko.values()) == plan["summary"]["unmet"]["polri"] + plan["summary"]["unmet"]["linmas"]


def test_a_non_leader_post_carries_one_commander_entry():
    """A post staffed only by Polri who cannot lead gets exactly one commander entry."""
    problem = _tiny([("A0", None, False), ("A1", None, False)])
    plan = solve(problem)
    staffed = [p for p in plan["posts"] if any(x.startswith("A") for x in p["personnel"])]
    assert len(staffed) == 1 and staffed[0]["commander"] is None
    entries = [e for e in plan["unmet"] if e["post"] == staffed[0]["id"]]
    assert [e["force"] for e in entries] == ["commander"]
    assert plan["summary"]["unmet"]["commander"] == plan["summary"]["required"]["commander"]


def test_sangat_rawan_posts_are_filled_before_kurang_rawan():
    """With two Polri for two posts of one district, the sangat rawan post is the one staffed."""
    problem = _tiny([("A0", None, True), ("A1", None, True)],
                    categories=("kurang_rawan", "kurang_rawan", "sangat_rawan", "sangat_rawan"))
    plan = solve(problem)
    sr = next(p for p in plan["posts"] if p["category"] == "sangat_rawan" and p["district"] == "99.01.01")
    assert set(sr["personnel"]) >= {"A0", "A1"}


def test_chunk_sizes_follow_the_remainder_rule():
    """Squads of the set size; a remainder of half a squad or more stands alone, less joins the last."""
    assert chunk_sizes(20, 10) == ([10, 10], 0)
    assert chunk_sizes(25, 10) == ([10, 10, 5], 0)
    assert chunk_sizes(24, 10) == ([10, 14], 0)
    assert chunk_sizes(4, 10) == ([], 4)
    assert chunk_sizes(5, 10) == ([5], 0)


def test_reserve_squads_cover_the_area():
    """Every left-over Polri is in a squad or listed unassigned; covers_km matches nearest-squad distances."""
    problem = make_problem(3, Spec(districts=4, polsek_polri=(12, 16), polres_polri=30, brimob=12))
    plan = solve(problem)
    check_plan(problem, plan)
    s = plan["summary"]
    in_squads = sum(len(r["personnel"]) for r in plan["reserves"])
    assert in_squads == s["reserve_strength"]
    assert s["assigned"]["polri"] + in_squads + s["unassigned"]["polri"] == s["available"]["polri"]
    assert s["reserve_squads"] == len(plan["reserves"]) > 1
    from siaga.planning.geo import haversine_km
    rf = problem.params.road_factor
    worst = 0.0
    for t in plan["tps"]:
        worst = max(worst, min(float(haversine_km(r["lat"], r["lon"], t["lat"], t["lon"])) * rf
                               for r in plan["reserves"]))
    assert abs(max(r["covers_km"] for r in plan["reserves"]) - worst) < 0.02
    hq = next(u for u in plan["units"] if u["id"] == "POLSEK-99.01.01")
    for r in (r for r in plan["reserves"] if r["unit"] == "POLSEK-99.01.01"):  # stays in its district
        at_post = any(p["lat"] == r["lat"] and p["lon"] == r["lon"] and p["district"] == "99.01.01"
                      for p in plan["posts"])
        assert at_post or (r["lat"], r["lon"]) == (hq["lat"], hq["lon"])


def test_stage_check_counts_posts_and_squads_against_two_thirds():
    """Deployed Polri = at posts + in squads; ok exactly when the share reaches the required fraction."""
    problem = make_problem(3, Spec(districts=2))
    plan = solve(problem)
    sc = plan["summary"]["stage_check"]
    deployed = plan["summary"]["assigned"]["polri"] + plan["summary"]["reserve_strength"]
    assert sc["polri_deployed"] == deployed
    assert sc["polri_strength"] == sum(1 for p in problem.people if p.force == "polri")
    assert sc["ok"] == (Fraction(deployed, sc["polri_strength"]) >= Fraction(2, 3))
    strict = dataclasses.replace(problem, params=dataclasses.replace(problem.params, voting_day_share=Fraction(1)))
    sc2 = solve(strict)["summary"]["stage_check"]
    assert sc2["required_share"] == "1/1" and sc2["ok"] is (deployed == sc["polri_strength"])
    assert "belum terpenuhi" in sc2["message"] or sc2["ok"]
