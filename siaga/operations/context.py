"""Where an election-day report belongs: its TPS, its operation, the operation's current plan, and what that plan
says about people and reserve squads. Cheap on purpose: the status POST (the hot path) reads one TPS row and one
operation row, each kept a few seconds per process (see docs/operations.md "Performance"), and plan contents are
parsed once per plan version and process.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import OuterRef, Subquery
from django.http import Http404

from siaga.core.cache import TTLCache, loaded_instance
from siaga.deployments.models import Plan
from siaga.elections.models import Operation
from siaga.regions.models import TPS, District, Village

TPS_TTL = 300.0  # s: TPS rows change only by an import (upserts by code, ids stay); it shows within this
OPERATION_TTL = 10.0  # s: a newly published plan or a new operation is picked up within this
_TPS = TTLCache(TPS_TTL, 100_000)
_OPERATIONS = TTLCache(OPERATION_TTL, 1_000)


@dataclass(frozen=True)
class OpContext:
    """The operation a report belongs to and its current plan (published, else the latest version)."""

    operation_id: int
    voting_day: dt.date
    plan_id: int | None
    plan_key: tuple | None  # (plan id, created_at): a cache key that survives reused ids


_TPS_SQL: list[str] = []


def _tps_sql() -> str:
    """SELECT of one TPS by code with its village and district (11 columns, in the order tps_for_report reads)."""
    if not _TPS_SQL:
        t, v, d = TPS._meta.db_table, Village._meta.db_table, District._meta.db_table
        _TPS_SQL.append(f'SELECT t.id, t.code, t.number, t.lat, t.lon, v.id, v.name, d.id, d.code, d.name, d.regency_id'
                        f' FROM "{t}" t JOIN "{v}" v ON v.id = t.village_id JOIN "{d}" d ON d.id = v.district_id'
                        f" WHERE t.code = %s")
    return _TPS_SQL[0]


def tps_for_report(code: str) -> TPS:
    """The TPS with its village and district (one query, then kept TPS_TTL seconds per process as a plain tuple; each
    call builds its own instances from it); Http404 when there is none (not cached)."""
    row = _TPS.get(code)
    if row is None:
        with connection.cursor() as cursor:  # plain SQL: the ORM's query compilation cost more than the query
            cursor.execute(_tps_sql(), [code])
            row = cursor.fetchone()
        if row is None:
            raise Http404("TPS tidak ditemukan")
        _TPS.put(code, row)
    pk, code, number, lat, lon, v_id, v_name, d_id, d_code, d_name, regency_id = row
    district = loaded_instance(District, {"id": d_id, "code": d_code, "name": d_name, "regency_id": regency_id})
    village = loaded_instance(Village, {"id": v_id, "name": v_name, "district_id": d_id})
    village.district = district
    tps = loaded_instance(TPS, {"id": pk, "code": code, "number": number, "lat": lat, "lon": lon, "village_id": v_id})
    tps.village = village
    return tps


def context_cache_clear() -> None:
    """Forget the cached TPS rows and operations of this process (imports and tests call it)."""
    _TPS.clear()
    _OPERATIONS.clear()


def _current_plan():
    """Subquery: the outer operation's plans, current first (``Plan.objects.current_first``)."""
    return Plan.objects.filter(operation=OuterRef("pk")).current_first()


def operation_for_regency(regency_id: int, when: dt.datetime | dt.date, operation_id: int | None = None) -> OpContext:
    """The operation of a place (one query): the one given, which must cover the place's regency; else among the
    operations whose election covers the regency, the one running on ``when`` whose voting day is nearest (else the
    nearest voting day of all). ValidationError when no operation covers the place. Kept OPERATION_TTL seconds
    per process per (regency, day, operation)."""
    day = when.date() if isinstance(when, dt.datetime) else when
    key = (regency_id, day, operation_id)
    context = _OPERATIONS.get(key)
    if context is None:
        context = _operation_lookup(regency_id, day, operation_id)
        _OPERATIONS.put(key, context)  # only found ones: a ValidationError is raised again each time
    return context


def _operation_lookup(regency_id: int, day: dt.date, operation_id: int | None) -> OpContext:
    plans = _current_plan()
    rows = list(Operation.objects.filter(election__regencies=regency_id)
                .annotate(plan_id=Subquery(plans.values("pk")[:1]), plan_at=Subquery(plans.values("created_at")[:1]))
                .values_list("pk", "election__voting_day", "start", "end", "plan_id", "plan_at"))
    if operation_id is not None:
        rows = [r for r in rows if r[0] == operation_id]
        if not rows:
            raise ValidationError(f"operation: operasi {operation_id} tidak mencakup wilayah ini")
    if not rows:
        raise ValidationError("operation: belum ada operasi yang mencakup wilayah ini")
    running = [r for r in rows if r[2] <= day <= r[3]] or rows
    pk, voting_day, _, _, plan_id, plan_at = min(running, key=lambda r: (abs((r[1] - day).days), -r[0]))
    return OpContext(pk, voting_day, plan_id, (plan_id, plan_at) if plan_id else None)


def operation_context(operation: Operation) -> OpContext:
    """The context of a known operation (its current plan)."""
    row = Plan.objects.filter(operation=operation).current_first().values_list("pk", "created_at").first()
    return OpContext(operation.pk, operation.election.voting_day, row[0] if row else None, tuple(row) if row else None)


# --- plan contents, parsed once per version and process ---------------------------------------------------

@dataclass(frozen=True)
class Squad:
    """A reserve squad of a plan: its base (the plan's point, else its unit's HQ) and its people."""

    id: str
    lat: float
    lon: float
    unit: str
    kind: str
    personnel: tuple[str, ...]


@dataclass(frozen=True)
class PlanFacts:
    version: int
    road_factor: float
    person_tps: dict[int, frozenset[str]]  # personnel pk -> TPS codes of the posts the person stands at
    squads: tuple[Squad, ...]


_CACHE: dict[tuple, PlanFacts] = {}
_CACHE_MAX = 4
_LOCK = threading.Lock()
_PARSE_LOCK = threading.Lock()


def plan_facts(plan_key: tuple) -> PlanFacts:
    """People's TPS and the reserve squads of one plan version. Plan versions never change once stored, so the
    parse is kept (a few versions per process) under a key that includes the version's creation time."""
    with _LOCK:
        cached = _CACHE.get(plan_key)
    if cached is not None:
        return cached
    with _PARSE_LOCK:  # one parse per process at a time: threads arriving together wait and reuse it
        with _LOCK:
            cached = _CACHE.get(plan_key)
        if cached is not None:
            return cached
        facts = _parse_plan(plan_key[0])
        with _LOCK:
            if len(_CACHE) >= _CACHE_MAX:
                _CACHE.pop(next(iter(_CACHE)))
            _CACHE[plan_key] = facts
    return facts


def plan_cache_clear() -> None:
    with _LOCK:
        _CACHE.clear()


def plans_warm(limit: int = 2) -> list[int]:
    """Parse the current plans of the ``limit`` operations with the latest voting days, so a server process's
    first field reports do not each wait for the parse (about a second of CPU per 20,000 TPS). Returns the
    plan versions parsed. Called by siaga.wsgi in a thread when the server starts (SIAGA_WARMUP=1)."""
    versions = []
    for operation in Operation.objects.select_related("election").order_by("-election__voting_day", "-pk")[:limit]:
        context = operation_context(operation)
        if context.plan_key is not None:
            versions.append(plan_facts(context.plan_key).version)
    return versions


def _parse_plan(plan_id: int) -> PlanFacts:
    from siaga.forces.models import Personnel, Unit

    plan = Plan.objects.only("version", "document").get(pk=plan_id)
    doc = plan.document or {}
    post_tps = {p["id"]: p.get("tps", []) for p in doc.get("posts", [])}
    by_code: dict[str, set[str]] = {}
    for a in doc.get("assignments", []):
        by_code.setdefault(a["personnel"], set()).update(post_tps.get(a.get("post"), ()))
    ids = dict(Personnel.objects.filter(code__in=list(by_code)).values_list("code", "pk")) if by_code else {}
    reserves = doc.get("reserves", [])
    hq = dict((c, (lat, lon)) for c, lat, lon in Unit.objects.filter(
        code__in=[r.get("unit") for r in reserves if r.get("unit")]).values_list("code", "lat", "lon"))
    squads = []
    for r in reserves:
        lat, lon = r.get("lat"), r.get("lon")
        if lat is None or lon is None:
            lat, lon = hq.get(r.get("unit"), (None, None))
        if lat is None:
            continue  # no base known: cannot be proposed or drawn
        squads.append(Squad(str(r["id"]), float(lat), float(lon), r.get("unit") or "", r.get("kind") or "own",
                            tuple(r.get("personnel", []))))
    road_factor = float((doc.get("params") or {}).get("road_factor") or 1.3)
    return PlanFacts(plan.version, road_factor, {ids[c]: frozenset(t) for c, t in by_code.items() if c in ids},
                     tuple(sorted(squads, key=lambda s: s.id)))
