"""Reads of election day for the API, the phone page and the command board. Every read goes through
siaga.accounts.scoping; times default to now, and every "now" can be given (exercises replay a past day).

Board selectors: tps_board (every TPS with its step), tps_not_opened, tps_silent, tps_overdue, incidents_visible,
incident_counts, escalation_by_district, reserve_squads, events_after / events_cursor.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from siaga.accounts.scoping import scope
from siaga.elections.models import Operation
from siaga.operations import rules
from siaga.operations.context import OpContext
from siaga.operations.models import Incident, StatusReport
from siaga.regions.models import TPS

OPENING = dt.time(7, 0)


def local_moment(day: dt.date, at: dt.time) -> dt.datetime:
    """An aware time on ``day`` in the server's zone (SIAGA_TIME_ZONE, WIB by default)."""
    return timezone.make_aware(dt.datetime.combine(day, at))


# --- TPS status --------------------------------------------------------------------------------------------

def tps_timeline(tps: TPS, operation_id: int) -> list[dict[str, Any]]:
    """A TPS's reports in time order with their flags: ``correction`` (a step before the previous one) and
    ``skipped`` (steps jumped over)."""
    reports = list(StatusReport.objects.filter(operation_id=operation_id, tps=tps).order_by("at", "id"))
    flags = rules.timeline_flags([r.status for r in reports])
    return [{"report": r, "correction": c, "skipped": s} for r, (c, s) in zip(reports, flags, strict=True)]


def latest_steps(operation_id: int, tps_ids=None,
                 until: dt.datetime | None = None) -> dict[int, tuple[str, dt.datetime]]:
    """{TPS pk: (step, at)} of the latest report per TPS (by ``at``, then id), optionally only reports up to
    ``until`` and only some TPS. One query."""
    qs = StatusReport.objects.filter(operation_id=operation_id)
    if until is not None:
        qs = qs.filter(at__lte=until)
    if tps_ids is not None:
        qs = qs.filter(tps_id__in=list(tps_ids))
    qs = qs.annotate(rank=Window(RowNumber(), partition_by=[F("tps_id")], order_by=[F("at").desc(), F("id").desc()]))
    return {t: (s, a) for t, s, a in qs.filter(rank=1).values_list("tps_id", "status", "at")}


def operation_tps(user, operation: Operation) -> QuerySet:
    """TPS of the user's area inside the operation's election (its regencies)."""
    regencies = operation.election.regencies.values("pk")
    return scope(user, TPS.objects.filter(village__district__regency__in=regencies))


@dataclass(frozen=True)
class TPSRow:
    code: str
    label: str
    district: str
    district_name: str
    lat: float
    lon: float
    step: str | None
    at: dt.datetime | None


def tps_board(user, operation: Operation, until: dt.datetime | None = None) -> list[TPSRow]:
    """Every TPS of the user's area in the operation with its latest step up to ``until`` (default: all reports)."""
    rows = list(operation_tps(user, operation).order_by("code").values_list(
        "pk", "code", "number", "village__name", "village__district__code", "village__district__name", "lat", "lon"))
    latest = latest_steps(operation.pk, until=until)
    return [TPSRow(code, f"TPS {number:03d} {village}", dcode, dname, lat, lon, *latest.get(pk, (None, None)))
            for pk, code, number, village, dcode, dname, lat, lon in rows]


def tps_not_opened(user, operation: Operation, at: dt.datetime | None = None) -> list[TPSRow]:
    """TPS with no report of 'opened' or a later step at or before ``at`` (default 07:00 local on voting day)."""
    at = at or local_moment(operation.election.voting_day, OPENING)
    opened = rules.step_index(rules.OPENED)
    return [r for r in tps_board(user, operation, until=at) if rules.step_index(r.step) < opened]


def tps_silent(user, operation: Operation, minutes: int = 60, now: dt.datetime | None = None) -> list[TPSRow]:
    """TPS not heard from (no report with ``at`` in the last ``minutes``), never reported included; TPS whose boxes
    were handed over are done and never silent. Oldest silence first."""
    now = now or timezone.now()
    since = now - dt.timedelta(minutes=minutes)
    rows = [r for r in tps_board(user, operation, until=now)
            if r.step != rules.LAST_STEP and (r.at is None or r.at < since)]
    return sorted(rows, key=lambda r: (r.at is not None, r.at or now, r.code))


def tps_overdue(user, operation: Operation, now: dt.datetime | None = None) -> list[tuple[TPSRow, str]]:
    """(TPS, expected step) for TPS behind the voting-day schedule (rules.STEP_DEADLINES) at ``now``."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    day = operation.election.voting_day
    if local.date() < day:
        return []
    expected = rules.LAST_STEP if local.date() > day else rules.expected_step(local.time())
    if expected is None:
        return []
    need = rules.step_index(expected)
    return [(r, expected) for r in tps_board(user, operation, until=now) if rules.step_index(r.step) < need]


# --- incidents ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class IncidentFilter:
    operation: int | None = None
    district: str = ""
    tps: str = ""
    states: tuple[str, ...] = ()
    severities: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    open_only: bool = False


def incidents_visible(user, f: IncidentFilter = IncidentFilter()) -> QuerySet:
    """Incidents of the user's area, most severe first, then newest."""
    from django.db.models import Case, IntegerField, Value, When

    qs = scope(user, Incident.objects.select_related("district", "village", "tps"))
    if f.operation:
        qs = qs.filter(operation_id=f.operation)
    if f.district:
        qs = qs.filter(district__code=f.district)
    if f.tps:
        qs = qs.filter(tps__code=f.tps)
    if f.states:
        qs = qs.filter(state__in=f.states)
    if f.open_only:
        qs = qs.filter(state__in=rules.OPEN_STATES)
    if f.severities:
        qs = qs.filter(severity__in=f.severities)
    if f.types:
        qs = qs.filter(type__in=f.types)
    rank = Case(*[When(severity=s, then=Value(i)) for s, i in rules.SEVERITY_RANK.items()], output_field=IntegerField())
    return qs.annotate(severity_rank=rank).order_by("-severity_rank", "-at", "-id")


def incident_counts(user, operation: Operation) -> dict[str, dict[str, int]]:
    """{severity: {state: count}} of the operation's incidents in the user's area."""
    from django.db.models import Count

    counts = {s: {st: 0 for st in rules.INCIDENT_STATES} for s in rules.SEVERITIES}
    rows = scope(user, Incident.objects.filter(operation=operation)).values("severity", "state").annotate(n=Count("id"))
    for row in rows:
        counts[row["severity"]][row["state"]] = row["n"]
    return counts


def escalation_by_district(user, operation: Operation) -> list[dict[str, Any]]:
    """Every district of the user's area in the operation with its level (green/yellow/red, rules.escalation), its
    open incidents by severity and the reason."""
    from django.db.models import Count

    from siaga.regions.models import District

    districts = scope(user, District.objects.filter(regency__in=operation.election.regencies.values("pk")))
    open_counts: dict[int, dict[str, int]] = {}
    for row in (scope(user, Incident.objects.filter(operation=operation, state__in=rules.OPEN_STATES))
                .values("district_id", "severity").annotate(n=Count("id"))):
        open_counts.setdefault(row["district_id"], {})[row["severity"]] = row["n"]
    out = []
    for d in districts.order_by("code"):
        counts = {s: open_counts.get(d.pk, {}).get(s, 0) for s in rules.SEVERITIES}
        level, reason = rules.escalation(counts)
        out.append({"district": d.code, "name": d.name, "level": level, "open": counts, "reason": reason})
    return out


# --- reserves ----------------------------------------------------------------------------------------------

def reserve_squads(user, operation: Operation, context: OpContext | None = None) -> list[dict[str, Any]]:
    """The reserve squads of the operation's current plan (shared by the whole operation) with their state.

    A squad lists only the people the user may see (the ``forces.personnel`` scope: people of units inside the
    user's area); its strength counts everyone. Partners read it through the ``operations.squad`` policy."""
    from siaga.forces.models import Personnel
    from siaga.operations.context import operation_context
    from siaga.operations.squads import squad_states

    context = context or operation_context(operation)
    states = squad_states(context)
    everyone = {code for s in states for code in s.squad.personnel}
    visible = set(scope(user, Personnel.objects.filter(code__in=everyone)).values_list("code", flat=True)) \
        if everyone else set()
    return [{"id": s.squad.id, "unit": s.squad.unit, "kind": s.squad.kind, "lat": s.squad.lat, "lon": s.squad.lon,
             "strength": len(s.squad.personnel), "personnel": [c for c in s.squad.personnel if c in visible],
             "state": s.state, "incident": s.incident_id, "since": s.since} for s in states]


# --- the event log -----------------------------------------------------------------------------------------

#: How long a gap in the event ids may be an insert still in flight. On PostgreSQL ids are taken when the row is
#: written but become visible at commit, so a later id can be seen before an earlier one; a reader that moved its
#: cursor past the gap would never get the earlier event. Readers stop before a gap younger than this; an older gap
#: is a rolled-back transaction and is passed over. Every service writes its event last, right before commit.
GAP_WAIT = dt.timedelta(seconds=5)


def events_horizon(after: int, limit: int = 500, now: dt.datetime | None = None) -> int:
    """The largest id up to which every event after ``after`` is either visible or known to be lost (rolled back):
    the stream may move its cursor there. Looks at most ``limit`` ids past ``after`` (all areas: a gap is a gap)."""
    from siaga.operations.models import OpsEvent

    now = now or timezone.now()
    horizon = after
    for event_id, at in OpsEvent.objects.filter(id__gt=after).order_by("id").values_list("id", "at")[:limit]:
        gap = event_id != horizon + 1 and horizon > 0  # ids below the first event ever seen are not a gap
        if gap and now - at < GAP_WAIT:
            break
        horizon = event_id
    return horizon


def events_cursor(now: dt.datetime | None = None) -> int:
    """Where a newly opened board starts streaming after reading the current state: the last event older than
    GAP_WAIT. The few events after it are sent again; they carry whole states, so applying them twice is harmless."""
    from siaga.operations.models import OpsEvent

    now = now or timezone.now()
    return OpsEvent.objects.filter(at__lt=now - GAP_WAIT).order_by("-id").values_list("id", flat=True).first() or 0


def events_after(user, after: int, limit: int = 500, operation_id: int | None = None, *, advance: bool = True,
                 now: dt.datetime | None = None) -> list[tuple[int, str, dict]]:
    """(id, kind, payload) of the events of the user's area after ``after``, oldest first, at most ``limit``
    (the ``Poll`` of siaga.web.sse). Stops before an id that may still be in flight (events_horizon). With
    ``advance``, a last ``(horizon, "cursor", {})`` entry moves the reader's cursor past events it may not see, so a
    district with no news does not rescan the others' events forever; clients ignore the ``cursor`` kind."""
    from siaga.operations.models import OpsEvent

    horizon = events_horizon(after, limit, now)
    if horizon <= after:
        return []
    qs = scope(user, OpsEvent.objects.filter(id__gt=after, id__lte=horizon))
    if operation_id is not None:
        qs = qs.filter(operation_id=operation_id)
    events = [(i, k, p) for i, k, p in qs.order_by("id").values_list("id", "kind", "payload")[:limit]]
    if advance and len(events) < limit and (not events or events[-1][0] < horizon):
        events.append((horizon, "cursor", {}))
    return events
