"""Request and answer shapes of the election-day API (siaga.api.operations)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from siaga.api.pagination import DB_INT_MAX


class StatusIn(Schema):
    status: str = Field(..., description="arrived, opened, voting, closed, counting, counted, handed_over.")
    at: dt.datetime = Field(..., description="When it happened (ISO-8601; without offset = server time zone).")
    note: str = Field("", max_length=300)
    operation: int | None = Field(None, ge=1, le=DB_INT_MAX, description="Default: the TPS's current operation.")
    client_id: str | None = Field(None, max_length=64, description="Idempotency key if no Idempotency-Key header.")


class StatusOut(Schema):
    id: int
    operation: int
    tps: str
    district: str
    status: str
    step: int
    at: dt.datetime
    received_at: dt.datetime
    reported_by: str | None = Field(None, description="Username; null for partners.")
    note: str
    client_id: str


class TimelineItem(StatusOut):
    correction: bool = Field(..., description="A step before the previous report's (a correction).")
    skipped: list[str] = Field(..., description="Steps jumped over since the previous report.")


class TimelineOut(Schema):
    tps: str
    operation: int
    current: TimelineItem | None
    items: list[TimelineItem]


class IncidentIn(Schema):
    type: str = Field(..., description="money_politics, intimidation, supporter_clash, logistics, swapped_ballots, "
                                       "hoax, disaster, obstruction, other.")
    severity: str = Field(..., description="low, medium, high, critical.")
    text: str = Field(..., max_length=2000)
    at: dt.datetime | None = Field(None, description="When it happened (default: now).")
    tps: str | None = Field(None, max_length=40, description="TPS id; field officers must give their post's TPS.")
    village: str | None = Field(None, max_length=13, description="Village code, when there is no TPS.")
    district: str | None = Field(None, max_length=8, description="District code, when there is no TPS or village.")
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    photo: str | None = Field(None, description="data:image/jpeg;base64,... (JPEG, PNG or WebP, at most 1.5 MB).")
    operation: int | None = Field(None, ge=1, le=DB_INT_MAX)
    client_id: str | None = Field(None, max_length=64)


class IncidentOut(Schema):
    id: int
    operation: int
    type: str
    severity: str
    state: str
    text: str
    district: str
    district_name: str
    village: str | None
    tps: str | None
    lat: float
    lon: float
    location_source: str
    at: dt.datetime
    received_at: dt.datetime
    updated_at: dt.datetime
    reported_by: str | None
    photo_url: str | None
    client_id: str


class HistoryOut(Schema):
    at: dt.datetime
    by: str | None
    from_state: str
    to_state: str
    note: str
    details: dict


class DispatchOut(Schema):
    id: int
    squad: str
    state: str
    distance_km: float
    proposed_squad: str
    plan_version: int | None
    accepted_at: dt.datetime
    accepted_by: str | None
    arrived_at: dt.datetime | None
    released_at: dt.datetime | None
    freed_at: dt.datetime | None
    note: str


class IncidentDetailOut(IncidentOut):
    history: list[HistoryOut]
    dispatches: list[DispatchOut]


class IncidentFilters(Schema):
    operation: int | None = Field(None, ge=1, le=DB_INT_MAX)
    district: str | None = None
    tps: str | None = None
    state: str | None = Field(None, description="Comma-separated states.")
    severity: str | None = Field(None, description="Comma-separated severities.")
    type: str | None = Field(None, description="Comma-separated types.")
    open: bool = Field(False, description="Only open incidents (new, verified, dispatched, on_scene).")


class TransitionIn(Schema):
    to: str = Field(..., description="verified, on_scene, resolved, closed, rejected.")
    note: str = Field("", max_length=500, description="Required for 'rejected'.")
    severity: str | None = Field(None, description="Re-grade while moving (e.g. on verification).")
    expected: str | None = Field(None, description="The state you saw; 409 when it changed meanwhile.")


class SquadOption(Schema):
    squad: str
    unit: str
    kind: str
    lat: float
    lon: float
    strength: int
    distance_km: float


class ProposalOut(Schema):
    incident: int
    plan_version: int | None
    road_factor: float | None
    proposed: SquadOption | None
    options: list[SquadOption]
    active: list[DispatchOut]


class DispatchIn(Schema):
    squad: str | None = Field(None, max_length=40, description="Reserve id (e.g. R-01); default: the proposal.")
    note: str = Field("", max_length=300)


class SquadOut(Schema):
    id: str
    unit: str
    kind: str
    lat: float
    lon: float
    strength: int
    personnel: list[str]
    state: str
    incident: int | None
    since: dt.datetime | None


class FreeIn(Schema):
    note: str = Field("", max_length=300)


class EventOut(Schema):
    id: int
    kind: str
    payload: dict


class EventsOut(Schema):
    items: list[EventOut]
    next: int = Field(..., description="Pass as `after` next time.")
