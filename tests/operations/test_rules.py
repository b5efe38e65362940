"""The pure election-day rules: step order, timeline flags, lifecycle moves, escalation, the schedule."""

from __future__ import annotations

import datetime as dt

from siaga.operations import rules


def test_next_step_walks_the_order():
    """Steps follow arrived -> ... -> handed_over; nothing after the last."""
    assert rules.next_step(None) == "arrived"
    assert rules.next_step("counted") == "handed_over"
    assert rules.next_step("handed_over") is None


def test_timeline_flags_skips_and_corrections():
    """A jump lists the skipped steps; a step before the previous one is a correction."""
    flags = rules.timeline_flags(["arrived", "voting", "opened", "closed"])
    assert flags == [(False, []), (False, ["opened"]), (True, []), (False, ["voting"])]


def test_lifecycle_moves():
    """Only the documented moves are allowed; closed and rejected end an incident."""
    assert rules.transition_allowed("new", "verified")
    assert not rules.transition_allowed("new", "resolved")
    assert rules.transition_allowed("on_scene", "rejected")
    assert not rules.TRANSITIONS["closed"] and not rules.TRANSITIONS["rejected"]
    reachable = {"new"}
    for _ in rules.INCIDENT_STATES:
        reachable |= {t for s in reachable for t in rules.TRANSITIONS[s]}
    assert reachable == set(rules.INCIDENT_STATES)


def test_escalation_thresholds():
    """green < yellow (1 high, 2 medium or 4 any) < red (1 critical or 2 high)."""
    assert rules.escalation({})[0] == "green"
    assert rules.escalation({"low": 3})[0] == "green"
    assert rules.escalation({"low": 4})[0] == "yellow"
    assert rules.escalation({"medium": 2})[0] == "yellow"
    assert rules.escalation({"high": 1})[0] == "yellow"
    assert rules.escalation({"high": 2})[0] == "red"
    level, reason = rules.escalation({"critical": 1, "low": 9})
    assert level == "red" and "kritis" in reason


def test_expected_step_by_time_of_day():
    """Nothing is due before 06:30; at 07:15 the TPS should be open; late at night the boxes handed over."""
    assert rules.expected_step(dt.time(6, 0)) is None
    assert rules.expected_step(dt.time(7, 15)) == "opened"
    assert rules.expected_step(dt.time(23, 59)) == "handed_over"
