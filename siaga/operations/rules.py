"""Election-day rules as plain data and functions (no Django): TPS steps, the incident lifecycle, escalation
levels and the expected time of each step. docs/operations.md explains them for users.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

# --- TPS status steps, in order ------------------------------------------------------------------------

ARRIVED, OPENED, VOTING, CLOSED, COUNTING, COUNTED, HANDED_OVER = (
    "arrived", "opened", "voting", "closed", "counting", "counted", "handed_over")
STEPS: tuple[str, ...] = (ARRIVED, OPENED, VOTING, CLOSED, COUNTING, COUNTED, HANDED_OVER)
STEP_INDEX = {s: i for i, s in enumerate(STEPS)}
LAST_STEP = STEPS[-1]

#: Local time on voting day by which a TPS should have reported at least this step (an assumption: voting runs
#: 07:00-13:00 by PKPU; counting straight after; boxes leave the TPS the same night). Used for overdue alerts.
STEP_DEADLINES: dict[str, dt.time] = {
    ARRIVED: dt.time(6, 30), OPENED: dt.time(7, 15), VOTING: dt.time(7, 30), CLOSED: dt.time(13, 15),
    COUNTING: dt.time(13, 45), COUNTED: dt.time(20, 0), HANDED_OVER: dt.time(23, 30)}


def step_index(step: str | None) -> int:
    """Position of a step (0 = arrived); -1 for none."""
    return STEP_INDEX.get(step or "", -1)


def next_step(step: str | None) -> str | None:
    """The step after ``step`` (the first one when None); None after the last."""
    i = step_index(step) + 1
    return STEPS[i] if i < len(STEPS) else None


def expected_step(at: dt.time) -> str | None:
    """The latest step whose deadline has passed at local time ``at``; None before the first deadline."""
    due = [s for s in STEPS if STEP_DEADLINES[s] <= at]
    return due[-1] if due else None


def timeline_flags(steps: list[str]) -> list[tuple[bool, list[str]]]:
    """For reports in time order: (is a correction = a step before the previous report's, steps skipped over)."""
    out, previous = [], -1
    for step in steps:
        i = step_index(step)
        correction = i < previous
        skipped = [] if correction else list(STEPS[previous + 1:i])
        out.append((correction, skipped))
        previous = i
    return out


# --- incidents -----------------------------------------------------------------------------------------

INCIDENT_TYPES = ("money_politics", "intimidation", "supporter_clash", "logistics", "swapped_ballots", "hoax",
                  "disaster", "obstruction", "other")
SEVERITIES = ("low", "medium", "high", "critical")
SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}

NEW, VERIFIED, DISPATCHED, ON_SCENE, RESOLVED, CLOSED_INCIDENT, REJECTED = (
    "new", "verified", "dispatched", "on_scene", "resolved", "closed", "rejected")
INCIDENT_STATES = (NEW, VERIFIED, DISPATCHED, ON_SCENE, RESOLVED, CLOSED_INCIDENT, REJECTED)
OPEN_STATES = frozenset({NEW, VERIFIED, DISPATCHED, ON_SCENE})
#: Allowed moves. ``dispatched`` is reached only by accepting a dispatch; ``rejected`` (a false or duplicate
#: report) needs a note and, like ``closed``, ends the incident.
TRANSITIONS: dict[str, frozenset[str]] = {
    NEW: frozenset({VERIFIED, REJECTED}),
    VERIFIED: frozenset({DISPATCHED, RESOLVED, REJECTED}),
    DISPATCHED: frozenset({ON_SCENE, RESOLVED, REJECTED}),
    ON_SCENE: frozenset({RESOLVED, REJECTED}),
    RESOLVED: frozenset({CLOSED_INCIDENT}),
    CLOSED_INCIDENT: frozenset(),
    REJECTED: frozenset(),
}
NOTE_REQUIRED = frozenset({REJECTED})


def transition_allowed(current: str, to: str) -> bool:
    return to in TRANSITIONS.get(current, frozenset())


# --- reserve squads ------------------------------------------------------------------------------------

SQUAD_FREE, SQUAD_DISPATCHED, SQUAD_ON_SCENE, SQUAD_BACK, SQUAD_DONE = (
    "free", "dispatched", "on_scene", "back", "done")
#: Dispatch states that hold the squad (it is not proposed again until it is free).
SQUAD_BUSY = (SQUAD_DISPATCHED, SQUAD_ON_SCENE, SQUAD_BACK)

# --- escalation (Sispamkota levels) --------------------------------------------------------------------

GREEN, YELLOW, RED = "green", "yellow", "red"
LEVELS = (GREEN, YELLOW, RED)
#: Thresholds on the open incidents of one district (states new, verified, dispatched, on scene).
RED_CRITICAL, RED_HIGH = 1, 2
YELLOW_HIGH, YELLOW_MEDIUM, YELLOW_ANY = 1, 2, 4


def escalation(open_by_severity: Mapping[str, int]) -> tuple[str, str]:
    """(level, reason) of one district from its open incidents counted by severity.

    red: at least one critical, or two high; yellow: one high, or two medium, or four of any severity;
    green otherwise. The reason is in Bahasa Indonesia for the board.
    """
    critical, high = open_by_severity.get("critical", 0), open_by_severity.get("high", 0)
    medium, total = open_by_severity.get("medium", 0), sum(open_by_severity.values())
    if critical >= RED_CRITICAL:
        return RED, f"{critical} insiden kritis terbuka"
    if high >= RED_HIGH:
        return RED, f"{high} insiden tinggi terbuka"
    if high >= YELLOW_HIGH:
        return YELLOW, "1 insiden tinggi terbuka"
    if medium >= YELLOW_MEDIUM:
        return YELLOW, f"{medium} insiden sedang terbuka"
    if total >= YELLOW_ANY:
        return YELLOW, f"{total} insiden terbuka"
    return GREEN, f"{total} insiden terbuka" if total else "tidak ada insiden terbuka"
