"""A tiny two-Polres world for access tests (synthetic).

Polres A (no districts of its own) covers D1 (Polsek 1, Koramil 1) and D2 (Polsek 2), and has a reserve unit
without districts. Polres B covers D3 in another regency. One TPS, village and person per district,
one operation and plan per Polres, one user per role (commander and field officer at Polsek 1,
planner and partner at Polres A, planner_b at Polres B).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from siaga.accounts.models import Profile
from siaga.deployments.models import Plan
from siaga.elections.models import Election, Operation
from tests.db.factories import (
    DistrictFactory,
    PersonnelFactory,
    RegencyFactory,
    TPSFactory,
    UnitFactory,
    VillageFactory,
)


@dataclass
class World:
    d1: object
    d2: object
    d3: object
    tps: dict
    units: dict
    people: dict
    users: dict
    op_a: object
    op_b: object
    plan_a: object
    plan_b: object


def make_user(username: str, role: str, unit=None, password: str | None = None):
    user = get_user_model().objects.create(username=username, is_staff=role == "admin", is_superuser=role == "admin")
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    Profile.objects.create(user=user, role=role, unit=unit)
    return user


def plan_document(tps_rows, people, posts, reserves, units) -> dict:
    """A small plan.json (schema siaga.plan/1) over the given rows."""
    return {
        "schema": "siaga.plan/1", "synthetic": True,
        "summary": {"tps": len(tps_rows), "tps_by_category": {"kurang_rawan": len(tps_rows), "rawan": 0},
                    "posts": len(posts), "posts_by_category": {"kurang_rawan": len(posts), "rawan": 0},
                    "bko_needed": [{"district": t["district"], "force": "polri", "count": 1} for t in tps_rows]},
        "areas": {"districts": [{"code": t["district"], "name": t["district"]} for t in tps_rows],
                  "villages": [{"code": t["village"], "district": t["district"]} for t in tps_rows]},
        "tps": tps_rows,
        "posts": posts,
        "assignments": [{"personnel": pid, "post": p["id"], "role": "commander", "force": "polri"}
                        for p in posts for pid in p["personnel"]],
        "reserves": reserves,
        "unmet": [{"post": p["id"], "force": "linmas", "count": 1, "reason": "kurang"} for p in posts],
        "units": [{"id": u.code, "name": u.name, "force": u.force, "level": u.level} for u in units],
        "personnel": [{"id": p.code, "name": p.name, "force": p.force, "rank": p.rank, "unit": p.unit.code,
                       "status": p.status, "can_lead": p.can_lead} for p in people],
    }


def build_world() -> World:
    d1 = DistrictFactory(code="35.71.01", name="Mojoroto")
    d2 = DistrictFactory(code="35.71.02", name="Kota")
    reg_b = RegencyFactory(code="35.06", name="Kabupaten Kediri", kind="kabupaten")
    d3 = DistrictFactory(code="35.06.01", name="Mojo", regency=reg_b)
    v1 = VillageFactory(code="35.71.01.1001", district=d1)
    v2 = VillageFactory(code="35.71.02.1001", district=d2)
    v3 = VillageFactory(code="35.06.01.2001", district=d3)
    tps = {"t1": TPSFactory(code="T1", village=v1, number=1), "t2": TPSFactory(code="T2", village=v2, number=1),
           "t3": TPSFactory(code="T3", village=v3, number=1)}
    polres_a = UnitFactory(code="POLRES-A", level="polres", name="Polres A")
    polres_b = UnitFactory(code="POLRES-B", level="polres", name="Polres B")
    units = {
        "polres_a": polres_a, "polres_b": polres_b,
        "polsek1": UnitFactory(code="POLSEK-1", parent=polres_a), "polsek2": UnitFactory(code="POLSEK-2", parent=polres_a),
        "reserve_a": UnitFactory(code="BRIMOB-A", level="reserve", parent=polres_a),
        "koramil1": UnitFactory(code="KORAMIL-1", force="tni", level="koramil"),
        "polsek3": UnitFactory(code="POLSEK-3", parent=polres_b),
    }
    units["polsek1"].districts.set([d1])
    units["polsek2"].districts.set([d2])
    units["koramil1"].districts.set([d1])
    units["polsek3"].districts.set([d3])
    people = {
        "p1": PersonnelFactory(code="11111111", name="Andi", unit=units["polsek1"], home_village=v1),
        "p2": PersonnelFactory(code="22222222", name="Budi", unit=units["polsek2"]),
        "p3": PersonnelFactory(code="33333333", name="Citra", unit=units["polsek3"]),
        "p4": PersonnelFactory(code="44444444", name="Dewi", unit=units["reserve_a"]),
        "k1": PersonnelFactory(code="55555555", name="Eko", force="tni", rank="Serda", unit=units["koramil1"]),
    }
    users = {
        "admin": make_user("admin", "admin"),
        "planner": make_user("planner", "planner", polres_a),
        "commander": make_user("commander", "commander", units["polsek1"]),
        "field_officer": make_user("field", "field_officer", units["polsek1"]),
        "partner": make_user("partner", "partner", polres_a),
        "planner_b": make_user("planner_b", "planner", polres_b),
    }
    el_a = Election.objects.create(name="Pilkada A", kind="pilkada", voting_day=dt.date(2024, 11, 27))
    el_a.regencies.set([d1.regency])
    el_b = Election.objects.create(name="Pilkades B", kind="pilkades", voting_day=dt.date(2025, 6, 1))
    el_b.regencies.set([reg_b])
    op_a = Operation.objects.create(name="Operasi A", election=el_a, start=dt.date(2024, 8, 1),
                                    end=dt.date(2024, 12, 31), commanding_unit=polres_a)
    op_b = Operation.objects.create(name="Operasi B", election=el_b, start=dt.date(2025, 5, 1),
                                    end=dt.date(2025, 6, 30), commanding_unit=polres_b)

    def row(t):
        return {"id": t.code, "village": t.village.code, "district": t.village.district.code, "category": "kurang_rawan"}

    posts_a = [{"id": "P-D1", "district": d1.code, "category": "kurang_rawan", "tps": ["T1"],
                "personnel": [people["p1"].code, people["k1"].code], "commander": people["p1"].code},
               {"id": "P-D2", "district": d2.code, "category": "kurang_rawan", "tps": ["T2"],
                "personnel": [people["p2"].code], "commander": people["p2"].code}]
    reserves_a = [{"id": "R-01", "unit": "BRIMOB-A", "personnel": [people["p4"].code], "kind": "bko"}]
    doc_a = plan_document([row(tps["t1"]), row(tps["t2"])], [people[k] for k in ("p1", "p2", "p4", "k1")],
                          posts_a, reserves_a, [polres_a, units["polsek1"], units["polsek2"], units["reserve_a"],
                                                units["koramil1"]])
    plan_a = Plan.objects.create(operation=op_a, version=1, pattern="uji", summary=doc_a["summary"], document=doc_a,
                                 created_by="test")
    posts_b = [{"id": "P-D3", "district": d3.code, "category": "kurang_rawan", "tps": ["T3"],
                "personnel": [people["p3"].code], "commander": people["p3"].code}]
    doc_b = plan_document([row(tps["t3"])], [people["p3"]], posts_b, [], [polres_b, units["polsek3"]])
    plan_b = Plan.objects.create(operation=op_b, version=1, pattern="uji", summary=doc_b["summary"], document=doc_b,
                                 created_by="test")
    return World(d1, d2, d3, tps, units, people, users, op_a, op_b, plan_a, plan_b)
