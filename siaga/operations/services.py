"""Writes of election day: TPS status reports, incidents and their transitions, dispatch of reserve squads.

Each write is one transaction that ends with its OpsEvent row (the board's stream), so the event commits with
the change. Reports are idempotent by the sender's client id (unique per user): the first request stores, a
replay returns the stored row with ``replayed=True``, a replay with another body raises ReplayConflict (HTTP 409).
Exactly once under concurrent duplicates comes from the unique constraint, not from a read before the write.

Status reports are their own audit record (immutable rows with user and receive time, plus their event) and are
not copied to the audit trail, to keep the hot path at two INSERTs; incidents and dispatches are audited.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Avg
from django.utils import timezone

from siaga.core.idempotency import (  # noqa: F401 - re-exported for callers of this module
    FUTURE_TOLERANCE,
    ReplayConflict,
    check_replay,
    clean_at,
    clean_client_id,
)
from siaga.core.services import audit_record
from siaga.operations import rules
from siaga.operations.context import OpContext, operation_context, plan_facts
from siaga.operations.models import Dispatch, Incident, IncidentEvent, OpsEvent, StatusReport
from siaga.operations.payloads import incident_payload, squad_payload, status_payload
from siaga.operations.photos import photo_check, photo_name
from siaga.operations.squads import Ranked, busy_dispatches, rank_squads

NOTE_MAX, TEXT_MAX = 300, 2000


class StateConflict(Exception):
    """The incident or squad is not in the state the caller expected (someone else moved it first; HTTP 409)."""


# --- input checks ------------------------------------------------------------------------------------------

def _text(value: str | None, field: str, limit: int, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError(f"{field}: wajib diisi")
    if len(value) > limit:
        raise ValidationError(f"{field}: paling banyak {limit} karakter (ada {len(value)})")
    return value


def _choice(value: str, allowed: tuple[str, ...] | frozenset[str], field: str) -> str:
    if value not in allowed:
        raise ValidationError(f"{field}: '{value}' tidak dikenal; pilih: {', '.join(allowed)}")
    return value


def event_append(*, operation_id: int, district_id: int, kind: str, payload: dict) -> OpsEvent:
    """Append to the election-day event log (also for other apps, e.g. escort hand-overs). Call it last inside the
    writing transaction, so the row commits right after it gets its id (see selectors.GAP_WAIT); keep ``payload``
    a whole state without personal data."""
    return OpsEvent.objects.create(operation_id=operation_id, district_id=district_id, kind=kind, payload=payload)


# --- TPS status --------------------------------------------------------------------------------------------

def status_report(*, tps, context: OpContext, status: str, at: dt.datetime | None, client_id: str, actor: str,
                  user, note: str = "") -> tuple[StatusReport, bool]:
    """Store one status step for a TPS (``tps`` with ``village.district`` loaded). Returns (report, replayed).

    Any step may follow any other: a skipped step is implied, an earlier step after a later one is a correction
    (both show in the timeline). Two INSERTs on the first request; a replay reads the stored row.
    """
    status = _choice(status, rules.STEPS, "status")
    at, note, client_id = clean_at(at), _text(note, "note", NOTE_MAX), clean_client_id(client_id)
    district = tps.village.district
    report = StatusReport(operation_id=context.operation_id, tps_id=tps.pk, district_id=district.pk, status=status,
                          at=at, reported_by=user, actor=actor, client_id=client_id, note=note)
    try:
        if connection.vendor == "postgresql":
            _status_insert_pg(report, tps.code, district.code)
        else:
            with transaction.atomic():
                report.save(force_insert=True)
                event_append(operation_id=context.operation_id, district_id=district.pk, kind="tps_status",
                             payload=status_payload(report, tps.code, district.code))
    except IntegrityError:
        stored = StatusReport.objects.filter(reported_by=user, client_id=client_id).first()
        if stored is None:
            raise
        return check_replay(stored, {"tps_id": tps.pk, "operation_id": context.operation_id, "status": status,
                                     "at": at, "note": note}, "laporan status"), True
    return report, False


_STATUS_SQL = None


def _status_sql() -> str:
    """One statement that inserts the report and its event (the payload gets the report's new id): a single round
    trip, atomic on its own in autocommit, instead of BEGIN, two INSERTs and COMMIT."""
    global _STATUS_SQL
    if _STATUS_SQL is None:
        r, e = StatusReport._meta.db_table, OpsEvent._meta.db_table
        _STATUS_SQL = (
            f'WITH r AS (INSERT INTO "{r}" (operation_id, tps_id, district_id, status, at, received_at, reported_by_id,'
            f" actor, client_id, note) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id)"
            f' INSERT INTO "{e}" (at, operation_id, district_id, kind, payload)'
            f" SELECT %s, %s, %s, 'tps_status', jsonb_set(%s::jsonb, '{{id}}', to_jsonb(r.id)) FROM r"
            f" RETURNING (payload->>'id')::bigint")
    return _STATUS_SQL


def _status_insert_pg(report: StatusReport, tps_code: str, district_code: str) -> None:
    """PostgreSQL: store the report and its event in one statement (a savepoint when inside a transaction, so a
    duplicate key leaves the outer transaction usable). Raises IntegrityError on a duplicate, like the ORM path."""
    import json

    payload = json.dumps(status_payload(report, tps_code, district_code))
    params = (report.operation_id, report.tps_id, report.district_id, report.status, report.at, report.received_at,
              report.reported_by_id, report.actor, report.client_id, report.note,
              report.received_at, report.operation_id, report.district_id, payload)
    if connection.in_atomic_block:
        with transaction.atomic():
            report.pk = _insert_prepared(_status_sql(), params)
    else:
        report.pk = _insert_prepared(_status_sql(), params)
    report._state.adding = False


def _insert_prepared(sql: str, params: tuple) -> int:
    """Run the statement as a prepared statement with server-side parameters (psycopg's own cursor: PostgreSQL
    parses and plans it once per connection, not once per report) and return the first column of its row.
    Database errors arrive as Django's (IntegrityError on a duplicate); the statement is logged where Django logs
    queries (DEBUG, CaptureQueriesContext), as its own cursor would."""
    import psycopg

    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        if connection.queries_logged:
            with connection.make_debug_cursor(cursor).debug_sql(sql, params):
                cursor.execute(sql, params, prepare=True)
        else:
            cursor.execute(sql, params, prepare=True)
        return cursor.fetchone()[0]


# --- incidents ---------------------------------------------------------------------------------------------

def _place(tps, village, district, lat, lon) -> tuple[float, float, str]:
    """Coordinates of an incident: the sender's, else the TPS's, else the mean of the village's (district's) TPS."""
    from siaga.regions.models import TPS

    if (lat is None) != (lon is None):
        raise ValidationError("lat/lon: kirim keduanya atau tidak sama sekali")
    if lat is not None:
        return float(lat), float(lon), Incident.LocationSource.GPS
    if tps is not None:
        return tps.lat, tps.lon, Incident.LocationSource.TPS
    where = {"village": village} if village is not None else {"village__district": district}
    mean = TPS.objects.filter(**where).aggregate(lat=Avg("lat"), lon=Avg("lon"))
    if mean["lat"] is None:
        raise ValidationError("lat/lon: wilayah ini belum punya TPS; kirim koordinat kejadian")
    source = Incident.LocationSource.VILLAGE if village is not None else Incident.LocationSource.DISTRICT
    return mean["lat"], mean["lon"], source


def incident_report(*, context: OpContext, district, type: str, severity: str, text: str, client_id: str,
                    actor: str, user, at: dt.datetime | None = None, tps=None, village=None, lat: float | None = None,
                    lon: float | None = None, photo: bytes | None = None,
                    photo_type: str = "") -> tuple[Incident, bool]:
    """Store a new incident (state ``new``) with its first history row. Returns (incident, replayed)."""
    from siaga.domain.vocab import INDONESIA_LAT, INDONESIA_LON

    type = _choice(type, rules.INCIDENT_TYPES, "type")
    severity = _choice(severity, rules.SEVERITIES, "severity")
    at_given = at is not None
    text, at, client_id = _text(text, "text", TEXT_MAX, required=True), clean_at(at), clean_client_id(client_id)
    lat, lon, source = _place(tps, village, district, lat, lon)
    if not (INDONESIA_LAT[0] <= lat <= INDONESIA_LAT[1] and INDONESIA_LON[0] <= lon <= INDONESIA_LON[1]):
        raise ValidationError(f"lat/lon: ({lat}, {lon}) di luar Indonesia")
    digest = ""
    if photo is not None:
        photo_type, digest = photo_check(photo, photo_type)
    now = timezone.now()
    incident = Incident(operation_id=context.operation_id, district=district, village=village, tps=tps, type=type,
                        severity=severity, text=text, lat=lat, lon=lon, location_source=source, at=at,
                        received_at=now, updated_at=now, reported_by=user, actor=actor, client_id=client_id,
                        photo_type=photo_type if photo is not None else "", photo_sha256=digest)
    try:
        with transaction.atomic():
            if photo is not None:
                from django.core.files.base import ContentFile

                incident.photo.save(photo_name(photo_type), ContentFile(photo), save=False)
            incident.save(force_insert=True)
            IncidentEvent.objects.create(incident=incident, at=now, user=user, actor=actor, to_state=rules.NEW,
                                         details={"severity": severity})
            audit_record(actor=actor, user=user, action="incident.report", target=f"incident:{incident.pk}",
                         details={"type": type, "severity": severity, "tps": tps.code if tps else None})
            event_append(operation_id=context.operation_id, district_id=district.pk, kind="incident",
                   payload=incident_payload(incident, district.code, tps.code if tps else None))
    except IntegrityError:
        if incident.photo:
            incident.photo.delete(save=False)
        stored = Incident.objects.filter(reported_by=user, client_id=client_id).first()
        if stored is None:
            raise
        sent = {"type": type, "severity": severity, "text": text, "tps_id": tps.pk if tps else None,
                "district_id": district.pk, "photo_sha256": digest, **({"at": at} if at_given else {})}
        return check_replay(stored, sent, "laporan insiden"), True
    except Exception:
        if incident.photo:
            incident.photo.delete(save=False)
        raise
    return incident, False


def _incident_changed(incident: Incident, *, actor: str, user, from_state: str, note: str, details: dict,
                      action: str) -> None:
    """History row, audit event and the board's event for a change of ``incident`` (already saved)."""
    IncidentEvent.objects.create(incident=incident, at=incident.updated_at, user=user, actor=actor,
                                 from_state=from_state, to_state=incident.state, note=note, details=details)
    audit_record(actor=actor, user=user, action=action, target=f"incident:{incident.pk}",
                 details={"from": from_state, "to": incident.state, "note": note, **details})
    district = incident.district
    event_append(operation_id=incident.operation_id, district_id=district.pk, kind="incident",
           payload=incident_payload(incident, district.code, incident.tps.code if incident.tps_id else None))


def _squads_follow(incident: Incident, now: dt.datetime) -> None:
    """Move the incident's squads with it: on scene; released (back) when it is resolved or rejected; free when
    it is closed. One event per squad that changed."""
    moves = {rules.ON_SCENE: ((rules.SQUAD_DISPATCHED,), rules.SQUAD_ON_SCENE, "arrived_at"),
             rules.RESOLVED: ((rules.SQUAD_DISPATCHED, rules.SQUAD_ON_SCENE), rules.SQUAD_BACK, "released_at"),
             rules.REJECTED: ((rules.SQUAD_DISPATCHED, rules.SQUAD_ON_SCENE), rules.SQUAD_BACK, "released_at"),
             rules.CLOSED_INCIDENT: ((rules.SQUAD_BACK,), rules.SQUAD_DONE, "freed_at")}
    move = moves.get(incident.state)
    if move is None:
        return
    sources, target, stamp = move
    for d in Dispatch.objects.filter(incident=incident, state__in=sources).order_by("pk"):
        d.state = target
        setattr(d, stamp, now)
        d.save(update_fields=["state", stamp])
        event_append(operation_id=incident.operation_id, district_id=incident.district_id, kind="squad",
               payload=squad_payload(d))


def incident_transition(*, incident_id: int, to: str, actor: str, user=None, note: str = "",
                        severity: str | None = None, expected: str | None = None) -> Incident:
    """Move an incident along its lifecycle (rules.TRANSITIONS); refuse anything else with a clear error.

    ``expected`` = the state the caller saw (StateConflict when it changed meanwhile); ``severity`` re-grades it
    (on verification, usually). ``dispatched`` is reached only through dispatch_accept.
    """
    to = _choice(to, rules.INCIDENT_STATES, "to")
    note = _text(note, "note", 500, required=to in rules.NOTE_REQUIRED)
    if severity is not None:
        severity = _choice(severity, rules.SEVERITIES, "severity")
    if to == rules.DISPATCHED:
        raise ValidationError("to: 'dispatched' lewat pengerahan cadangan (POST /api/v1/incidents/{id}/dispatch)")
    with transaction.atomic():
        incident = (Incident.objects.select_for_update(of=("self",)).select_related("district", "tps")
                    .get(pk=incident_id))
        current = incident.state
        if expected is not None and expected != current:
            raise StateConflict(f"insiden #{incident.pk} sudah berstatus '{current}', bukan '{expected}'")
        if not rules.transition_allowed(current, to):
            allowed = ", ".join(sorted(rules.TRANSITIONS[current])) or "tidak ada (sudah berakhir)"
            raise ValidationError(f"to: dari '{current}' tidak bisa ke '{to}'; yang boleh: {allowed}")
        details = {}
        if severity is not None and severity != incident.severity:
            details = {"severity_from": incident.severity, "severity": severity}
            incident.severity = severity
        incident.state, incident.updated_at = to, timezone.now()
        incident.save(update_fields=["state", "severity", "updated_at"])
        _squads_follow(incident, incident.updated_at)
        _incident_changed(incident, actor=actor, user=user, from_state=current, note=note, details=details,
                          action="incident.transition")
    return incident


# --- dispatch ----------------------------------------------------------------------------------------------

def dispatch_propose(incident: Incident, context: OpContext | None = None) -> tuple[list[Ranked], object]:
    """The free squads of the operation's current plan, nearest to the incident first (a read, no write).
    Returns (ranked squads, plan facts or None when the operation has no plan)."""
    context = context or operation_context(incident.operation)
    if context.plan_key is None:
        return [], None
    facts = plan_facts(context.plan_key)
    busy = frozenset(busy_dispatches(context.operation_id))
    return rank_squads(incident.lat, incident.lon, facts.squads, facts.road_factor, busy), facts


def dispatch_accept(*, incident_id: int, actor: str, user=None, squad: str | None = None,
                    note: str = "") -> tuple[Dispatch, bool]:
    """Send a squad (the proposed one when ``squad`` is None) to a verified or already-served incident.

    Returns (dispatch, created): the same squad already on this incident is returned as it is. A squad busy
    elsewhere raises StateConflict (also under a race: the database allows one active dispatch per squad).
    """
    note = _text(note, "note", NOTE_MAX)
    with transaction.atomic():
        incident = (Incident.objects.select_for_update(of=("self",))
                    .select_related("district", "tps", "operation__election").get(pk=incident_id))
        if incident.state not in (rules.VERIFIED, rules.DISPATCHED, rules.ON_SCENE):
            raise ValidationError(f"state: insiden berstatus '{incident.state}'; cadangan dikerahkan untuk insiden "
                                  "yang sudah diverifikasi dan belum tertangani")
        context = operation_context(incident.operation)
        ranked, facts = dispatch_propose(incident, context)
        if facts is None:
            raise ValidationError("squad: operasi ini belum punya rencana dengan regu cadangan")
        proposed = ranked[0].squad.id if ranked else ""
        squad = (squad or "").strip() or proposed
        if not squad:
            raise ValidationError("squad: tidak ada regu cadangan yang siaga")
        known = {s.id: s for s in facts.squads}
        if squad not in known:
            raise ValidationError(f"squad: regu '{squad}' tidak ada dalam rencana versi {facts.version}")
        holding = Dispatch.objects.filter(operation_id=incident.operation_id, squad=squad,
                                          state__in=rules.SQUAD_BUSY).first()
        if holding is not None:
            if holding.incident_id == incident.pk:
                return holding, False
            raise StateConflict(f"regu {squad} sedang bertugas di insiden #{holding.incident_id}")
        distance = next((r.distance_km for r in ranked if r.squad.id == squad), 0.0)
        now = timezone.now()
        dispatch = Dispatch(operation_id=incident.operation_id, incident=incident, squad=squad,
                            plan_id=context.plan_id, plan_version=facts.version, proposed_squad=proposed,
                            distance_km=distance, accepted_at=now, accepted_by=user, actor=actor, note=note)
        try:
            with transaction.atomic():
                dispatch.save(force_insert=True)
        except IntegrityError:
            raise StateConflict(f"regu {squad} baru saja dikerahkan ke insiden lain") from None
        from_state = incident.state
        if from_state == rules.VERIFIED:
            incident.state = rules.DISPATCHED
        incident.updated_at = now
        incident.save(update_fields=["state", "updated_at"])
        event_append(operation_id=incident.operation_id, district_id=incident.district_id, kind="squad",
               payload=squad_payload(dispatch))
        _incident_changed(incident, actor=actor, user=user, from_state=from_state, note=note,
                          details={"squad": squad, "proposed": proposed, "distance_km": distance},
                          action="incident.dispatch")
    return dispatch, True


def squad_free(*, operation_id: int, squad: str, actor: str, user=None, note: str = "") -> Dispatch:
    """A squad released from its incident (``back``) reports at its base: it is free to be proposed again."""
    note = _text(note, "note", NOTE_MAX)
    with transaction.atomic():
        dispatch = (Dispatch.objects.select_for_update(of=("self",)).select_related("incident")
                    .filter(operation_id=operation_id, squad=squad, state__in=rules.SQUAD_BUSY).first())
        if dispatch is None:
            raise ValidationError(f"squad: regu '{squad}' tidak sedang bertugas")
        if dispatch.state != rules.SQUAD_BACK:
            raise ValidationError(f"squad: regu {squad} masih bertugas di insiden #{dispatch.incident_id}; "
                                  "tandai insiden tertangani dulu")
        dispatch.state, dispatch.freed_at = rules.SQUAD_DONE, timezone.now()
        if note:
            dispatch.note = (dispatch.note + " | " + note)[-NOTE_MAX:] if dispatch.note else note
        dispatch.save(update_fields=["state", "freed_at", "note"])
        audit_record(actor=actor, user=user, action="squad.free", target=f"squad:{operation_id}/{squad}",
                     details={"incident": dispatch.incident_id, "note": note})
        event_append(operation_id=operation_id, district_id=dispatch.incident.district_id, kind="squad",
               payload=squad_payload(dispatch))
    return dispatch
