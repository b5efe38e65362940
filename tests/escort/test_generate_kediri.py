"""Escort legs generated from the Kota Kediri scenario (loaded and planned once for this module), re-generation,
and the `siaga escort` commands."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from typer.testing import CliRunner

from siaga.cli.main import app
from siaga.deployments.models import Plan
from siaga.elections.models import Operation
from siaga.escort.chain import NOTE_NO_PLAN
from siaga.escort.models import Leg
from siaga.escort.schedule import DEFAULT_HOPS, Hop, Schedule
from siaga.escort.services import escort_plan_generate
from siaga.regions.models import TPS, District, Village
from tests.escort.conftest import checkin, wib

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def escort(kediri, django_db_blocker):
    """The Kediri operation with its legs generated once (committed, wiped with the module's data)."""
    with django_db_blocker.unblock():
        report = escort_plan_generate(operation=kediri.operation, actor="test")
    return report


def test_one_chain_per_village_through_its_district(kediri, escort):
    """Warehouse<->PPK per district, PPK<->PPS per village, PPS<->TPS per TPS, each TPS in every hop exactly once."""
    op = kediri.operation
    tps, villages, districts = TPS.objects.count(), Village.objects.filter(tps__isnull=False).distinct().count(), \
        District.objects.filter(villages__tps__isnull=False).distinct().count()
    assert (tps, villages, districts) == (839, 106, 8)
    assert escort.legs == escort.created == 2 * (tps + villages + districts)
    by_seq = Counter(Leg.objects.filter(operation=op).values_list("seq", flat=True))
    assert by_seq == {1: 8, 6: 8, 2: 106, 5: 106, 3: 839, 4: 839}
    through = Leg.tps.through.objects.filter(leg__operation=op)
    for seq in range(1, 7):
        carried = Counter(through.filter(leg__seq=seq).values_list("tps_id", flat=True))
        assert len(carried) == tps and set(carried.values()) == {1}, seq
    # every TPS a leg carries lies in the leg's district (and village, for village and TPS hops)
    assert not through.exclude(tps__village__district_id=models_f("leg__district_id")).exists()
    assert not through.filter(leg__seq__in=[2, 3, 4, 5]).exclude(tps__village_id=models_f("leg__village_id")).exists()
    warehouses = set(Leg.objects.filter(operation=op, seq=1).values_list("from_name", flat=True))
    assert warehouses == {"Gudang KPU Kota Kediri", "Gudang KPU Kabupaten Kediri"}


def models_f(name: str):
    from django.db.models import F

    return F(name)


def test_planned_times_follow_the_default_schedule(kediri, escort):
    """H-3 warehouse->PPK, H-1 PPK->PPS, H 05:00 PPS->TPS, H 19:00 back to PPS, H+1 to PPK, H+6 to the warehouse."""
    day = kediri.operation.election.voting_day
    assert day == dt.date(2024, 11, 27)
    expected = {1: (wib(day, "08:00", -3), wib(day, "12:00", -3)), 2: (wib(day, "08:00", -1), wib(day, "11:00", -1)),
                3: (wib(day, "05:00"), wib(day, "06:00")), 4: (wib(day, "19:00"), wib(day, "21:00")),
                5: (wib(day, "08:00", 1), wib(day, "12:00", 1)), 6: (wib(day, "08:00", 6), wib(day, "12:00", 6))}
    for seq, (depart, arrive) in expected.items():
        times = set(Leg.objects.filter(operation=kediri.operation, seq=seq)
                    .values_list("planned_departure", "planned_arrival"))
        assert times == {(depart, arrive)}, seq


def test_escorts_come_from_the_plan(kediri, escort):
    """A TPS leg is escorted by its post's Polri/TNI (no Linmas); village legs by post commanders; convoys by a squad."""
    plan = Plan.objects.get(pk=kediri.plan.pk)
    assert escort.plan_version == plan.version and escort.without_escort == 0
    post_of = {code: p for p in plan.document["posts"] for code in p["tps"]}
    force = {p["id"]: p["force"] for p in plan.document["personnel"]}
    sample = Leg.objects.filter(operation=kediri.operation, seq=3).order_by("key")[:40]
    for leg in sample:
        (tps_code,) = leg.tps.values_list("code", flat=True)
        post = post_of[tps_code]
        expected = {c for c in post["personnel"] if force[c] in ("polri", "tni")}
        assert set(leg.escorts.values_list("code", flat=True)) == expected, tps_code
        assert post["commander"] in expected
    commanders = {p["commander"] for p in plan.document["posts"]}
    for leg in Leg.objects.filter(operation=kediri.operation, seq=2)[:20]:
        codes = set(leg.escorts.values_list("code", flat=True))
        assert 1 <= len(codes) <= 4 and codes & commanders
    squads = [set(r["personnel"]) for r in plan.document["reserves"]]
    convoys = [set(leg.escorts.values_list("code", flat=True)) for leg in Leg.objects.filter(operation=kediri.operation, seq=1)]
    assert all(1 <= len(c) <= 4 and any(c <= s for s in squads) for c in convoys)
    assert not Leg.escorts.through.objects.filter(leg__operation=kediri.operation, personnel__force="linmas").exists()


def test_regeneration_is_idempotent(kediri, escort):
    """Running again changes nothing: same leg ids, no new rows, everything reported unchanged."""
    before = dict(Leg.objects.filter(operation=kediri.operation).values_list("key", "pk"))
    links = Leg.tps.through.objects.count(), Leg.escorts.through.objects.count()
    again = escort_plan_generate(operation=kediri.operation, actor="test")
    assert (again.created, again.updated, again.removed, again.unchanged) == (0, 0, 0, len(before))
    assert dict(Leg.objects.filter(operation=kediri.operation).values_list("key", "pk")) == before
    assert (Leg.tps.through.objects.count(), Leg.escorts.through.objects.count()) == links


def test_legs_under_way_are_kept_when_the_schedule_changes(kediri, escort):
    """A new schedule moves planned legs only; a leg that already departed keeps its times."""
    op = kediri.operation
    day = op.election.voting_day
    started = Leg.objects.filter(operation=op, seq=1).order_by("key").first()
    checkin(started, "from", wib(day, "08:10", -3))
    later = tuple(Hop(h.seq, h.direction, h.from_kind, h.to_kind, h.depart_day, h.depart_time, h.arrive_day,
                      dt.time(h.arrive_time.hour + 1, 0)) if h.seq == 1 else h for h in DEFAULT_HOPS)
    report = escort_plan_generate(operation=op, actor="test", schedule=Schedule(later))
    assert report.kept_under_way == 1 and report.updated == 7 and report.created == 0
    started.refresh_from_db()
    assert started.planned_arrival == wib(day, "12:00", -3) and started.state == Leg.State.DEPARTED
    others = set(Leg.objects.filter(operation=op, seq=1).exclude(pk=started.pk).values_list("planned_arrival", flat=True))
    assert others == {wib(day, "13:00", -3)}


def test_without_a_plan_legs_have_no_escort_and_say_so(kediri, escort):
    """An operation without a plan gets its whole chain, no escorts, and a note saying why."""
    bare = Operation.objects.create(name="Operasi tanpa rencana", election=kediri.operation.election,
                                    start=kediri.operation.start, end=kediri.operation.end)
    report = escort_plan_generate(operation=bare, actor="test")
    assert report.plan_version is None and report.created == escort.legs and report.without_escort == escort.legs
    assert set(Leg.objects.filter(operation=bare).values_list("note", flat=True)) == {NOTE_NO_PLAN}
    assert not Leg.escorts.through.objects.filter(leg__operation=bare).exists()


def test_cli_plan_and_list(kediri, escort, monkeypatch):
    """`siaga escort plan` reports the legs; `siaga escort list --late --at` prints only overdue legs, flagged."""
    from siaga.cli import common

    monkeypatch.setattr(common.console, "width", 250)  # wide enough that table cells do not wrap
    runner = CliRunner()
    op = kediri.operation.pk
    result = runner.invoke(app, ["escort", "plan", "--operation", str(op)])
    assert result.exit_code == 0, result.output
    assert "kaki pengawalan" in result.output and "1906" in result.output
    assert f"rencana versi {kediri.plan.version}" in result.output
    result = runner.invoke(app, ["escort", "list", "--operation", str(op), "--late", "--at", "2024-11-24T09:00",
                                 "--limit", "50"])
    assert result.exit_code == 0, result.output
    assert "TERLAMBAT (berangkat)" in result.output and "8 dari 8 kaki" in result.output
    assert "PPS" not in result.output  # only warehouse -> PPK convoys were due by then
    result = runner.invoke(app, ["escort", "list", "--operation", str(op), "--at", "kemarin"])
    assert result.exit_code == 1 and "ISO-8601" in result.output
    result = runner.invoke(app, ["escort", "plan", "--operation", "999999"])
    assert result.exit_code == 1 and "tidak dikenal" in result.output
