"""JSON shapes of election-day records, shared by the event log (no personal data) and the API answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from siaga.operations import rules


def iso(value: dt.datetime | None) -> str | None:
    """UTC ISO-8601 with a Z: the first answer and a replay (read back from the database) print the same."""
    if value is None:
        return None
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def status_payload(report, tps_code: str, district_code: str) -> dict[str, Any]:
    """A status report as the event log carries it (and the base of the API's answer)."""
    return {"id": report.pk, "operation": report.operation_id, "tps": tps_code, "district": district_code,
            "status": report.status, "step": rules.step_index(report.status) + 1, "at": iso(report.at),
            "received_at": iso(report.received_at)}


def incident_payload(incident, district_code: str, tps_code: str | None) -> dict[str, Any]:
    """An incident's current state for the board: what, how serious, where, which state. No text, no reporter."""
    return {"id": incident.pk, "operation": incident.operation_id, "type": incident.type,
            "severity": incident.severity, "state": incident.state, "district": district_code, "tps": tps_code,
            "lat": incident.lat, "lon": incident.lon, "at": iso(incident.at), "updated_at": iso(incident.updated_at)}


def squad_payload(dispatch) -> dict[str, Any]:
    """A reserve squad's state after a dispatch changed it (``free`` once the dispatch is done)."""
    state = rules.SQUAD_FREE if dispatch.state == rules.SQUAD_DONE else dispatch.state
    return {"squad": dispatch.squad, "operation": dispatch.operation_id, "state": state,
            "incident": None if state == rules.SQUAD_FREE else dispatch.incident_id, "dispatch": dispatch.pk,
            "distance_km": dispatch.distance_km, "since": iso(dispatch.freed_at or dispatch.released_at
                                                             or dispatch.arrived_at or dispatch.accepted_at)}
