"""Hand-over check-ins: idempotency by client id, seal rules, order rules, discrepancies, missing legs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from siaga.core.idempotency import ReplayConflict
from siaga.core.models import AuditEvent
from siaga.escort.models import Checkin, Leg
from siaga.escort.services import escort_plan_generate, handover_checkin, leg_mark_missing
from tests.escort.conftest import checkin, leg, wib

pytestmark = pytest.mark.django_db
DAY = dt.date(2024, 11, 27)


def test_world_chain_and_escorts(legs_a):
    """The world's operation A: 12 legs; TPS legs escorted by the post's Polri and TNI, convoys by the squad."""
    w = legs_a
    assert Leg.objects.filter(operation=w.op_a).count() == 12
    assert set(leg(w.op_a, "3:T1").escorts.values_list("code", flat=True)) == {w.people["p1"].code, w.people["k1"].code}
    assert set(leg(w.op_a, "2:35.71.01.1001").escorts.values_list("code", flat=True)) == {w.people["p1"].code}
    assert set(leg(w.op_a, "1:35.71.02").escorts.values_list("code", flat=True)) == {w.people["p4"].code}
    assert not Leg.objects.filter(operation=w.op_b).exists()


def test_unavailable_people_are_not_proposed(legs_a):
    """Someone sick since the plan is left out at the next generation and counted."""
    w = legs_a
    w.people["k1"].status = "sick"
    w.people["k1"].save()
    report = escort_plan_generate(operation=w.op_a, actor="test")
    assert report.dropped_unavailable == 1 and report.updated >= 2
    assert set(leg(w.op_a, "3:T1").escorts.values_list("code", flat=True)) == {w.people["p1"].code}


def test_resend_is_stored_once(legs_a):
    """The same client id twice: one check-in, the second call returns it with created=False, one audit event."""
    convoy = leg(legs_a.op_a, "1:35.71.01")
    first, created = checkin(convoy, "from", wib(DAY, "08:05", -3), seals=["A-1", "A-2"], boxes=2, client_id="k1")
    again, created_again = checkin(convoy, "from", wib(DAY, "08:05", -3), seals=["A-1", "A-2"], boxes=2, client_id="k1")
    assert created and not created_again and again.pk == first.pk
    assert Checkin.objects.filter(client_id="k1").count() == 1
    assert AuditEvent.objects.filter(action="escort.checkin", target=f"escort-leg:{convoy.pk}").count() == 1
    convoy.refresh_from_db()
    assert convoy.state == Leg.State.DEPARTED and convoy.departed_at == wib(DAY, "08:05", -3)


def test_client_id_of_another_check_in_is_refused(legs_a):
    """A client id already used for another leg or end is a replay conflict (409), not a silent replay."""
    a, b = leg(legs_a.op_a, "1:35.71.01"), leg(legs_a.op_a, "1:35.71.02")
    checkin(a, "from", wib(DAY, "08:05", -3), client_id="same")
    with pytest.raises(ReplayConflict, match="sudah dipakai"):
        checkin(b, "from", wib(DAY, "08:05", -3), client_id="same")
    assert Checkin.objects.count() == 1


def test_same_rules_as_status_reports(legs_a):
    """One idempotency core (siaga.core.idempotency): the same key and content replays the stored check-in; the
    same key with other content is 409; keys are per actor; the same future tolerance as status reports."""
    from siaga.core.idempotency import FUTURE_TOLERANCE
    from siaga.escort.services import handover_checkin
    from siaga.operations import services as ops

    a, b = leg(legs_a.op_a, "1:35.71.01"), leg(legs_a.op_a, "1:35.71.02")
    at = wib(DAY, "08:05", -3)
    first, created = handover_checkin(leg_id=a.pk, point="from", seal_numbers=["S-1"], box_count=2, at=at,
                                      client_id="k-1", actor="andi")
    again, created_again = handover_checkin(leg_id=a.pk, point="from", seal_numbers=["S-1"], box_count=2, at=at,
                                            client_id="k-1", actor="andi")
    assert created and not created_again and again.pk == first.pk
    with pytest.raises(ReplayConflict, match="box_count"):
        handover_checkin(leg_id=a.pk, point="from", seal_numbers=["S-1"], box_count=3, at=at, client_id="k-1",
                         actor="andi")
    other, created_other = handover_checkin(leg_id=b.pk, point="from", seal_numbers=["S-9"], box_count=1, at=at,
                                            client_id="k-1", actor="budi")  # another user, the same key
    assert created_other and other.pk != first.pk
    assert ops.FUTURE_TOLERANCE is FUTURE_TOLERANCE
    with pytest.raises(ValidationError, match="masa depan"):
        handover_checkin(leg_id=b.pk, point="to", seal_numbers=["S-9"], box_count=1, client_id="k-2", actor="budi",
                         at=timezone.now() + FUTURE_TOLERANCE + dt.timedelta(minutes=1))


@pytest.mark.parametrize("seals, message", [
    ([], "kosong"), (["", "  "], "kosong"), (["A-1", "A-1"], "ganda"), (["A 1"], "format"), (["x" * 41], "format"),
    ("A-1", "daftar"),
])
def test_bad_seal_lists_are_refused(legs_a, seals, message):
    """An empty, doubled or malformed seal list is refused with the field named, and nothing is stored."""
    convoy = leg(legs_a.op_a, "1:35.71.01")
    with pytest.raises(ValidationError, match=message) as exc:
        handover_checkin(leg_id=convoy.pk, point="from", seal_numbers=seals, box_count=1, client_id="c",
                         at=wib(DAY, "08:00", -3), actor="test")
    assert "seal_numbers" in exc.value.messages[0]
    convoy.refresh_from_db()
    assert convoy.state == Leg.State.PLANNED and not Checkin.objects.exists()


def test_bad_box_count_point_and_client_id_are_refused(legs_a):
    """Fewer than one box, an unknown point or an empty client id are refused."""
    convoy = leg(legs_a.op_a, "1:35.71.01")
    for kwargs, message in (({"box_count": 0}, "box_count"), ({"point": "tengah"}, "point"),
                            ({"client_id": " "}, "client_id")):
        args = {"leg_id": convoy.pk, "point": "from", "seal_numbers": ["A-1"], "box_count": 1, "client_id": "c",
                "at": wib(DAY, "08:00", -3), "actor": "test", **kwargs}
        with pytest.raises(ValidationError, match=message):
            handover_checkin(**args)
    assert not Checkin.objects.exists()


def test_arrival_before_departure_is_refused(legs_a):
    """A hand-over at the end before the one at the start is out of order."""
    convoy = leg(legs_a.op_a, "1:35.71.01")
    with pytest.raises(ValidationError, match="belum ada serah terima berangkat"):
        checkin(convoy, "to", wib(DAY, "12:00", -3))
    checkin(convoy, "from", wib(DAY, "08:00", -3))
    with pytest.raises(ValidationError, match="sudah dicatat"):
        checkin(convoy, "from", wib(DAY, "08:30", -3), client_id="other")
    with pytest.raises(ValidationError, match="sebelum berangkat"):
        checkin(convoy, "to", wib(DAY, "07:00", -3))
    checkin(convoy, "to", wib(DAY, "11:50", -3))
    with pytest.raises(ValidationError, match="sudah tiba"):
        checkin(convoy, "to", wib(DAY, "12:30", -3), client_id="late-resend-with-new-id")


def test_departure_waits_for_the_previous_leg(legs_a):
    """PPK -> PPS cannot leave before the warehouse -> PPK convoy arrived; PPS -> TPS waits for PPK -> PPS."""
    op = legs_a.op_a
    convoy, to_pps, to_tps = leg(op, "1:35.71.01"), leg(op, "2:35.71.01.1001"), leg(op, "3:T1")
    with pytest.raises(ValidationError, match="Gudang KPU"):
        checkin(to_pps, "from", wib(DAY, "08:00", -1))
    checkin(convoy, "from", wib(DAY, "08:00", -3))
    checkin(convoy, "to", wib(DAY, "11:00", -3))
    checkin(to_pps, "from", wib(DAY, "08:00", -1))
    with pytest.raises(ValidationError, match="PPK"):
        checkin(to_tps, "from", wib(DAY, "05:00"))
    # another district's chain is independent
    checkin(leg(op, "1:35.71.02"), "from", wib(DAY, "08:00", -3))


def test_return_to_ppk_waits_for_every_tps_of_the_village(legs_a):
    """PPS -> PPK leaves only when the village's TPS -> PPS legs arrived or were marked missing."""
    op = legs_a.op_a
    back_to_ppk = leg(op, "5:35.71.01.1001")
    with pytest.raises(ValidationError, match="TPS"):
        checkin(back_to_ppk, "from", wib(DAY, "08:00", 1))
    leg_mark_missing(leg_id=leg(op, "4:T1").pk, note="kotak belum kembali", actor="test")
    checkin(back_to_ppk, "from", wib(DAY, "08:00", 1))


def test_future_time_is_refused(legs_a):
    """A hand-over stamped far in the future (a wrong phone clock) is refused."""
    from django.utils import timezone

    convoy = leg(legs_a.op_a, "1:35.71.01")
    with pytest.raises(ValidationError, match="masa depan"):
        checkin(convoy, "from", timezone.now() + dt.timedelta(hours=1))


def test_changed_seals_on_arrival_are_recorded(legs_a):
    """Seals or a box count that differ from the departure are stored with the arrival as discrepancies."""
    convoy = leg(legs_a.op_a, "1:35.71.01")
    checkin(convoy, "from", wib(DAY, "08:00", -3), seals=["A-1", "A-2"], boxes=2)
    arrival, _ = checkin(convoy, "to", wib(DAY, "11:00", -3), seals=["A-1", "B-9"], boxes=1)
    assert len(arrival.discrepancies) == 2
    assert "A-2" in arrival.discrepancies[0] and "B-9" in arrival.discrepancies[0]
    assert "jumlah kotak 1" in arrival.discrepancies[1]


def test_mark_missing_rules(legs_a):
    """A note is required; an arrived leg cannot go missing; a missing leg still takes its next check-in."""
    op = legs_a.op_a
    convoy, other = leg(op, "1:35.71.01"), leg(op, "1:35.71.02")
    with pytest.raises(ValidationError, match="note"):
        leg_mark_missing(leg_id=convoy.pk, note=" ", actor="test")
    checkin(convoy, "from", wib(DAY, "08:00", -3))
    missing = leg_mark_missing(leg_id=convoy.pk, note="pengawal tidak bisa dihubungi", actor="test")
    assert missing.state == Leg.State.MISSING and missing.departed_at is not None
    assert leg_mark_missing(leg_id=convoy.pk, note="lagi", actor="test").missing_note == "pengawal tidak bisa dihubungi"
    checkin(convoy, "to", wib(DAY, "15:00", -3))
    convoy.refresh_from_db()
    assert convoy.state == Leg.State.ARRIVED and convoy.missing_at is not None
    with pytest.raises(ValidationError, match="sudah tiba"):
        leg_mark_missing(leg_id=convoy.pk, note="x", actor="test")
    checkin(other, "from", wib(DAY, "08:00", -3))
    checkin(other, "to", wib(DAY, "12:00", -3))
    assert AuditEvent.objects.filter(action="escort.missing").count() == 1


def test_database_refuses_inconsistent_rows(legs_a):
    """Constraints: arrival before departure, an arrived state without times, two check-ins at one end."""
    convoy = leg(legs_a.op_a, "1:35.71.01")
    for changes in ({"planned_arrival": convoy.planned_departure}, {"state": "arrived"}, {"state": "departed"},
                    {"state": "lost"}, {"village": legs_a.tps["t1"].village}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Leg.objects.filter(pk=convoy.pk).update(**changes)
    checkin(convoy, "from", wib(DAY, "08:00", -3))
    with pytest.raises(IntegrityError), transaction.atomic():
        Checkin.objects.create(leg=convoy, point="from", at=wib(DAY, "08:00", -3), actor="x", seal_numbers=["A"],
                               box_count=1, client_id="another")
    with pytest.raises(IntegrityError), transaction.atomic():
        Checkin.objects.create(leg=convoy, point="to", at=wib(DAY, "09:00", -3), actor="x", seal_numbers=["A"],
                               box_count=0, client_id="zero-boxes")


def test_regeneration_removes_stale_planned_legs_and_keeps_started_ones(legs_a):
    """When the election's area changes, planned legs of the old area go; a leg under way stays."""
    w = legs_a
    started = leg(w.op_a, "1:35.71.01")
    checkin(started, "from", wib(DAY, "08:00", -3))
    w.op_a.election.regencies.set([w.d3.regency])
    report = escort_plan_generate(operation=w.op_a, actor="test")
    assert (report.created, report.removed, report.kept_under_way) == (6, 11, 1)
    assert set(Leg.objects.filter(operation=w.op_a).values_list("key", flat=True)) == {
        "1:35.71.01", "1:35.06.01", "6:35.06.01", "2:35.06.01.2001", "5:35.06.01.2001", "3:T3", "4:T3"}
