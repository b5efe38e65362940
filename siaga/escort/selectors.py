"""Reads of the escort app, always scoped through siaga.accounts.scoping (a leg is visible when its district is
in the user's area). Late and missing legs, per-district counts and one TPS's chain are what the command
board shows.

A leg is *late* at a moment ``at`` when its planned departure has passed and it has not departed, or its
planned arrival has passed and it has not arrived. A missing leg is counted as missing, not as late.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from siaga.accounts.scoping import get_visible_or_404, scope
from siaga.escort.models import Checkin, Leg
from siaga.forces.models import Personnel
from siaga.regions.models import TPS

LATE_DEPARTURE, LATE_ARRIVAL = "departure", "arrival"


def late_q(at: dt.datetime) -> Q:
    """Legs late at ``at``: not departed after the planned departure, or not arrived after the planned arrival."""
    return (Q(state=Leg.State.PLANNED, planned_departure__lt=at)
            | Q(state__in=[Leg.State.PLANNED, Leg.State.DEPARTED], planned_arrival__lt=at))


def lateness(leg: Leg, at: dt.datetime) -> str | None:
    """Why a leg is late at ``at``: 'arrival' (should have arrived), 'departure' (should have left), or None."""
    if leg.state in (Leg.State.PLANNED, Leg.State.DEPARTED) and leg.planned_arrival < at:
        return LATE_ARRIVAL
    if leg.state == Leg.State.PLANNED and leg.planned_departure < at:
        return LATE_DEPARTURE
    return None


def legs_visible(user, operation=None) -> QuerySet:
    """The legs the user may see (of one operation when given), with their places, TPS and escorts loaded."""
    qs = Leg.objects.select_related("district", "village", "operation").prefetch_related(
        Prefetch("tps", queryset=TPS.objects.only("pk", "code").order_by("code")),
        Prefetch("escorts", queryset=Personnel.objects.only("pk", "code", "name", "rank", "force", "rank_order")
                 .order_by("-rank_order", "name")))
    if operation is not None:
        qs = qs.filter(operation=operation)
    return scope(user, qs)


@dataclass
class LegFilter:
    """Filters of the leg list (API and page). Empty values do not filter."""

    district: str = ""       # district code
    state: str = ""          # planned, departed, arrived, missing
    late: bool = False       # only legs late at ``at``
    tps: str = ""            # legs carrying this TPS (its chain)
    direction: str = ""      # outbound, return


def legs_filtered(user, operation, f: LegFilter, at: dt.datetime) -> QuerySet:
    """The user's legs of an operation that pass the filters, by district then place in the chain."""
    return filter_legs(legs_visible(user, operation), f, at)


def filter_legs(qs: QuerySet, f: LegFilter, at: dt.datetime) -> QuerySet:
    """Apply the filters to any leg queryset (the CLI, which is not scoped to a user, uses this directly)."""
    if f.district:
        qs = qs.filter(district__code=f.district)
    if f.state:
        qs = qs.filter(state=f.state)
    if f.direction:
        qs = qs.filter(direction=f.direction)
    if f.late:
        qs = qs.filter(late_q(at))
    if f.tps:
        qs = qs.filter(pk__in=Leg.objects.filter(tps__code=f.tps).values("pk"))
    return qs.order_by("district__code", "seq", "key")


def legs_late(user, operation, at: dt.datetime) -> QuerySet:
    """Legs late at ``at`` (see late_q), the most overdue arrival first."""
    return legs_visible(user, operation).filter(late_q(at)).order_by("planned_arrival", "key")


def legs_missing(user, operation) -> QuerySet:
    return legs_visible(user, operation).filter(state=Leg.State.MISSING).order_by("missing_at", "key")


def legs_with_discrepancies(user, operation) -> QuerySet:
    """Legs whose arrival hand-over differs from the departure one (seals or box count)."""
    flagged = Checkin.objects.filter(point=Checkin.Point.TO).exclude(discrepancies=[]).values("leg_id")
    return legs_visible(user, operation).filter(pk__in=flagged).order_by("key")


def district_counts(user, operation, at: dt.datetime) -> list[dict]:
    """Per district: legs in total, by state, and late at ``at``; sorted by district code."""
    qs = scope(user, Leg.objects.filter(operation=operation))
    rows = (qs.values("district__code", "district__name")
            .annotate(total=Count("pk"),
                      planned=Count("pk", filter=Q(state=Leg.State.PLANNED)),
                      departed=Count("pk", filter=Q(state=Leg.State.DEPARTED)),
                      arrived=Count("pk", filter=Q(state=Leg.State.ARRIVED)),
                      missing=Count("pk", filter=Q(state=Leg.State.MISSING)),
                      late=Count("pk", filter=late_q(at)))
            .order_by("district__code"))
    return [{"district": r.pop("district__code"), "district_name": r.pop("district__name"), **r} for r in rows]


def tps_chain(user, operation, tps_code: str) -> list[Leg]:
    """One TPS's chain in order (warehouse -> PPK -> PPS -> TPS -> PPS -> PPK -> warehouse); 404 outside the area."""
    tps = get_visible_or_404(user, TPS.objects.all(), code=tps_code)
    return list(legs_visible(user, operation).filter(pk__in=Leg.objects.filter(tps=tps).values("pk"))
                .order_by("seq", "key"))


def leg_get(user, leg_id: int) -> Leg:
    """One leg with its check-ins (404 when missing or outside the area)."""
    return get_visible_or_404(user, legs_visible(user).prefetch_related(
        Prefetch("checkins", queryset=Checkin.objects.order_by("at", "pk"))), pk=leg_id)


def operation_has_legs(operation) -> bool:
    return Leg.objects.filter(operation=operation).exists()
