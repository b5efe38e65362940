"""Routes of election day: TPS status reports, incidents, their transitions and dispatch, reserve squads, events.

Reports are idempotent: send an ``Idempotency-Key`` header (or ``client_id`` in the body). The first request
answers 201 with the stored report, a replay 200 with the same body (header ``Idempotent-Replayed: true``), the
same key with another body 409. See docs/operations.md.
"""

from __future__ import annotations

from typing import Annotated

from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Header, Path, Query, Router, Status
from ninja.errors import HttpError

from siaga.accounts.policy import require_reader, require_writer
from siaga.accounts.scoping import district_in_area, get_visible_or_404
from siaga.api.common import redacted, user_of
from siaga.api.operations_schemas import (
    DispatchIn,
    DispatchOut,
    EventsOut,
    FreeIn,
    IncidentDetailOut,
    IncidentFilters,
    IncidentIn,
    IncidentOut,
    ProposalOut,
    SquadOut,
    StatusIn,
    StatusOut,
    TimelineOut,
    TransitionIn,
)
from siaga.api.pagination import DB_INT_MAX, PageParams, page, page_of
from siaga.core.idempotency import key_of
from siaga.core.services import write_as
from siaga.elections.models import Operation
from siaga.operations import selectors as sel
from siaga.operations import services
from siaga.operations.access import require_place_report, require_tps_report
from siaga.operations.context import operation_for_regency, tps_for_report
from siaga.operations.models import Dispatch, Incident, IncidentEvent, StatusReport
from siaga.operations.payloads import iso, status_payload

router = Router(tags=["hari pemungutan suara"])

Id = Annotated[int, Path(ge=1, le=DB_INT_MAX)]
KEY_HEADER = Header(None, alias="Idempotency-Key", description="Client id of this report (e.g. a UUID); required.")


# --- helpers -------------------------------------------------------------------------------------------------

def _context(user, tps, when, operation_id):
    """The TPS's operation; a TPS outside the user's area answers 404 before any 'no operation' message (400), so
    other areas cannot be probed. The area is looked up only then: the hot path stays lean."""
    from django.core.exceptions import ValidationError

    try:
        return operation_for_regency(tps.village.district.regency_id, when, operation_id)
    except ValidationError:
        if not district_in_area(user, tps.village.district_id):
            raise Http404("TPS tidak ditemukan") from None
        raise


def _key(header: str | None, body_value: str | None) -> str:
    """The report's idempotency key (siaga.core.idempotency: header or body; 400 when missing or different)."""
    return key_of(header, body_value)


def _written(call, *args, **kwargs):
    """Run a service; its conflicts answer 409 with their message."""
    try:
        return call(*args, **kwargs)
    except (services.ReplayConflict, services.StateConflict) as exc:
        raise HttpError(409, str(exc)) from None


def _status_out(report, tps_code: str, district_code: str) -> dict:
    return {**status_payload(report, tps_code, district_code), "reported_by": report.actor,
            "note": report.note, "client_id": report.client_id}


def _reply(body: dict, replayed: bool) -> JsonResponse:
    response = JsonResponse(body, status=200 if replayed else 201)
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response


def _incident_out(i: Incident) -> dict:
    return {"id": i.pk, "operation": i.operation_id, "type": i.type, "severity": i.severity, "state": i.state,
            "text": i.text, "district": i.district.code, "district_name": i.district.name,
            "village": i.village.code if i.village_id else None, "tps": i.tps.code if i.tps_id else None,
            "lat": i.lat, "lon": i.lon, "location_source": i.location_source, "at": iso(i.at),
            "received_at": iso(i.received_at), "updated_at": iso(i.updated_at),
            "reported_by": i.actor,
            "photo_url": reverse("web:incident-photo", args=[i.pk]) if i.photo else None,
            "client_id": i.client_id}


def _dispatch_out(d: Dispatch) -> dict:
    return {"id": d.pk, "squad": d.squad, "state": d.state, "distance_km": d.distance_km,
            "proposed_squad": d.proposed_squad, "plan_version": d.plan_version, "accepted_at": iso(d.accepted_at),
            "accepted_by": d.actor, "arrived_at": iso(d.arrived_at),
            "released_at": iso(d.released_at), "freed_at": iso(d.freed_at), "note": d.note}


def _incident_qs():
    return Incident.objects.select_related("district", "village", "tps")


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(x.strip() for x in (text or "").split(",") if x.strip())


# --- TPS status ----------------------------------------------------------------------------------------------

@router.post("/tps/{tps_id}/status", response={200: StatusOut, 201: StatusOut},
             summary="Report a TPS status step (idempotent by Idempotency-Key)")
def tps_status_report(request, tps_id: str, body: StatusIn, idempotency_key: str | None = KEY_HEADER):
    return _reply(*status_submit(user_of(request), tps_id, body, idempotency_key))


def status_submit(user, tps_id: str, body: StatusIn, idempotency_key: str | None) -> tuple[dict, bool]:
    """Check and store one status report: (answer body, replayed). Shared by the route above and the lean WSGI
    path (siaga.api.fastpath), so both answer alike; refusals raise what the route's error handlers turn into
    400/403/404/409/422."""
    require_writer(user, StatusReport)
    key = _key(idempotency_key, body.client_id)
    tps = tps_for_report(tps_id)
    district = tps.village.district
    context = _context(user, tps, body.at, body.operation)
    require_tps_report(user, tps, context.plan_key)
    report, replayed = _written(write_as, user, services.status_report, tps=tps, context=context, status=body.status,
                                at=body.at, client_id=key, note=body.note)
    return _status_out(report, tps.code, district.code), replayed


@router.get("/tps/{tps_id}/status", response=TimelineOut, summary="A TPS's status timeline (oldest first)")
@redacted("operations.timeline")
def tps_status_timeline(request, tps_id: str, operation: int | None = Query(None, ge=1, le=DB_INT_MAX)):
    from siaga.regions.models import TPS

    user = user_of(request)
    require_reader(user)
    tps = get_visible_or_404(user, TPS.objects.select_related("village__district"), code=tps_id)
    district = tps.village.district
    context = operation_for_regency(district.regency_id, timezone.now(), operation)
    items = [{**_status_out(row["report"], tps.code, district.code), "correction": row["correction"],
              "skipped": row["skipped"]} for row in sel.tps_timeline(tps, context.operation_id)]
    current = max(items, key=lambda r: (r["at"], r["id"])) if items else None
    return {"tps": tps.code, "operation": context.operation_id, "current": current, "items": items}


# --- incidents -----------------------------------------------------------------------------------------------

def _incident_place(user, body: IncidentIn):
    """(tps, village, district, context) of a new incident, checked against the user's post or area."""
    from siaga.regions.models import District, Village

    if body.tps:
        tps = tps_for_report(body.tps)
        village, district = tps.village, tps.village.district
        if (body.village and body.village != village.code) or (body.district and body.district != district.code):
            raise HttpError(400, "village/district: tidak cocok dengan TPS; kirim TPS saja")
        context = _context(user, tps, body.at or timezone.now(), body.operation)
        require_tps_report(user, tps, context.plan_key)
        return tps, village, district, context
    if body.village:
        village = get_visible_or_404(user, Village.objects.select_related("district"), code=body.village)
        district = village.district
    elif body.district:
        village, district = None, get_visible_or_404(user, District.objects.all(), code=body.district)
    else:
        raise HttpError(400, "tps, village atau district: sebutkan tempat kejadian")
    require_place_report(user, district.pk)
    return None, village, district, operation_for_regency(district.regency_id, body.at or timezone.now(),
                                                          body.operation)


@router.post("/incidents", response={200: IncidentOut, 201: IncidentOut},
             summary="Report an incident (idempotent by Idempotency-Key)")
def incident_report(request, body: IncidentIn, idempotency_key: str | None = KEY_HEADER):
    from siaga.operations.photos import photo_from_data_url

    user = user_of(request)
    require_writer(user, Incident)
    key = _key(idempotency_key, body.client_id)
    tps, village, district, context = _incident_place(user, body)
    photo, photo_type = photo_from_data_url(body.photo) if body.photo else (None, "")
    incident, replayed = _written(write_as, user, services.incident_report, context=context, district=district,
                                  village=village, tps=tps, type=body.type, severity=body.severity, text=body.text,
                                  at=body.at, lat=body.lat, lon=body.lon, photo=photo, photo_type=photo_type,
                                  client_id=key)
    if replayed:
        incident = _incident_qs().get(pk=incident.pk)
    return _reply(_incident_out(incident), replayed)


@router.get("/incidents", response=page_of(IncidentOut), summary="Incidents of your area, most severe first")
@redacted("operations.incident")
def incident_list(request, params: Query[PageParams], filters: Query[IncidentFilters]):
    user = user_of(request)
    require_reader(user)
    f = sel.IncidentFilter(operation=filters.operation, district=filters.district or "", tps=filters.tps or "",
                           states=_split(filters.state), severities=_split(filters.severity),
                           types=_split(filters.type), open_only=filters.open)
    return page(sel.incidents_visible(user, f), params, _incident_out)


def _detail(user, incident_id: int) -> dict:
    incident = get_visible_or_404(user, _incident_qs(), pk=incident_id)
    history = [{"at": iso(e.at), "by": e.actor, "from_state": e.from_state,
                "to_state": e.to_state, "note": e.note, "details": e.details} for e in incident.events.all()]
    return {**_incident_out(incident), "history": history,
            "dispatches": [_dispatch_out(d) for d in incident.dispatches.order_by("accepted_at", "pk")]}


@router.get("/incidents/{incident_id}", response=IncidentDetailOut, summary="One incident with its history")
@redacted("operations.incident")
def incident_detail(request, incident_id: Id):
    user = user_of(request)
    require_reader(user)
    return _detail(user, incident_id)


@router.post("/incidents/{incident_id}/transitions", response=IncidentDetailOut,
             summary="Move an incident along its lifecycle")
def incident_transition(request, incident_id: Id, body: TransitionIn):
    user = user_of(request)
    require_writer(user, IncidentEvent)
    get_visible_or_404(user, Incident.objects.all(), pk=incident_id)
    _written(write_as, user, services.incident_transition, incident_id=incident_id, to=body.to, note=body.note,
             severity=body.severity, expected=body.expected)
    return _detail(user, incident_id)


@router.get("/incidents/{incident_id}/dispatch", response=ProposalOut,
            summary="The free reserve squads nearest to the incident (the first is the proposal)")
@redacted("operations.proposal")
def dispatch_proposal(request, incident_id: Id):
    user = user_of(request)
    require_reader(user)
    incident = get_visible_or_404(user, Incident.objects.select_related("operation__election"), pk=incident_id)
    ranked, facts = services.dispatch_propose(incident)
    options = [{"squad": r.squad.id, "unit": r.squad.unit, "kind": r.squad.kind, "lat": r.squad.lat,
                "lon": r.squad.lon, "strength": len(r.squad.personnel), "distance_km": r.distance_km} for r in ranked]
    active = incident.dispatches.filter(state__in=("dispatched", "on_scene", "back")).order_by("pk")
    return {"incident": incident.pk, "plan_version": facts.version if facts else None,
            "road_factor": facts.road_factor if facts else None, "proposed": options[0] if options else None,
            "options": options, "active": [_dispatch_out(d) for d in active]}


@router.post("/incidents/{incident_id}/dispatch", response={200: DispatchOut, 201: DispatchOut},
             summary="Send a reserve squad (default: the proposed one); records who accepted")
def dispatch_accept(request, incident_id: Id, body: DispatchIn):
    user = user_of(request)
    require_writer(user, Dispatch)
    get_visible_or_404(user, Incident.objects.all(), pk=incident_id)
    dispatch, created = _written(write_as, user, services.dispatch_accept, incident_id=incident_id, squad=body.squad,
                                 note=body.note)
    return Status(201 if created else 200, _dispatch_out(dispatch))


# --- reserves and events -------------------------------------------------------------------------------------

@router.get("/operations/{operation_id}/reserves", response=list[SquadOut],
            summary="The operation's reserve squads and their state")
@redacted("operations.squad")
def reserve_list(request, operation_id: Id):
    user = user_of(request)
    require_reader(user)
    operation = get_visible_or_404(user, Operation.objects.select_related("election"), pk=operation_id)
    return [{**s, "since": iso(s["since"])} for s in sel.reserve_squads(user, operation)]


@router.post("/operations/{operation_id}/reserves/{squad}/free", response=DispatchOut,
             summary="A released squad is back at its base and free again")
def reserve_free(request, operation_id: Id, squad: str, body: FreeIn):
    user = user_of(request)
    require_writer(user, Dispatch)
    operation = get_visible_or_404(user, Operation.objects.all(), pk=operation_id)
    get_visible_or_404(user, Dispatch.objects.filter(operation=operation, state__in=("dispatched", "on_scene", "back")),
                       squad=squad)
    dispatch = write_as(user, services.squad_free, operation_id=operation.pk, squad=squad, note=body.note)
    return _dispatch_out(dispatch)


@router.get("/operations/{operation_id}/events", response=EventsOut,
            summary="The operation's event log after a cursor (what the command board streams)")
@redacted("operations.events")
def event_list(request, operation_id: Id, after: int = Query(0, ge=0, le=DB_INT_MAX),
               limit: int = Query(500, ge=1, le=1000)):
    user = user_of(request)
    require_reader(user)
    operation = get_visible_or_404(user, Operation.objects.all(), pk=operation_id)
    events = sel.events_after(user, after, limit, operation.pk)
    return {"items": [{"id": i, "kind": k, "payload": p} for i, k, p in events if k != "cursor"],
            "next": events[-1][0] if events else after}
