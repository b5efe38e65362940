"""Reads for the web pages, always through siaga.accounts.scoping (never re-deriving its rules).

The plan figures come from the latest plan version the user may see, cut to the user's area by
``scoping.plan_document_for``; live figures (people available, manual categories) come from the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q

from siaga.accounts.policy import require_personal_access
from siaga.accounts.scoping import get_visible_or_404, scope
from siaga.deployments.access import plan_document_for
from siaga.deployments.models import Plan
from siaga.domain.vocab import CATEGORIES, FORCES
from siaga.elections.models import Operation
from siaga.forces.models import Personnel, Unit
from siaga.regions.models import TPS

UNRATED = "belum_dinilai"
#: Category codes of the map, ordered so that a larger number is worse (a cluster shows its worst).
MAP_CATEGORIES: tuple[str, ...] = (UNRATED, "kurang_rawan", "rawan", "khusus", "sangat_rawan")
PERSONNEL_PAGE_SIZE = 50


@dataclass
class PlanView:
    """The latest plan version a user may see, with its document cut to the user's area."""

    plan: Plan
    document: dict[str, Any]

    @property
    def synthetic(self) -> bool:
        return bool(self.document.get("synthetic"))


def operations_visible(user):
    return scope(user, Operation.objects.select_related("election", "commanding_unit")).order_by("-start", "-pk")


def operation_current(user, operation_id: str | int | None) -> Operation | None:
    """The chosen operation (404 outside the area) or the latest one the user may see, or None."""
    if operation_id not in (None, ""):
        try:
            pk = int(operation_id)
        except (TypeError, ValueError):
            pk = 0
        return get_visible_or_404(user, operations_visible(user), pk=pk)
    return operations_visible(user).first()


def plan_current(user, operation: Operation | None) -> PlanView | None:
    """The operation's current plan (``Plan.objects.current``: published, else newest) as the user may read it."""
    plan = plan_current_ref(user, operation)
    if plan is None:
        return None
    plan = Plan.objects.get(pk=plan.pk)  # with its document
    return PlanView(plan, plan_document_for(user, plan.document))


def plan_current_ref(user, operation: Operation | None) -> Plan | None:
    """The current plan without loading its document (the map reads the index tables)."""
    if operation is None:
        return None
    return (scope(user, Plan.objects.filter(operation=operation)).current_first().select_related("operation")
            .defer("document").first())


def plan_get(user, operation_id: int, version: int) -> PlanView:
    plan = get_visible_or_404(user, Plan.objects.all(), operation_id=operation_id, version=version)
    return PlanView(plan, plan_document_for(user, plan.document))


def category_counts(user, plan: PlanView | None) -> tuple[dict[str, int], str]:
    """TPS by category and where the figures come from ("plan" or "manual")."""
    if plan is not None:
        counts = plan.document.get("summary", {}).get("tps_by_category") or {}
        return {c: int(counts.get(c, 0)) for c in CATEGORIES}, "plan"
    rows = dict(scope(user, TPS.objects.all()).values_list("manual_category").annotate(n=Count("pk")).order_by())
    counts = {c: int(rows.get(c, 0)) for c in CATEGORIES}
    counts[UNRATED] = int(rows.get("", 0))
    return counts, "manual"


@dataclass
class ForceRow:
    force: str
    required: int = 0
    assigned: int = 0
    unmet: int = 0
    available: int = 0


@dataclass
class UnitRow:
    code: str
    name: str
    posts: int = 0
    required: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FORCES, 0))
    assigned: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FORCES, 0))
    unmet: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FORCES, 0))
    available_polri: int | None = None

    @property
    def unmet_total(self) -> int:
        return sum(self.unmet.values())


def available_by_force(user) -> dict[str, int]:
    """People of the user's area with status available, per force (counts only, fine for partners)."""
    rows = dict(scope(user, Personnel.objects.filter(status=Personnel.Status.AVAILABLE))
                .values_list("force").annotate(n=Count("pk")).order_by())
    return {f: int(rows.get(f, 0)) for f in FORCES}


def force_rows(user, plan: PlanView) -> list[ForceRow]:
    """Requirement, assignment and shortfall per force, counted over the posts of the user's document."""
    doc = plan.document
    rows = {f: ForceRow(f) for f in FORCES}
    for post in doc.get("posts", []):
        for force, n in (post.get("required") or {}).items():
            if force in rows:
                rows[force].required += int(n)
    for a in doc.get("assignments", []):
        if a.get("force") in rows:
            rows[a["force"]].assigned += 1
    for u in doc.get("unmet", []):
        if u.get("force") in rows:
            rows[u["force"]].unmet += int(u.get("count", 0))
    for force, n in available_by_force(user).items():
        rows[force].available = n
    return list(rows.values())


def unit_rows(user, plan: PlanView) -> list[UnitRow]:
    """Per unit holding posts (the Polsek, else the Polres): posts, required, assigned and unmet per force."""
    doc = plan.document
    names = {u["id"]: u.get("name", u["id"]) for u in doc.get("units", [])}
    rows: dict[str, UnitRow] = {}
    post_unit: dict[str, str] = {}
    for post in doc.get("posts", []):
        code = post.get("unit") or "-"
        row = rows.setdefault(code, UnitRow(code, names.get(code, code)))
        row.posts += 1
        post_unit[post["id"]] = code
        for force, n in (post.get("required") or {}).items():
            if force in row.required:
                row.required[force] += int(n)
    for a in doc.get("assignments", []):
        row = rows.get(post_unit.get(a.get("post"), ""))
        if row is not None and a.get("force") in row.assigned:
            row.assigned[a["force"]] += 1
    for u in doc.get("unmet", []):
        row = rows.get(post_unit.get(u.get("post"), ""))
        if row is not None and u.get("force") in row.unmet:
            row.unmet[u["force"]] += int(u.get("count", 0))
    available = dict(scope(user, Personnel.objects.filter(status=Personnel.Status.AVAILABLE, force="polri",
                                                          unit__code__in=list(rows)))
                     .values_list("unit__code").annotate(n=Count("pk")).order_by())
    for code, row in rows.items():
        row.available_polri = available.get(code)
    return sorted(rows.values(), key=lambda r: r.code)


def stages_of(operation: Operation) -> list[dict[str, Any]]:
    return [{"name": s.name, "start": s.start, "end": s.end, "share": s.min_share,
             "percent": round(100 * float(s.min_share))} for s in operation.election.stages.all()]


def synthetic_shown(user, plan: PlanView | None, operation: Operation | None) -> bool:
    """True when the data on a page are synthetic (plan document, operation, or any TPS/person of the area)."""
    if plan is not None and plan.synthetic:
        return True
    if operation is not None and operation.synthetic:
        return True
    return (scope(user, TPS.objects.filter(synthetic=True)).exists()
            or scope(user, Personnel.objects.filter(synthetic=True)).exists())


# --- personnel and units ----------------------------------------------------------------------------

@dataclass(frozen=True)
class PersonnelFilter:
    q: str = ""
    unit: str = ""
    force: str = ""
    status: str = ""


def personnel_page(user, filters: PersonnelFilter, page_number) -> Page:
    """A page of the people of the user's area (never for partners: 403)."""
    require_personal_access(user, "forces.personnel")
    qs = scope(user, Personnel.objects.select_related("unit"))
    if filters.unit:
        qs = qs.filter(unit__code=filters.unit)
    if filters.force:
        qs = qs.filter(force=filters.force)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.q:
        by_name = Q(name__icontains=filters.q)
        qs = qs.filter(by_name | Q(code__icontains=filters.q))
    qs = qs.order_by("unit__code", "-rank_order", "name", "pk")
    return Paginator(qs, PERSONNEL_PAGE_SIZE).get_page(page_number)


def user_role_is(user, role: str) -> bool:
    from siaga.accounts.selectors import user_role

    return user_role(user) == role


def units_visible(user):
    return scope(user, Unit.objects.select_related("parent").prefetch_related("districts")).order_by("code")


def unit_strength(user) -> dict[int, dict[str, int]]:
    """Per unit id: people and available people, counted only over the personnel the user may see."""
    rows = scope(user, Personnel.objects.all()).values("unit_id").annotate(
        total=Count("pk"), available=Count("pk", filter=Q(status=Personnel.Status.AVAILABLE))).order_by()
    return {r["unit_id"]: {"total": r["total"], "available": r["available"]} for r in rows}


def unmet_rows(plan: PlanView, limit: int = 100) -> tuple[list[dict], int]:
    rows = sorted(plan.document.get("unmet", []), key=lambda u: (u.get("post", ""), u.get("force", "")))
    return rows[:limit], len(rows)


def reserve_rows(plan: PlanView) -> list[dict]:
    return [{"id": r.get("id"), "unit": r.get("unit"), "kind": r.get("kind", ""),
             "strength": len(r.get("personnel", [])), "covers_km": r.get("covers_km")}
            for r in plan.document.get("reserves", [])]
