"""Who sees which plans, pins and parts of a plan document: the rules of this app (docs/access.md).

Scope rules for plans and pins, the audit events about plans, the pin gate of the workspace, and the cutting
of a plan document to a user's area. What partners do not see of a document is declared here once, per part
(``plan.post``, ``plan.reserve``, ...), and applied by ``siaga.accounts.policy.redact``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from siaga.accounts.policy import REDACTED_ROLES, redact, require_writer
from siaga.accounts.scoping import get_visible_or_404, user_area
from siaga.core.access import Area, register_audit_targets, register_scope, scope_for
from siaga.core.redaction import declare

# --- rows ------------------------------------------------------------------------------------------------


def _plans(area: Area, qs: QuerySet) -> QuerySet:
    from siaga.elections.models import Operation

    return qs.filter(operation__in=scope_for(area, Operation.objects.all()))


def _pins(area: Area, qs: QuerySet) -> QuerySet:
    """Pins of visible operations whose person or TPS the user may see (partners: of TPS only)."""
    from siaga.elections.models import Operation

    qs = qs.filter(operation__in=scope_for(area, Operation.objects.all())).filter(
        Q(personnel__unit_id__in=area.inside_unit_ids) | Q(tps__village__district_id__in=area.district_ids))
    if area.role in REDACTED_ROLES:  # a pin of a person is personal data: partners see pins of TPS only
        qs = qs.filter(personnel__isnull=True)
    return qs


register_scope("deployments.plan", _plans)
register_scope("deployments.pin", _pins)


@register_audit_targets
def _plan_events(area: Area) -> Q:
    """Audit events about the plans of the area's operations (target ``plan:<operation>/<version>``)."""
    from siaga.deployments.models import Plan

    condition = Q(pk__in=[])
    for op_id in scope_for(area, Plan.objects.all()).values_list("operation_id", flat=True).distinct():
        condition |= Q(target__startswith=f"plan:{op_id}/")
    return condition


# --- what partners do not see ----------------------------------------------------------------------------

declare("deployments.plan", actors=("created_by",))
declare("deployments.pin", free_text=("reason",), actors=("created_by",))
declare("plan.comparison", personal=("people_moved", "people_added", "people_removed"))
declare("plan.tps", free_text=("category_reason",))
declare("plan.post", personal=("personnel", "commander", "commander_name", "people"))
declare("plan.reserve", personal=("personnel", "people"))
declare("plan.assignment", personal=("personnel",))  # the rows stay: counts per force and role
declare("plan.unmet")
declare("plan.unit")
declare("plan.document", nested={"tps": "plan.tps", "posts": "plan.post", "reserves": "plan.reserve",
                                 "assignments": "plan.assignment", "unmet": "plan.unmet", "units": "plan.unit",
                                 "personnel": "forces.personnel"})

#: The first reason of a manual category in documents made before the typed reason travelled apart
#: (``Kategori ditetapkan manual: <typed text>``): partners get the words before the colon only.
_LEGACY_MANUAL_PREFIXES = ("Kategori ditetapkan manual:", "Category set by hand:")


# --- plan documents --------------------------------------------------------------------------------------

def plan_document_for(user, document: dict) -> dict:
    """The plan.json a user may read: admins get it whole; others only their area's TPS, posts and people;
    partners also get no people (assignments and posts keep their counts) and no typed text (the ``plan.document`` policy)."""
    area = user_area(user)
    if area.everything:
        return document
    if area.role is None:
        raise PermissionDenied(_("pengguna tanpa peran"))
    return _redacted(user, _filter_document(area, document))


def plan_documents_for(user, *documents: dict) -> list[dict]:
    """Several versions as ``plan_document_for`` gives them (to compare them)."""
    return [plan_document_for(user, d) for d in documents]


def plan_tps_for(user, row: dict | None) -> dict | None:
    """One TPS row of a plan (its score, category, reasons) as the user may read it."""
    if row is None:
        return None
    out = redact(user, "plan.tps", row)
    if out is row:
        return row
    return {**out, "reasons": _legacy_reasons(out.get("reasons")), "reasons_en": _legacy_reasons(out.get("reasons_en"))}


def _redacted(user, doc: dict) -> dict:
    out = redact(user, "plan.document", doc)
    if out is doc:
        return doc
    out["tps"] = [{**t, "reasons": _legacy_reasons(t.get("reasons")), "reasons_en": _legacy_reasons(
        t.get("reasons_en"))} for t in out.get("tps", [])]
    out["scope"] = {**out.get("scope", {}), "personal_data": "tidak ditampilkan untuk mitra (hanya jumlah)"}
    return out


def _legacy_reasons(reasons: list | None) -> list:
    out = []
    for reason in reasons or []:
        for prefix in _LEGACY_MANUAL_PREFIXES:
            if isinstance(reason, str) and reason.startswith(prefix):
                reason = prefix[:-1]
        out.append(reason)
    return out


def _filter_document(area: Area, document: dict) -> dict:
    districts = area.district_codes
    doc = dict(document)
    tps = [t for t in document.get("tps", []) if t.get("district") in districts]
    posts = [{**p, "staffed": len(p.get("personnel", []))}
             for p in document.get("posts", []) if p.get("district") in districts]
    post_ids = {p["id"] for p in posts}
    reserves = [{**r, "strength": len(r.get("personnel", []))}
                for r in document.get("reserves", []) if r.get("unit") in area.inside_unit_codes]
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


# --- the workspace ---------------------------------------------------------------------------------------

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
            raise Http404(_("pos tidak ditemukan"))
