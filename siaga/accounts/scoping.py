"""Who may see and change what: the ONE place where region scoping and role rules live.

A user's area is the set of districts of its unit's jurisdiction (docs/access.md):

1. the unit's own districts, if it has any;
2. else the own districts of the nearest ancestor that has some;
3. else every district covered by the districts of the top ancestor's descendants (a Polres without
   districts of its own covers what its Polsek cover; a staff or reserve unit under it serves that whole area).

Admins see everything. A unit is *visible* when its area meets the user's area (a Polsek commander sees
its Polres and the Koramil of its districts); a unit is *inside* when its area lies within the user's
area, and only the personnel of inside units are visible. Every API route reads through ``scope`` and
writes through ``require_writer`` / ``require_edit``; views never repeat these rules.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.http import Http404

from siaga.accounts.models import Role
from siaga.accounts.selectors import user_role, user_unit

READ_ROLES = frozenset(Role.values)
BIGINT_MAX = 2**63 - 1
#: Who may change what (by model label); everyone else gets 403 before any lookup.
WRITERS: dict[str, frozenset[str]] = {
    "regions.tps": frozenset({Role.ADMIN, Role.PLANNER, Role.COMMANDER}),
    "forces.personnel": frozenset({Role.ADMIN, Role.PLANNER, Role.COMMANDER}),
    # pins and moves in the plan workspace; a commander only inside its districts (require_pin_edit)
    "deployments.pin": frozenset({Role.ADMIN, Role.PLANNER, Role.COMMANDER}),
    # re-plan and publish
    "deployments.plan": frozenset({Role.ADMIN, Role.PLANNER}),
    # ballot escort: hand-over check-ins from the field; marking a leg missing from command (posko, Polsek)
    "escort.checkin": frozenset({Role.ADMIN, Role.PLANNER, Role.COMMANDER, Role.FIELD_OFFICER}),
    "escort.leg": frozenset({Role.ADMIN, Role.PLANNER, Role.COMMANDER}),
    # election day: status reports and new incidents from the field (a field officer only for its post's TPS,
    # require_tps_report); triage, transitions and dispatch from command (posko, Polsek)
    "operations.statusreport": frozenset({Role.ADMIN, Role.PLANNER, Role.COMMANDER, Role.FIELD_OFFICER}),
    "operations.incident": frozenset({Role.ADMIN, Role.PLANNER, Role.COMMANDER, Role.FIELD_OFFICER}),
    "operations.incidentevent": frozenset({Role.ADMIN, Role.PLANNER, Role.COMMANDER}),
    "operations.dispatch": frozenset({Role.ADMIN, Role.PLANNER, Role.COMMANDER}),
}
DEFAULT_WRITERS = frozenset({Role.ADMIN, Role.PLANNER})
AUDIT_READERS = frozenset({Role.ADMIN, Role.PLANNER})


@dataclass(frozen=True)
class Area:
    """What one user may see. ``everything`` (admin) overrides the sets."""

    role: str | None
    everything: bool
    district_ids: frozenset[int]
    district_codes: frozenset[str]
    regency_ids: frozenset[int]
    visible_unit_ids: frozenset[int]
    inside_unit_ids: frozenset[int]
    visible_unit_codes: frozenset[str]
    inside_unit_codes: frozenset[str]


def unit_areas() -> dict[int, frozenset[int]]:
    """Every unit's jurisdiction (district ids) by the three rules above. One pass over units and links."""
    from siaga.forces.models import Unit

    parent: dict[int, int | None] = dict(Unit.objects.values_list("id", "parent_id"))
    own: dict[int, set[int]] = defaultdict(set)
    for unit_id, district_id in Unit.districts.through.objects.values_list("unit_id", "district_id"):
        own[unit_id].add(district_id)
    children: dict[int, list[int]] = defaultdict(list)
    for uid, pid in parent.items():
        if pid is not None:
            children[pid].append(uid)

    covered: dict[int, frozenset[int]] = {}

    def cover(uid: int) -> frozenset[int]:  # own districts of the unit and all its descendants
        if uid not in covered:
            result, stack, seen = set(), [uid], set()
            while stack:
                u = stack.pop()
                if u in seen:
                    continue
                seen.add(u)
                result |= own.get(u, set())
                stack.extend(children.get(u, ()))
            covered[uid] = frozenset(result)
        return covered[uid]

    areas: dict[int, frozenset[int]] = {}
    for uid in parent:
        chain, u, found = [], uid, None
        while u is not None and u not in chain:
            chain.append(u)
            if own.get(u):
                found = frozenset(own[u])
                break
            u = parent.get(u)
        areas[uid] = found if found is not None else cover(chain[-1])
    return areas


def user_area(user) -> Area:
    """The user's area, computed once per user object (a request's user)."""
    cached = getattr(user, "_siaga_area", None)
    if cached is not None:
        return cached
    from siaga.forces.models import Unit
    from siaga.regions.models import District

    role = user_role(user)
    empty: frozenset = frozenset()
    if role == Role.ADMIN:
        area = Area(role, True, empty, empty, empty, empty, empty, empty, empty)
    else:
        unit = user_unit(user) if role else None
        if unit is None:
            area = Area(role, False, empty, empty, empty, empty, empty, empty, empty)
        else:
            areas = unit_areas()
            mine = areas.get(unit.pk, empty)
            visible = frozenset(u for u, a in areas.items() if a & mine)
            inside = frozenset(u for u, a in areas.items() if a and a <= mine)
            codes = dict(Unit.objects.filter(pk__in=visible).values_list("id", "code"))
            rows = list(District.objects.filter(pk__in=mine).values_list("code", "regency_id"))
            area = Area(role, False, mine, frozenset(c for c, _ in rows), frozenset(r for _, r in rows),
                        visible, inside, frozenset(codes.values()), frozenset(codes[u] for u in inside if u in codes))
    if user is not None:
        user._siaga_area = area
    return area


# --- reads -------------------------------------------------------------------------------------------

def _by_districts(field: str):
    def apply(area: Area, qs: QuerySet) -> QuerySet:
        return qs.filter(**{f"{field}__in": area.district_ids})
    return apply


def _units(area: Area, qs: QuerySet) -> QuerySet:
    return qs.filter(pk__in=area.visible_unit_ids)


def _personnel(area: Area, qs: QuerySet) -> QuerySet:
    return qs.filter(unit_id__in=area.inside_unit_ids)


def _operations(area: Area, qs: QuerySet) -> QuerySet:
    ids = qs.model.objects.filter(Q(election__regencies__in=area.regency_ids)
                                  | Q(commanding_unit_id__in=area.inside_unit_ids)).values("pk")
    return qs.filter(pk__in=ids)


def _plans(area: Area, qs: QuerySet) -> QuerySet:
    from siaga.elections.models import Operation

    return qs.filter(operation__in=_operations(area, Operation.objects.all()))


def _audit(area: Area, qs: QuerySet) -> QuerySet:
    """Planners see the events of users of their area and the events about their area's TPS, people, plans."""
    from siaga.deployments.models import Plan
    from siaga.forces.models import Personnel
    from siaga.regions.models import TPS

    if area.role not in AUDIT_READERS:
        return qs.none()
    text = CharField()
    tps = scope_for(area, TPS.objects.all()).annotate(t=Concat(Value("tps:"), "code", output_field=text)).values("t")
    people = scope_for(area, Personnel.objects.all()).annotate(
        t=Concat(Value("personnel:"), "code", output_field=text)).values("t")
    condition = Q(user__siaga_profile__unit_id__in=area.inside_unit_ids) | Q(target__in=tps) | Q(target__in=people)
    for op_id in scope_for(area, Plan.objects.all()).values_list("operation_id", flat=True).distinct():
        condition |= Q(target__startswith=f"plan:{op_id}/")
    return qs.filter(condition)


def _pins(area: Area, qs: QuerySet) -> QuerySet:
    """Pins of visible operations whose person or TPS the user may see."""
    from siaga.elections.models import Operation

    return qs.filter(operation__in=_operations(area, Operation.objects.all())).filter(
        Q(personnel__unit_id__in=area.inside_unit_ids) | Q(tps__village__district_id__in=area.district_ids))


def _jobs(area: Area, qs: QuerySet) -> QuerySet:
    """Background jobs about a visible operation (subject ``operation:<id>``)."""
    from siaga.elections.models import Operation

    ops = _operations(area, Operation.objects.all()).values_list("pk", flat=True)
    return qs.filter(subject__in=[f"operation:{pk}" for pk in ops])


SCOPES = {
    "regions.district": _by_districts("pk"),
    "regions.village": _by_districts("district_id"),
    "regions.tps": _by_districts("village__district_id"),
    "risk.indicatorvalue": _by_districts("tps__village__district_id"),
    "forces.unit": _units,
    "forces.personnel": _personnel,
    "elections.operation": _operations,
    "deployments.plan": _plans,
    "escort.leg": _by_districts("district_id"),
    "escort.checkin": _by_districts("leg__district_id"),
    "deployments.pin": _pins,
    "core.job": _jobs,
    "core.auditevent": _audit,
    "operations.statusreport": _by_districts("district_id"),
    "operations.incident": _by_districts("district_id"),
    "operations.incidentevent": _by_districts("incident__district_id"),
    "operations.dispatch": _by_districts("incident__district_id"),
    "operations.opsevent": _by_districts("district_id"),
}


def scope_for(area: Area, qs: QuerySet) -> QuerySet:
    rule = SCOPES.get(qs.model._meta.label_lower)
    if rule is None:
        raise LookupError(f"no scoping rule for {qs.model._meta.label}; add one to siaga.accounts.scoping.SCOPES")
    if area.everything:
        return qs
    if area.role is None:
        return qs.none()
    return rule(area, qs)


def scope(user, qs: QuerySet) -> QuerySet:
    """Only the rows of ``qs`` the user may see. Refuses (LookupError) models without a rule."""
    return scope_for(user_area(user), qs)


def get_visible_or_404(user, qs: QuerySet, **lookup) -> Any:
    """One row the user may see, else Http404 (the same answer whether it exists elsewhere or not).

    An integer no database column can hold (a guessed id such as 99999999999999999999) is simply not found."""
    if any(isinstance(v, int) and not -BIGINT_MAX - 1 <= v <= BIGINT_MAX for v in lookup.values()):
        raise Http404(f"{qs.model._meta.verbose_name} tidak ditemukan")
    obj = scope(user, qs).filter(**lookup).first()
    if obj is None:
        raise Http404(f"{qs.model._meta.verbose_name} tidak ditemukan")
    return obj


# --- writes ------------------------------------------------------------------------------------------

def require_reader(user, roles: frozenset[str] = READ_ROLES) -> str:
    """The user's role if it is one of ``roles``, else PermissionDenied (403)."""
    role = user_role(user)
    if role not in roles:
        raise PermissionDenied("peran Anda tidak boleh membuka data ini")
    return role


def require_writer(user, model) -> str:
    """The user's role if it may change rows of ``model`` at all, else PermissionDenied (403)."""
    role = user_role(user)
    if role not in WRITERS.get(model._meta.label_lower, DEFAULT_WRITERS):
        raise PermissionDenied("peran Anda hanya boleh membaca")
    return role


def may_write(user, model) -> bool:
    """True when the user's role may change rows of ``model`` at all (to show or hide a form)."""
    return user_role(user) in WRITERS.get(model._meta.label_lower, DEFAULT_WRITERS)


def can_edit(user, obj) -> bool:
    """True when the user's role may change this kind of row and the row lies in the user's area."""
    role = user_role(user)
    if role not in WRITERS.get(obj._meta.label_lower, DEFAULT_WRITERS):
        return False
    return scope(user, type(obj).objects.filter(pk=obj.pk)).exists()


def require_edit(user, obj) -> None:
    """PermissionDenied (403) for a read-only role; Http404 for a row outside the user's area."""
    require_writer(user, type(obj))
    if not can_edit(user, obj):
        raise Http404(f"{obj._meta.verbose_name} tidak ditemukan")


def post_in_area(user, post: dict) -> bool:
    """A plan post belongs to the district of its TPS (``post["district"]``); admins reach every post."""
    area = user_area(user)
    return area.everything or post.get("district") in area.district_codes


def require_pin_edit(user, document: dict | None, post_id: str | None = None, *, personnel_code: str | None = None,
                     tps_code: str | None = None) -> None:
    """Pins and moves in the plan workspace: 403 for roles that may not pin (before any lookup); 404 when the
    person or TPS is not the user's, or the post (in ``document``, the latest plan) lies outside the user's
    districts. A post id missing from the document is left to the service, which names it (400)."""
    from siaga.deployments.models import Pin
    from siaga.forces.models import Personnel
    from siaga.regions.models import TPS

    require_writer(user, Pin)
    if personnel_code:
        get_visible_or_404(user, Personnel.objects.all(), code=personnel_code)
    if tps_code:
        get_visible_or_404(user, TPS.objects.all(), code=tps_code)
    if post_id:
        post = next((p for p in (document or {}).get("posts", []) if p.get("id") == post_id), None)
        if post is not None and not post_in_area(user, post):
            raise Http404("pos tidak ditemukan")


# --- election day ------------------------------------------------------------------------------------

def district_in_area(user, district_id: int) -> bool:
    """True when the district lies in the user's area (admins: always)."""
    area = user_area(user)
    return area.everything or district_id in area.district_ids


def field_officer_tps(user, plan_key: tuple | None) -> frozenset[str]:
    """TPS ids a field officer may report for: the TPS of the posts where its person (Profile.personnel) stands in
    the operation's current plan (published, else latest). Empty without a person or a plan."""
    from siaga.accounts.selectors import _profile
    from siaga.operations.context import plan_facts

    profile = _profile(user)
    if profile is None or profile.personnel_id is None or plan_key is None:
        return frozenset()
    return plan_facts(plan_key).person_tps.get(profile.personnel_id, frozenset())


def require_tps_report(user, tps, plan_key: tuple | None) -> str:
    """May the user report the status of (or an incident at) this TPS? 403 for roles that may not report; a field
    officer: its post's TPS only (403 for another TPS of its area, 404 outside it); other roles: TPS of their area
    (404 outside). ``tps`` carries ``village.district_id``; a field officer's check needs no query once the plan is
    parsed. Returns the role."""
    from siaga.operations.models import StatusReport

    role = require_writer(user, StatusReport)
    if role == Role.FIELD_OFFICER:
        if tps.code in field_officer_tps(user, plan_key):
            return role
        if district_in_area(user, tps.village.district_id):
            raise PermissionDenied("petugas lapangan hanya melapor untuk TPS di pos tempat ia ditugaskan")
        raise Http404("TPS tidak ditemukan")
    if not district_in_area(user, tps.village.district_id):
        raise Http404("TPS tidak ditemukan")
    return role


def require_place_report(user, district_id: int) -> str:
    """An incident reported without a TPS (a village or district): roles that manage incidents, inside their area
    (404 outside); a field officer must name a TPS of its post (403)."""
    from siaga.operations.models import StatusReport

    role = require_writer(user, StatusReport)
    if role not in WRITERS["operations.incidentevent"]:
        raise PermissionDenied("petugas lapangan melapor insiden dengan TPS posnya (isi 'tps')")
    if not district_in_area(user, district_id):
        raise Http404("wilayah tidak ditemukan")
    return role


# --- plan documents ----------------------------------------------------------------------------------

PARTNER_PERSON_FIELDS = ("name", "rank")


def plan_document_for(user, document: dict) -> dict:
    """The plan.json a user may read: admins get it whole; others only their area's TPS, posts and people;
    partners also lose personal data (NRPs become opaque refs; people keep only name and rank)."""
    area = user_area(user)
    if area.everything:
        return document
    if area.role is None:
        raise PermissionDenied("pengguna tanpa peran")
    doc = _filter_document(area, document)
    if area.role == Role.PARTNER:
        doc = _strip_personal(doc)
    return doc


def plan_documents_for(user, *documents: dict) -> list[dict]:
    """Several versions as ``plan_document_for`` gives them, except that a partner's opaque refs are shared by all
    of them (one person keeps one ref), so the versions can be compared."""
    area = user_area(user)
    if area.everything:
        return list(documents)
    if area.role is None:
        raise PermissionDenied("pengguna tanpa peran")
    docs = [_filter_document(area, d) for d in documents]
    if area.role != Role.PARTNER:
        return docs
    everyone = {p.get("id"): p for d in docs for p in d.get("personnel", [])}
    order = sorted(everyone.values(), key=lambda p: (p.get("name", ""), p.get("id", "")))
    refs = {p.get("id"): f"anon-{i:05d}" for i, p in enumerate(order, start=1)}
    return [_strip_personal(d, refs) for d in docs]


def _filter_document(area: Area, document: dict) -> dict:
    districts = area.district_codes
    doc = dict(document)
    tps = [t for t in document.get("tps", []) if t.get("district") in districts]
    posts = [p for p in document.get("posts", []) if p.get("district") in districts]
    post_ids = {p["id"] for p in posts}
    reserves = [r for r in document.get("reserves", []) if r.get("unit") in area.inside_unit_codes]
    referenced = {pid for p in posts for pid in p.get("personnel", [])}
    referenced |= {pid for r in reserves for pid in r.get("personnel", [])}
    doc["tps"] = tps
    doc["posts"] = posts
    doc["assignments"] = [a for a in document.get("assignments", []) if a.get("post") in post_ids]
    doc["unmet"] = [u for u in document.get("unmet", []) if u.get("post") in post_ids]
    doc["reserves"] = reserves
    doc["units"] = [u for u in document.get("units", []) if u.get("id") in area.visible_unit_codes]
    doc["personnel"] = [p for p in document.get("personnel", [])
                        if p.get("unit") in area.inside_unit_codes or p.get("id") in referenced]
    areas = document.get("areas") or {}
    doc["areas"] = {"districts": [d for d in areas.get("districts", []) if d.get("code") in districts],
                    "villages": [v for v in areas.get("villages", []) if v.get("district") in districts]}
    summary = dict(document.get("summary") or {})
    summary["tps"] = len(tps)
    summary["tps_by_category"] = _count_by(tps, (summary.get("tps_by_category") or {}).keys())
    summary["posts"] = len(posts)
    summary["posts_by_category"] = _count_by(posts, (summary.get("posts_by_category") or {}).keys())
    summary["bko_needed"] = [b for b in summary.get("bko_needed", []) if b.get("district") in districts]
    doc["summary"] = summary
    doc["scope"] = {"role": area.role, "districts": sorted(districts),
                    "note": "Hanya wilayah pengguna. Angka ringkasan selain TPS, pos dan BKO berlaku untuk seluruh rencana."}
    return doc


def _count_by(rows: list[dict], keys) -> dict[str, int]:
    counts = dict.fromkeys(keys, 0)
    for row in rows:
        counts[row.get("category")] = counts.get(row.get("category"), 0) + 1
    return counts


def _strip_personal(doc: dict, refs: dict[str, str] | None = None) -> dict:
    """Replace NRPs with opaque refs everywhere (``refs`` may hold ones shared with other versions); people keep
    name and rank only."""
    people = sorted(doc.get("personnel", []), key=lambda p: (p.get("name", ""), p.get("id", "")))
    refs = dict(refs or {})

    def ref(pid):
        if pid is None:
            return None
        if pid not in refs:
            refs[pid] = f"anon-{len(refs) + 1:05d}"
        return refs[pid]

    doc = dict(doc)
    doc["personnel"] = [{"id": ref(p.get("id")), **{k: p.get(k) for k in PARTNER_PERSON_FIELDS}} for p in people]
    doc["posts"] = [{**p, "personnel": [ref(x) for x in p.get("personnel", [])], "commander": ref(p.get("commander"))}
                    for p in doc.get("posts", [])]
    doc["assignments"] = [{**a, "personnel": ref(a.get("personnel"))} for a in doc.get("assignments", [])]
    doc["reserves"] = [{**r, "personnel": [ref(x) for x in r.get("personnel", [])]} for r in doc.get("reserves", [])]
    doc["scope"] = {**doc.get("scope", {}), "personal_data": "disamarkan (mitra: hanya nama dan pangkat)"}
    return doc


# --- data uploads ------------------------------------------------------------------------------------

UPLOADERS = frozenset({Role.ADMIN, Role.PLANNER})
OUTSIDE_AREA = "di luar wilayah Anda"
_UPLOAD_CHUNK = 500  # codes per IN (...) query (SQLite's variable limit)


def require_uploader(user) -> str:
    """The user's role if it may upload data files (admin, planner), else PermissionDenied (403)."""
    role = user_role(user)
    if role not in UPLOADERS:
        raise PermissionDenied("peran Anda tidak boleh mengunggah data")
    return role


def upload_rows_outside(user, kind: str, records: list) -> list[tuple[int, str, str, str]]:
    """(record index, column, value, reason) of every uploaded record the user may not write.

    Admin: none. Planner: TPS of villages in its districts (and no stored TPS of another area under the same
    id); indicator values of TPS in its area; personnel of units inside its area (and no stored person of
    another area); units inside its area: a stored unit must be inside, listed districts in the area, and the
    parent inside (or in the same file and allowed, or unchanged). Other roles: PermissionDenied.
    """
    require_uploader(user)
    area = user_area(user)
    if area.everything:
        return []
    rule = {"tps": _tps_outside, "indicators": _indicators_outside, "personnel": _personnel_outside,
            "units": _units_outside}[kind]
    return rule(area, records)


def _codes_in(model, codes, area: Area, *, inside: bool) -> set[str]:
    """The given codes stored for ``model`` that lie inside (or outside) the area, queried in chunks."""
    found: set[str] = set()
    codes = sorted(set(codes))
    for start in range(0, len(codes), _UPLOAD_CHUNK):
        qs = model.objects.filter(code__in=codes[start:start + _UPLOAD_CHUNK])
        mine = scope_for(area, qs)
        found |= set((mine if inside else qs.exclude(pk__in=mine.values("pk"))).values_list("code", flat=True))
    return found


def _tps_outside(area: Area, records: list) -> list[tuple[int, str, str, str]]:
    from siaga.regions.models import TPS

    elsewhere = _codes_in(TPS, (r.tps_id for r in records), area, inside=False)
    out = []
    for i, r in enumerate(records):
        if r.village_code[:8] not in area.district_codes:
            out.append((i, "village_code", r.village_code, f"{OUTSIDE_AREA} (kecamatan {r.village_code[:8]})"))
        elif r.tps_id in elsewhere:
            out.append((i, "tps_id", r.tps_id, f"{OUTSIDE_AREA} (TPS ini tersimpan di wilayah lain)"))
    return out


def _indicators_outside(area: Area, records: list) -> list[tuple[int, str, str, str]]:
    from siaga.regions.models import TPS

    mine = _codes_in(TPS, (r.tps_id for r in records), area, inside=True)
    return [(i, "tps_id", r.tps_id, OUTSIDE_AREA) for i, r in enumerate(records) if r.tps_id not in mine]


def _personnel_outside(area: Area, records: list) -> list[tuple[int, str, str, str]]:
    from siaga.forces.models import Personnel

    elsewhere = _codes_in(Personnel, (r.personnel_id for r in records), area, inside=False)
    out = []
    for i, r in enumerate(records):
        if r.unit_id not in area.inside_unit_codes:
            out.append((i, "unit_id", r.unit_id, f"{OUTSIDE_AREA} (satuan di luar wilayah Anda)"))
        elif r.personnel_id in elsewhere:
            out.append((i, "personnel_id", r.personnel_id, f"{OUTSIDE_AREA} (personel ini tersimpan di satuan lain)"))
    return out


def _units_outside(area: Area, records: list) -> list[tuple[int, str, str, str]]:
    from siaga.forces.models import Unit
    from siaga.regions.models import District

    names = District.objects.filter(pk__in=area.district_ids).values_list("name", flat=True)
    keys = set(area.district_codes) | {name.casefold() for name in names}
    stored = dict(Unit.objects.values_list("code", "parent__code"))  # units are few (thousands nationally)
    out: dict[int, tuple[int, str, str, str]] = {}
    for i, r in enumerate(records):
        if r.unit_id in stored and r.unit_id not in area.inside_unit_codes:
            out[i] = (i, "unit_id", r.unit_id, f"{OUTSIDE_AREA} (satuan ini tersimpan di wilayah lain)")
            continue
        bad = [d for d in r.districts if d not in keys and d.casefold() not in keys]
        if bad:
            out[i] = (i, "districts", ";".join(bad), f"{OUTSIDE_AREA} (kecamatan)")
    # parents: allowed when unchanged, inside, or an allowed unit of this file (repeat until nothing changes)
    changed = True
    while changed:
        changed = False
        allowed = {r.unit_id for i, r in enumerate(records) if i not in out}
        for i, r in enumerate(records):
            if i in out:
                continue
            unchanged = r.unit_id in stored and stored[r.unit_id] == r.parent_id
            if r.parent_id is None:
                ok = unchanged or bool(r.districts)
            else:
                ok = unchanged or r.parent_id in area.inside_unit_codes or r.parent_id in allowed
            if not ok:
                out[i] = (i, "parent_id", r.parent_id or "",
                          f"{OUTSIDE_AREA} (unit induk)" if r.parent_id else
                          f"{OUTSIDE_AREA} (satuan tanpa induk perlu kecamatan di wilayah Anda)")
                changed = True
    return [out[i] for i in sorted(out)]
