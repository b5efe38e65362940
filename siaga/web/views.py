"""Web pages. Thin: read through siaga.web.selectors / mapdata (scoped), write through the services.

Every view needs a login (LoginRequiredMiddleware) and a role (403 without); writes refuse read-only roles
with 403 before any lookup and objects outside the user's area with 404 (siaga.accounts.scoping).
"""

from __future__ import annotations

import json
import tempfile
from functools import wraps
from pathlib import Path

from csp.decorators import csp_update
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET, require_POST

from siaga.accounts.models import Role
from siaga.accounts.policy import can_edit, redact, require_reader, require_writer, sees_personal_data
from siaga.accounts.scoping import get_visible_or_404, scope
from siaga.core.services import write_as
from siaga.deployments.access import plan_tps_for
from siaga.forces.models import Personnel
from siaga.regions.models import TPS, District, Village
from siaga.risk.models import Indicator
from siaga.web import mapdata
from siaga.web import selectors as sel
from siaga.web.csp import BRIEF_STYLE
from siaga.web.json import json_endpoint
from siaga.web.labels import CATEGORY_LABELS, FORCE_LABELS, STATUS_LABELS

DOWNLOADS = {"plan.json": "application/json", "plan.xlsx":
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "plan.geojson": "application/geo+json", "brief.html": "text/html; charset=utf-8"}


def reader(view):
    """Refuse (403) a logged-in user without a role; put the role on the request."""
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.siaga_role = require_reader(request.user)
        return view(request, *args, **kwargs)
    return wrapped


def _page(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    role = request.siaga_role
    base = {"role": role, "is_partner": role == Role.PARTNER, "category_labels": CATEGORY_LABELS,
            "force_labels": FORCE_LABELS, "status_labels": STATUS_LABELS,
            "can_write": role in (Role.ADMIN, Role.PLANNER, Role.COMMANDER)}
    return render(request, template, {**base, **context}, status=status)


def _back(request, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@require_GET
@reader
def overview(request):
    user = request.user
    operation = sel.operation_current(user, request.GET.get("operation"))
    plan = sel.plan_current(user, operation)
    counts, source = sel.category_counts(user, plan)
    context = {"operation": operation, "operations": sel.operations_visible(user), "plan": plan,
               "category_counts": [(c, CATEGORY_LABELS.get(c, c), n) for c, n in counts.items()],
               "category_source": source, "synthetic": sel.synthetic_shown(user, plan, operation),
               "stages": sel.stages_of(operation) if operation else [],
               "available": sel.available_by_force(user)}
    if plan is not None:
        unmet, unmet_total = sel.unmet_rows(plan)
        context.update(forces=sel.force_rows(user, plan), units=sel.unit_rows(user, plan), unmet=unmet,
                       unmet_total=unmet_total, reserves=sel.reserve_rows(plan),
                       stage_check=plan.document.get("summary", {}).get("stage_check"),
                       downloads=list(DOWNLOADS))
    return _page(request, "web/overview.html", context)


@require_GET
@reader
@csp_update({"style-src": [BRIEF_STYLE]})  # brief.html opens in the browser with its own <style> block
def plan_download(request, operation_id: int, version: int, name: str):
    """plan.json / plan.xlsx / plan.geojson / brief.html of a plan version, cut to the user's area,
    written on the fly to a temporary folder and streamed."""
    if name not in DOWNLOADS:
        raise Http404("berkas tidak dikenal")
    plan = sel.plan_get(request.user, operation_id, version)
    filename = f"{plan.plan.operation_id}-v{plan.plan.version}-{name}"
    if name == "plan.json":
        response = HttpResponse(json.dumps(plan.document, ensure_ascii=False, indent=1), content_type=DOWNLOADS[name])
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    from siaga import reports

    writer = {"plan.xlsx": reports.write_plan_xlsx, "plan.geojson": reports.write_plan_geojson,
              "brief.html": reports.write_brief_html}[name]
    with tempfile.TemporaryDirectory(prefix="siaga-web-") as folder:
        path = writer(plan.document, Path(folder) / name)
        handle = open(path, "rb")  # noqa: SIM115 - FileResponse closes it; readable after the folder goes (POSIX)
    return FileResponse(handle, as_attachment=name != "brief.html", filename=filename,
                        content_type=DOWNLOADS[name])


@require_GET
@reader
def map_page(request):
    user = request.user
    district = request.GET.get("district", "")
    operation = sel.operation_current(user, request.GET.get("operation"))
    context = {"operation": operation, "synthetic": sel.synthetic_shown(user, None, operation),
               "plan": sel.plan_current_ref(user, operation),
               "districts": scope(user, District.objects.all()),
               "villages": scope(user, Village.objects.filter(district__code=district)) if district else [],
               "indicators": Indicator.objects.order_by("code"), "categories": sel.MAP_CATEGORIES,
               "filters": {k: request.GET.get(k, "") for k in ("district", "village", "category", "indicator")},
               "tile_url": settings.SIAGA_TILE_URL, "open_tps": request.GET.get("tps", ""),
               "map_config": {"tileUrl": settings.SIAGA_TILE_URL, "categories": list(sel.MAP_CATEGORIES),
                              "labels": {c: str(CATEGORY_LABELS[c]) for c in sel.MAP_CATEGORIES},
                              "text": {"mapFailed": _("Gagal memuat data peta."), "clustered": _("dikelompokkan")}}}
    return _page(request, "web/map.html", context)


@gzip_page
@require_GET
@json_endpoint
def map_data(request):
    user = request.user
    try:
        bbox = mapdata.parse_bbox(request.GET.get("bbox"))
        zoom = int(request.GET["zoom"]) if request.GET.get("zoom") else None
    except ValueError as exc:
        return JsonResponse({"error": {"code": "bad_request", "message": str(exc), "details": []}}, status=400)
    f = mapdata.MapFilter(district=request.GET.get("district", ""), village=request.GET.get("village", ""),
                          category=request.GET.get("category", ""), indicator=request.GET.get("indicator", ""),
                          bbox=bbox, zoom=zoom)
    operation = sel.operation_current(user, request.GET.get("operation"))
    body = mapdata.map_data(user, f, sel.plan_current_ref(user, operation))
    body["districts"] = mapdata.district_labels(user, f)
    return JsonResponse(body)


@require_GET
@reader
def tps_panel(request, code: str):
    """One TPS: score, reasons, evidence and (for writers) the override form. ?partial=1 = the map's side panel."""
    return _tps_page(request, code)


def _tps_page(request, code: str, error: str = "", status: int = 200, form: dict | None = None):
    user = request.user
    operation = sel.operation_current(user, request.GET.get("operation"))
    plan = sel.plan_current_ref(user, operation)
    detail = mapdata.tps_detail(user, code, plan)
    context = {**detail, "error": error, "form": form or {}, "editable": can_edit(user, detail["tps"]),
               "synthetic": detail["tps"].synthetic or bool(plan and plan.operation.synthetic),
               "manual_choices": [(c, CATEGORY_LABELS[c]) for c in TPS.Category.values],
               # as the user may read them (partners: no typed reasons, no notes)
               "tps": redact(user, "regions.tps", detail["tps"]), "plan_row": plan_tps_for(user, detail["plan_row"]),
               "evidence": redact(user, "risk.indicatorvalue", detail["evidence"])}
    template = "web/_tps_panel.html" if request.GET.get("partial") else "web/tps.html"
    return _page(request, template, context, status=status)


@require_POST
@reader
def tps_category(request, code: str):
    """Set or clear a TPS's manual category (reason required) through risk.services.tps_set_category."""
    from siaga.risk.services import tps_set_category

    user = request.user
    require_writer(user, TPS)
    get_visible_or_404(user, TPS.objects.all(), code=code)
    category = request.POST.get("category", "")
    reason = request.POST.get("reason", "")
    try:
        write_as(user, tps_set_category, code=code, category=category or None, reason=reason)
    except ValidationError as exc:
        return _tps_page(request, code, error="; ".join(exc.messages), status=400,
                         form={"category": category, "reason": reason})
    messages.success(request, _("Kategori TPS %(code)s disimpan.") % {"code": code})
    return redirect(_back(request, f"/peta/?tps={code}"))


@require_GET
@reader
def personnel_list(request):
    """The people of the user's area. Partners read no person: they are sent to the units page (counts)."""
    user = request.user
    if not sees_personal_data(user):
        messages.info(request, _("Data perorangan tidak ditampilkan untuk mitra; jumlah personel ada per satuan."))
        return redirect("web:units")
    f = sel.PersonnelFilter(q=request.GET.get("q", "").strip(), unit=request.GET.get("unit", ""),
                            force=request.GET.get("force", ""), status=request.GET.get("status", ""))
    page = sel.personnel_page(user, f, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"page": page, "filters": f, "query": query.urlencode(),
               "units": sel.units_visible(user).filter(pk__in=scope(user, Personnel.objects.all()).values("unit_id")),
               "synthetic": any(p.synthetic for p in page.object_list)}
    return _page(request, "web/personnel.html", context)


@require_POST
@reader
def personnel_status(request, code: str):
    """Change a person's status through forces.services.personnel_set_status."""
    from siaga.forces.services import personnel_set_status

    user = request.user
    require_writer(user, Personnel)
    get_visible_or_404(user, Personnel.objects.all(), code=code)
    try:
        write_as(user, personnel_set_status, code=code, status=request.POST.get("status", ""),
                 reason=request.POST.get("reason", "").strip())
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
        return redirect(_back(request, "/personel/"))
    messages.success(request, _("Status personel disimpan."))
    return redirect(_back(request, "/personel/"))


@require_GET
@reader
def unit_list(request):
    user = request.user
    units = list(sel.units_visible(user))
    strength = sel.unit_strength(user)
    rows = [{"unit": u, "districts": [d.name for d in u.districts.all()], "strength": strength.get(u.pk)}
            for u in units]
    return _page(request, "web/units.html", {"rows": rows, "synthetic": any(u.synthetic for u in units)})
