"""Reserve squads on election day: their state (free unless a dispatch holds them) and the proposal of the nearest
free squad by travel distance.

Travel distance = great-circle km from the squad's base to the incident x the plan's ``road_factor`` (default
1.3), exactly as the planner measures travel and reserve cover (siaga.planning.geo). No road network is available
offline, so this is an estimate; docs/operations.md says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from siaga.operations import rules
from siaga.operations.context import OpContext, Squad, plan_facts
from siaga.planning.geo import haversine_km


@dataclass(frozen=True)
class Ranked:
    squad: Squad
    distance_km: float


def rank_squads(lat: float, lon: float, squads: tuple[Squad, ...] | list[Squad], road_factor: float,
                busy: frozenset[str] | set[str] = frozenset()) -> list[Ranked]:
    """Free squads nearest first (travel km, then id); a pure function of its inputs."""
    free = [s for s in squads if s.id not in busy]
    if not free:
        return []
    km = haversine_km(np.array([s.lat for s in free]), np.array([s.lon for s in free]), lat, lon) * road_factor
    ranked = [Ranked(s, round(float(d), 2)) for s, d in zip(free, km, strict=True)]
    return sorted(ranked, key=lambda r: (r.distance_km, r.squad.id))


@dataclass(frozen=True)
class SquadState:
    """A squad of the current plan with its state now."""

    squad: Squad
    state: str  # free, dispatched, on_scene, back
    incident_id: int | None
    dispatch_id: int | None
    since: object | None


def busy_dispatches(operation_id: int) -> dict[str, object]:
    """The dispatch holding each busy squad of the operation, by squad id."""
    from siaga.operations.models import Dispatch

    return {d.squad: d for d in Dispatch.objects.filter(operation_id=operation_id, state__in=rules.SQUAD_BUSY)}


def squad_states(ctx: OpContext) -> list[SquadState]:
    """Every squad of the operation's current plan and its state (free unless a dispatch holds it)."""
    if ctx.plan_key is None:
        return []
    busy = busy_dispatches(ctx.operation_id)
    out = []
    for squad in plan_facts(ctx.plan_key).squads:
        d = busy.get(squad.id)
        if d is None:
            out.append(SquadState(squad, rules.SQUAD_FREE, None, None, None))
        else:
            out.append(SquadState(squad, d.state, d.incident_id, d.pk,
                                  d.released_at or d.arrived_at or d.accepted_at))
    return out
