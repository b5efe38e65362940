"""build_problem: from validated records to a planning Problem."""

from __future__ import annotations

import pytest

from siaga.formats.records import Dataset, PersonnelRecord, TPSRecord, UnitRecord
from siaga.planning.adapter import build_problem
from siaga.planning.model import PlanInputError, StationRisk
from siaga.planning.params import PlanParams
from siaga.planning.patterns import CategoryRule, Pattern
from siaga.planning.solve import solve

PATTERN = Pattern("uji", {c: CategoryRule(2, 4, 2.0) for c in ("kurang_rawan", "rawan", "sangat_rawan", "khusus")})


def _dataset(unit_districts=("Mojo",), kind="regular", category=None) -> Dataset:
    tps = [TPSRecord("T1", "99.01.01.2001", "Desa A", "Mojo", "Kab Sintetis", 1, 300, -7.0, 110.0),
           TPSRecord("T2", "99.01.02.2001", "Desa B", "Semen", "Kab Sintetis", 1, 300, -7.01, 110.01,
                     kind=kind, category=category)]
    units = [UnitRecord("RES", "Polres Sintetis", "polri", "polres", None, -7.05, 110.05),
             UnitRecord("SEK", "Polsek Mojo", "polri", "polsek", "RES", -7.0, 110.0, unit_districts),
             UnitRecord("LM", "Linmas A", "linmas", "village", None, -7.0, 110.0, ("Mojo",))]
    people = [PersonnelRecord("P1", "A", "polri", "Bripka", "SEK", "99.01.02.2001", can_lead=True),
              PersonnelRecord("P2", "B", "polri", "Bripda", "RES", None, lat=-7.2, lon=110.2),
              PersonnelRecord("L1", "C", "linmas", "Anggota", "LM", "9901012001")]
    return Dataset(tps, units, people, synthetic=True)


def test_codes_bases_and_default_categories():
    """District codes come from village codes, names become codes, bases default to the unit HQ."""
    problem = build_problem(_dataset(), None, PATTERN, PlanParams(), source="uji")
    st = {s.id: s for s in problem.stations}
    assert st["T1"].district == "99.01.01" and st["T2"].district == "99.01.02"
    assert st["T1"].category == "kurang_rawan" and st["T1"].category_source == "score" and st["T1"].score == 0
    units = {u.id: u for u in problem.units}
    assert units["SEK"].districts == ("99.01.01",) and units["RES"].districts == ()
    people = {p.id: p for p in problem.people}
    assert (people["P1"].lat, people["P1"].lon) == (-7.0, 110.0)
    assert (people["P2"].lat, people["P2"].lon) == (-7.2, 110.2)
    assert people["L1"].home_village == "99.01.01.2001"
    assert problem.synthetic and problem.source == "uji"
    plan = solve(problem)
    assert plan["synthetic"] is True
    assert plan["summary"]["assigned"]["linmas"] == 1


def test_kind_and_override_decide_the_category_without_risk():
    """Without risk scores a khusus TPS is khusus (source kind) and a manual category wins (override)."""
    st = {s.id: s for s in build_problem(_dataset(kind="khusus"), None, PATTERN, PlanParams()).stations}
    assert (st["T2"].category, st["T2"].category_source) == ("khusus", "kind")
    st = {s.id: s for s in build_problem(_dataset(category="rawan"), None, PATTERN, PlanParams()).stations}
    assert (st["T2"].category, st["T2"].category_source) == ("rawan", "override")


def test_risk_scores_are_carried_over():
    """A StationRisk from scoring sets score, category, source and reasons of the station."""
    risk = {"T1": StationRisk(72.5, "sangat_rawan", "score", ("Riwayat konflik",), ("History of conflict",))}
    st = {s.id: s for s in build_problem(_dataset(), risk, PATTERN, PlanParams()).stations}
    assert (st["T1"].score, st["T1"].category, st["T1"].reasons) == (72.5, "sangat_rawan", ("Riwayat konflik",))


def test_district_codes_are_accepted_and_unknown_names_refused():
    """A unit may list district codes; an unknown district name is refused naming unit and name."""
    units = {u.id: u for u in build_problem(_dataset(("99.01.02",)), None, PATTERN, PlanParams()).units}
    assert units["SEK"].districts == ("99.01.02",)
    with pytest.raises(PlanInputError, match="Satuan SEK: kecamatan 'Ngadiluwih'"):
        build_problem(_dataset(("Ngadiluwih",)), None, PATTERN, PlanParams())


def test_ambiguous_district_name_is_refused():
    """The same district name in two regencies cannot be resolved by name."""
    ds = _dataset()
    ds.tps.append(TPSRecord("T3", "99.02.05.2001", "Desa C", "Mojo", "Kota Sintetis", 1, 300, -7.3, 110.3))
    with pytest.raises(PlanInputError, match="ambigu"):
        build_problem(ds, None, PATTERN, PlanParams())
