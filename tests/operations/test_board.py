"""What the command board reads: TPS not opened, silent or behind schedule, escalation per district, and the
event log after a cursor (scoped, never skipping an event that commits late)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from siaga.operations import selectors as sel
from siaga.operations.models import OpsEvent
from tests.operations.conftest import post_incident, post_status, wib

pytestmark = pytest.mark.django_db


def _codes(rows) -> list[str]:
    return [r.code for r in rows]


def test_not_opened_at_seven(as_role, world):
    """At 07:00 on voting day, TPS without an 'opened' (or later) report by then are listed, per area."""
    post_status(as_role("field_officer"), "T1", "opened", wib("06:55"))
    post_status(as_role("commander"), "T1B", "opened", wib("07:05"))
    planner, commander = world.users["planner"], world.users["commander"]
    assert _codes(sel.tps_not_opened(planner, world.op_a)) == ["T1B", "T2"]
    assert _codes(sel.tps_not_opened(commander, world.op_a)) == ["T1B"]
    assert _codes(sel.tps_not_opened(planner, world.op_a, at=wib("08:00"))) == ["T2"]


def test_silent_tps(as_role, world):
    """TPS not heard from for N minutes, never-reported first; TPS that handed over their boxes are done."""
    post_status(as_role("field_officer"), "T1", "voting", wib("09:30"))
    post_status(as_role("commander"), "T1B", "opened", wib("07:05"))
    planner = world.users["planner"]
    assert _codes(sel.tps_silent(planner, world.op_a, minutes=60, now=wib("10:00"))) == ["T2", "T1B"]
    assert _codes(sel.tps_silent(planner, world.op_a, minutes=10, now=wib("10:00"))) == ["T2", "T1B", "T1"]
    post_status(as_role("planner"), "T2", "handed_over", wib("09:59"))
    assert _codes(sel.tps_silent(planner, world.op_a, minutes=60, now=wib("10:00"))) == ["T1B"]


def test_overdue_steps(as_role, world):
    """Behind the voting-day schedule: at 07:30 every TPS should be voting; nothing is overdue the day before."""
    post_status(as_role("field_officer"), "T1", "voting", wib("07:10"))
    post_status(as_role("commander"), "T1B", "arrived", wib("06:00"))
    rows = sel.tps_overdue(world.users["planner"], world.op_a, now=wib("07:30"))
    assert [(r.code, step) for r, step in rows] == [("T1B", "voting"), ("T2", "voting")]
    assert sel.tps_overdue(world.users["planner"], world.op_a, now=wib("12:00", dt.date(2024, 11, 26))) == []


def test_escalation_levels(as_role, world):
    """Green without open incidents; yellow with one open high; red with an open critical; closed ones count no
    more."""
    commander = world.users["commander"]

    def level():
        return {r["district"]: r["level"] for r in sel.escalation_by_district(commander, world.op_a)}

    assert level() == {"35.71.01": "green"}
    post_incident(as_role("field_officer"), severity="high")
    assert level() == {"35.71.01": "yellow"}
    critical = post_incident(as_role("field_officer"), severity="critical").json()["id"]
    assert level() == {"35.71.01": "red"}
    as_role("commander").post(f"/api/v1/incidents/{critical}/transitions", {"to": "rejected", "note": "hoaks"},
                              content_type="application/json")
    assert level() == {"35.71.01": "yellow"}
    planner_levels = {r["district"]: r["level"] for r in sel.escalation_by_district(world.users["planner"], world.op_a)}
    assert planner_levels == {"35.71.01": "yellow", "35.71.02": "green"}


def test_events_after_are_scoped_and_advance(as_role, world):
    """A commander gets the events of its district after the cursor; a trailing 'cursor' entry moves it past
    events of other districts; the API lists the same."""
    post_status(as_role("field_officer"), "T1", "arrived", wib("06:00"))
    post_status(as_role("planner"), "T2", "arrived", wib("06:00"))
    later = timezone.now() + dt.timedelta(seconds=30)
    events = sel.events_after(world.users["commander"], 0, now=later)
    ids = list(OpsEvent.objects.order_by("id").values_list("id", flat=True))
    assert [(k, p.get("tps")) for _, k, p in events] == [("tps_status", "T1"), ("cursor", None)]
    assert events[-1][0] == ids[-1]
    assert sel.events_after(world.users["commander"], ids[-1], now=later) == []
    assert len(sel.events_after(world.users["planner"], 0, now=later)) == 2
    page = as_role("commander").get(f"/api/v1/operations/{world.op_a.pk}/events?after=0").json()
    assert [i["payload"]["tps"] for i in page["items"]] == ["T1"] and page["next"] == ids[-1]


def test_events_wait_for_a_gap_then_pass_it(as_role, world):
    """An id missing between two events may still commit: the reader stops before it for GAP_WAIT, then passes it
    (a rolled-back insert never fills it)."""
    c = as_role("field_officer")
    for hhmm in ("06:00", "07:00", "07:30"):
        post_status(c, "T1", "arrived", wib(hhmm))
    first, middle, last = OpsEvent.objects.order_by("id").values_list("id", flat=True)
    OpsEvent.objects.filter(pk=middle).delete()  # as if its transaction were still open
    user = world.users["commander"]
    assert sel.events_after(user, first, now=timezone.now()) == []
    later = timezone.now() + sel.GAP_WAIT + dt.timedelta(seconds=1)
    assert [i for i, _, _ in sel.events_after(user, first, now=later)] == [last]


def test_events_cursor_leaves_recent_events_to_the_stream(as_role):
    """A board opened now starts after the last event older than GAP_WAIT."""
    post_status(as_role("field_officer"), "T1", "arrived", wib("06:00"))
    assert sel.events_cursor() == 0
    newest = OpsEvent.objects.latest("id").pk
    assert sel.events_cursor(timezone.now() + dt.timedelta(minutes=1)) == newest


def test_board_rows_show_latest_step(as_role, world):
    """Each TPS of the area with its latest step by reported time (a late-arriving earlier step changes nothing)."""
    c = as_role("field_officer")
    post_status(c, "T1", "voting", wib("07:10"))
    post_status(c, "T1", "opened", wib("07:00"))
    rows = {r.code: r.step for r in sel.tps_board(world.users["commander"], world.op_a)}
    assert rows == {"T1": "voting", "T1B": None}
