"""The command board's picture at one moment, as far as election-day operations go (siaga.web.board adds escort).

One snapshot answers /posko/data.json; server-sent events (/posko/events) only tell the page that something
changed. ``now`` can be any moment, so an exercise (latihan) can replay a past voting day.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from siaga.elections.models import Operation
from siaga.operations import rules
from siaga.operations.models import Dispatch, IncidentState, IncidentType, Severity, Step
from siaga.operations.selectors import (
    OPENING,
    IncidentFilter,
    escalation_by_district,
    incidents_visible,
    local_moment,
    reserve_squads,
    tps_board,
)

SILENT_MINUTES = 60
MAX_ALERTS = 60
MAX_INCIDENTS = 100
FLAG_OVERDUE, FLAG_SILENT = 1, 2
SQUAD_LABELS = {rules.SQUAD_FREE: "Siaga (bebas)", **{s: str(label) for s, label in Dispatch.State.choices}}


def board_snapshot(user, operation: Operation, now: dt.datetime | None = None,
                   silent_minutes: int = SILENT_MINUTES) -> dict[str, Any]:
    """Counts, alerts, TPS points, open incidents, district levels and reserves at ``now`` (the web's board adds
    the late escort legs: siaga.web.board)."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    day = operation.election.voting_day
    rows = tps_board(user, operation, until=now)
    on_the_day = local.date() == day
    opened = rules.step_index(rules.OPENED)
    expected = (rules.LAST_STEP if local.date() > day else rules.expected_step(local.time()) if on_the_day else None)
    need = rules.step_index(expected)
    silent_since = now - dt.timedelta(minutes=silent_minutes)
    step_labels = dict(Step.choices)

    points, alerts, counts = [], [], {"tps": len(rows), "opened": 0, "not_opened": 0, "silent": 0, "overdue": 0}
    for r in rows:
        index = rules.step_index(r.step)
        flags = 0
        counts["opened"] += index >= opened
        if on_the_day and now >= local_moment(day, OPENING) and index < opened:
            counts["not_opened"] += 1
        if expected is not None and index < need:
            flags |= FLAG_OVERDUE
            counts["overdue"] += 1
            alerts.append({"kind": "overdue", "tps": r.code, "text": _("%(tps)s (%(district)s) belum melapor: %(step)s")
                           % {"tps": r.label, "district": r.district_name, "step": step_labels[expected]}})
        if on_the_day and r.step != rules.LAST_STEP and (r.at is None or r.at < silent_since):
            flags |= FLAG_SILENT
            counts["silent"] += 1
            if not flags & FLAG_OVERDUE:
                alerts.append({"kind": "silent", "tps": r.code, "text": _("%(tps)s (%(district)s) diam lebih dari "
                               "%(minutes)s menit") % {"tps": r.label, "district": r.district_name,
                                                        "minutes": silent_minutes}})
        points.append([r.code, round(r.lat, 6), round(r.lon, 6), index, flags])
    more = len(alerts) - MAX_ALERTS
    alerts = alerts[:MAX_ALERTS]
    if more > 0:
        alerts.append({"kind": "more", "tps": "", "text": _("dan %(n)s peringatan lain") % {"n": more}})

    incidents = _incidents(user, operation)
    counts["open_incidents"] = len(incidents)
    return {"operation": operation.pk, "now": now.isoformat(), "now_label": local.strftime("%d-%m-%Y %H:%M"),
            "voting_day": day.isoformat(), "synthetic": operation.synthetic, "counts": counts, "alerts": alerts,
            "tps": points, "incidents": incidents, "districts": escalation_by_district(user, operation),
            "reserves": [{**s, "state_label": SQUAD_LABELS.get(s["state"], s["state"]), "since": None}
                         for s in reserve_squads(user, operation)]}


def _incidents(user, operation: Operation) -> list[dict[str, Any]]:
    types, severities, states = dict(IncidentType.choices), dict(Severity.choices), dict(IncidentState.choices)
    qs = incidents_visible(user, IncidentFilter(operation=operation.pk, open_only=True))[:MAX_INCIDENTS]
    busy = {d.incident_id: d.squad for d in Dispatch.objects.filter(operation=operation, state__in=rules.SQUAD_BUSY)}
    out = []
    for i in qs:
        where = i.tps.code if i.tps_id else (i.village.name if i.village_id else i.district.name)
        out.append({"id": i.pk, "type": i.type, "type_label": str(types[i.type]), "severity": i.severity,
                    "severity_label": str(severities[i.severity]), "state": i.state,
                    "state_label": str(states[i.state]), "where": f"{where}, {i.district.name}",
                    "at_label": timezone.localtime(i.at).strftime("%H:%M"), "text": i.text[:160],
                    "lat": i.lat, "lon": i.lon, "squad": busy.get(i.pk, ""),
                    "next": sorted(rules.TRANSITIONS.get(i.state, frozenset()) - {rules.DISPATCHED}),
                    "can_dispatch": i.state == rules.VERIFIED})
    return out


def describe_event(kind: str, payload: dict[str, Any], texts: dict | None = None) -> dict[str, Any]:
    """The event as the board's ticker shows it: the payload plus one line of text and the local time. Kinds of
    other apps (escort) get their own text from ``texts`` (kind -> payload -> text)."""
    at = payload.get("updated_at") or payload.get("at") or payload.get("since")
    at_label = timezone.localtime(dt.datetime.fromisoformat(at.replace("Z", "+00:00"))).strftime("%H:%M") if at else ""
    if kind in (texts or {}):
        return {**payload, "text": str(texts[kind](payload)), "at_label": at_label}
    if kind == "tps_status":
        text = _("TPS %(tps)s: %(step)s") % {"tps": payload.get("tps"),
                                             "step": dict(Step.choices).get(payload.get("status"), payload.get("status"))}
    elif kind == "incident":
        text = _("Insiden #%(id)s %(type)s (%(severity)s): %(state)s") % {
            "id": payload.get("id"), "type": dict(IncidentType.choices).get(payload.get("type"), ""),
            "severity": dict(Severity.choices).get(payload.get("severity"), ""),
            "state": dict(IncidentState.choices).get(payload.get("state"), payload.get("state"))}
    elif kind == "squad":
        text = _("Regu %(squad)s: %(state)s") % {"squad": payload.get("squad"),
                                                  "state": SQUAD_LABELS.get(payload.get("state"), payload.get("state"))}
    else:
        text = kind
    return {**payload, "text": str(text), "at_label": at_label}
