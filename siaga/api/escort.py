"""Routes for ballot-logistics escort: legs (late ones flagged), one leg with its hand-overs, check-ins.

A check-in is idempotent: send an ``Idempotency-Key`` header (or ``client_id`` in the body); the first
request answers 201, a replay with the same key answers 200 with the same body and stores nothing new.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError

from siaga.accounts.policy import require_reader, require_writer
from siaga.accounts.scoping import get_visible_or_404
from siaga.api.common import redacted, user_of
from siaga.api.pagination import DB_INT_MAX, PageParams, page, page_of
from siaga.core.idempotency import ReplayConflict, key_of
from siaga.core.services import write_as
from siaga.elections.models import Operation
from siaga.escort import selectors as sel
from siaga.escort.models import Checkin, Leg

router = Router(tags=["pengawalan logistik"])

LegId = Annotated[int, Path(ge=1, le=DB_INT_MAX, description="Leg id.")]


class PointOut(Schema):
    kind: str
    name: str
    code: str


class EscortOut(Schema):
    code: str | None = Field(None, description="NRP (partners get no escorts: docs/access.md).")
    name: str
    rank: str


class CheckinOut(Schema):
    id: int
    leg: int
    point: str
    at: dt.datetime
    received_at: dt.datetime
    by: str
    seal_numbers: list[str]
    box_count: int
    note: str
    client_id: str
    discrepancies: list[str]


class LegOut(Schema):
    id: int
    operation: int
    key: str
    seq: int
    direction: str
    origin: PointOut = Field(..., alias="from")
    to: PointOut
    district: str
    district_name: str
    village: str | None
    tps: list[str]
    planned_departure: dt.datetime
    planned_arrival: dt.datetime
    state: str
    departed_at: dt.datetime | None
    arrived_at: dt.datetime | None
    missing_at: dt.datetime | None
    missing_note: str
    late: str | None = Field(None, description="'departure' or 'arrival' when overdue at the reference time.")
    escorts: list[EscortOut]
    plan_version: int | None
    note: str


class LegDetailOut(LegOut):
    checkins: list[CheckinOut]


class LegFilters(Schema):
    operation: int | None = Field(None, ge=1, le=DB_INT_MAX, description="Operation id (default: all visible).")
    district: str | None = Field(None, description="District code, e.g. 35.71.01.")
    state: str | None = Field(None, description="planned, departed, arrived or missing.")
    direction: str | None = Field(None, description="outbound or return.")
    late: bool = Field(False, description="Only legs late at `at`.")
    tps: str | None = Field(None, description="Only the legs of this TPS's chain (TPS id).")
    at: dt.datetime | None = Field(None, description="Reference time for `late` (default now; for exercises).")


class CheckinIn(Schema):
    point: str = Field(..., description="'from' = hand-over at the start (departure), 'to' = at the end (arrival).")
    seal_numbers: list[str] = Field(..., description="Seal numbers of the boxes, at least one.")
    box_count: int = Field(..., ge=1, le=100000)
    at: dt.datetime | None = Field(None, description="When the hand-over happened (ISO-8601; default now).")
    note: str = Field("", max_length=500)
    client_id: str | None = Field(None, max_length=64, description="Idempotency key if no Idempotency-Key header.")


class MissingIn(Schema):
    note: str = Field(..., max_length=300, description="What is known (who was called, last position...).")


def _moment(value: dt.datetime | None) -> dt.datetime:
    if value is None:
        return timezone.now()
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def leg_out(leg: Leg, at: dt.datetime, role: str | None = None) -> dict:
    return {"id": leg.pk, "operation": leg.operation_id, "key": leg.key, "seq": leg.seq, "direction": leg.direction,
            "from": {"kind": leg.from_kind, "name": leg.from_name, "code": leg.from_code},
            "to": {"kind": leg.to_kind, "name": leg.to_name, "code": leg.to_code},
            "district": leg.district.code, "district_name": leg.district.name,
            "village": leg.village.code if leg.village_id else None, "tps": [t.code for t in leg.tps.all()],
            "planned_departure": leg.planned_departure, "planned_arrival": leg.planned_arrival, "state": leg.state,
            "departed_at": leg.departed_at, "arrived_at": leg.arrived_at, "missing_at": leg.missing_at,
            "missing_note": leg.missing_note, "late": sel.lateness(leg, at),
            "escorts": [{"code": p.code, "name": p.name, "rank": p.rank} for p in leg.escorts.all()],
            "plan_version": leg.plan_version, "note": leg.note}


def _utc(value: dt.datetime) -> dt.datetime:
    """UTC, so the first answer and a replay (read back from the database) have the same body."""
    return value.astimezone(dt.UTC)


def checkin_out(c: Checkin) -> dict:
    return {"id": c.pk, "leg": c.leg_id, "point": c.point, "at": _utc(c.at), "received_at": _utc(c.received_at),
            "by": c.actor,
            "seal_numbers": list(c.seal_numbers), "box_count": c.box_count, "note": c.note, "client_id": c.client_id,
            "discrepancies": list(c.discrepancies)}


@router.get("/escort/legs", response=page_of(LegOut), by_alias=True,
            summary="Escort legs of your area (filters: operation, district, state, late)")
@redacted("escort.leg")
def leg_list(request, params: Query[PageParams], filters: Query[LegFilters]):
    user = user_of(request)
    role = require_reader(user)
    operation = None
    if filters.operation is not None:
        operation = get_visible_or_404(user, Operation.objects.all(), pk=filters.operation)
    if filters.state and filters.state not in Leg.State.values:
        raise HttpError(400, f"state: '{filters.state}' tidak dikenal; pilih: {', '.join(Leg.State.values)}")
    if filters.direction and filters.direction not in Leg.Direction.values:
        raise HttpError(400, f"direction: '{filters.direction}' tidak dikenal; pilih: outbound, return")
    at = _moment(filters.at)
    f = sel.LegFilter(district=filters.district or "", state=filters.state or "", late=filters.late,
                      tps=filters.tps or "", direction=filters.direction or "")
    return page(sel.legs_filtered(user, operation, f, at), params, lambda leg: leg_out(leg, at, role))


@router.get("/escort/legs/{leg_id}", response=LegDetailOut, by_alias=True, summary="One leg with its hand-overs")
@redacted("escort.leg")
def leg_detail(request, leg_id: LegId, at: dt.datetime | None = None):
    user = user_of(request)
    role = require_reader(user)
    leg = sel.leg_get(user, leg_id)
    return {**leg_out(leg, _moment(at), role), "checkins": [checkin_out(c) for c in leg.checkins.all()]}


@router.post("/escort/legs/{leg_id}/checkins", response={200: CheckinOut, 201: CheckinOut},
             summary="Record a hand-over (idempotent: Idempotency-Key header or client_id)")
def leg_checkin(request, leg_id: LegId, body: CheckinIn):
    from siaga.escort.services import handover_checkin

    user = user_of(request)
    require_writer(user, Checkin)
    client_id = key_of(request.headers.get("Idempotency-Key"), body.client_id)
    get_visible_or_404(user, Leg.objects.all(), pk=leg_id)
    try:
        checkin, created = write_as(user, handover_checkin, leg_id=leg_id, point=body.point,
                                    seal_numbers=body.seal_numbers, box_count=body.box_count, client_id=client_id,
                                    at=body.at, note=body.note)
    except ReplayConflict as exc:
        raise HttpError(409, str(exc)) from None
    response = Status(201 if created else 200, checkin_out(checkin))
    return response


@router.post("/escort/legs/{leg_id}/missing", response=LegOut, by_alias=True,
             summary="Mark a leg missing (no word from the escort; boxes not where they should be)")
def leg_missing(request, leg_id: LegId, body: MissingIn):
    from siaga.escort.services import leg_mark_missing

    user = user_of(request)
    role = require_writer(user, Leg)
    get_visible_or_404(user, Leg.objects.all(), pk=leg_id)
    write_as(user, leg_mark_missing, leg_id=leg_id, note=body.note)
    return leg_out(sel.leg_get(user, leg_id), timezone.now(), role)
