"""Board reads: late legs at a given time, missing legs, per-district counts, one TPS's chain, scoping."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from siaga.escort import selectors as sel
from siaga.escort.services import leg_mark_missing
from tests.escort.conftest import checkin, leg, wib

pytestmark = pytest.mark.django_db
DAY = dt.date(2024, 11, 27)


def _keys(qs) -> set[str]:
    return {x.key for x in qs}


def test_late_at_a_given_time(legs_a):
    """Nothing is late before H-3 08:00; after it the convoys are late to leave, then late to arrive, until they do."""
    w = legs_a
    admin = w.users["admin"]
    assert not sel.legs_late(admin, w.op_a, wib(DAY, "08:00", -3)).exists()
    at = wib(DAY, "08:30", -3)
    assert _keys(sel.legs_late(admin, w.op_a, at)) == {"1:35.71.01", "1:35.71.02"}
    assert sel.lateness(leg(w.op_a, "1:35.71.01"), at) == sel.LATE_DEPARTURE
    convoy = leg(w.op_a, "1:35.71.01")
    checkin(convoy, "from", wib(DAY, "08:20", -3))
    assert _keys(sel.legs_late(admin, w.op_a, at)) == {"1:35.71.02"}
    noon = wib(DAY, "12:01", -3)
    convoy.refresh_from_db()
    assert sel.lateness(convoy, noon) == sel.LATE_ARRIVAL
    assert _keys(sel.legs_late(admin, w.op_a, noon)) == {"1:35.71.01", "1:35.71.02"}
    checkin(convoy, "to", wib(DAY, "11:30", -3))
    assert _keys(sel.legs_late(admin, w.op_a, noon)) == {"1:35.71.02"}
    # on voting day at 05:30 the PPK -> PPS legs (H-1) and PPS -> TPS legs (due 05:00) are late too
    dawn = wib(DAY, "05:30")
    assert _keys(sel.legs_late(admin, w.op_a, dawn)) == {"1:35.71.02", "2:35.71.01.1001", "2:35.71.02.1001",
                                                         "3:T1", "3:T2"}


def test_missing_legs_are_not_late_and_are_listed(legs_a):
    """A leg marked missing leaves the late list and shows in the missing list and the district counts."""
    w = legs_a
    admin = w.users["admin"]
    leg_mark_missing(leg_id=leg(w.op_a, "1:35.71.02").pk, note="tidak ada kabar", actor="test")
    at = wib(DAY, "13:00", -3)
    assert _keys(sel.legs_late(admin, w.op_a, at)) == {"1:35.71.01"}
    assert _keys(sel.legs_missing(admin, w.op_a)) == {"1:35.71.02"}
    counts = {c["district"]: c for c in sel.district_counts(admin, w.op_a, at)}
    assert counts["35.71.01"] == {"district": "35.71.01", "district_name": "Mojoroto", "total": 6, "planned": 6,
                                  "departed": 0, "arrived": 0, "missing": 0, "late": 1}
    assert counts["35.71.02"]["missing"] == 1 and counts["35.71.02"]["late"] == 0


def test_tps_chain_in_order(legs_a):
    """One TPS's chain runs warehouse -> PPK -> PPS -> TPS -> PPS -> PPK -> warehouse."""
    w = legs_a
    chain = sel.tps_chain(w.users["admin"], w.op_a, "T1")
    assert [x.seq for x in chain] == [1, 2, 3, 4, 5, 6]
    assert [x.from_kind for x in chain] == ["warehouse", "ppk", "pps", "tps", "pps", "ppk"]
    assert chain[2].to_code == "T1" and chain[0].to_code == "35.71.01"


def test_scoping_by_district(legs_a):
    """A Polsek commander sees only its district's legs; another Polres sees none; a foreign TPS chain is 404."""
    w = legs_a
    mine = sel.legs_visible(w.users["commander"], w.op_a)
    assert {x.district.code for x in mine} == {"35.71.01"} and mine.count() == 6
    assert sel.legs_visible(w.users["planner"], w.op_a).count() == 12
    assert not sel.legs_visible(w.users["planner_b"], w.op_a).exists()
    with pytest.raises(Http404):
        sel.tps_chain(w.users["commander"], w.op_a, "T2")
    with pytest.raises(Http404):
        sel.leg_get(w.users["commander"], leg(w.op_a, "1:35.71.02").pk)


def test_discrepancy_list(legs_a):
    """Legs whose arrival seals differ from the departure are listed for the board."""
    w = legs_a
    convoy = leg(w.op_a, "1:35.71.01")
    checkin(convoy, "from", wib(DAY, "08:00", -3), seals=["A-1"])
    assert not sel.legs_with_discrepancies(w.users["admin"], w.op_a).exists()
    checkin(convoy, "to", wib(DAY, "11:00", -3), seals=["A-2"])
    assert _keys(sel.legs_with_discrepancies(w.users["admin"], w.op_a)) == {"1:35.71.01"}
