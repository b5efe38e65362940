"""Plan workspace pages (/rencana/): posts of a version on the map, a post's panel with move/pin/sick forms, pins,
re-planning as a background job with a progress bar, versions with publish, comparison of two versions.

Thin like siaga.web.views: reads through siaga.deployments.selectors (scoped by siaga.accounts.scoping), writes
through the deployments and forces services. Writes refuse read-only roles with 403 before any lookup
(``require_writer``); people, TPS and posts outside the user's area answer 404 (``require_pin_edit``).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET, require_POST

from siaga.accounts.policy import may_write, redact, require_writer
from siaga.accounts.scoping import get_visible_or_404, scope
from siaga.core.errors import error_response
from siaga.core.services import write_as
from siaga.deployments import selectors as dsel
from siaga.deployments.access import plan_document_for
from siaga.deployments.models import Pin, Plan
from siaga.forces.models import Personnel
from siaga.planning.compare import SHORT_KEYS, totals
from siaga.web import selectors as sel
from siaga.web.json import json_endpoint
from siaga.web.labels import FORCE_LABELS
from siaga.web.views import _page, reader

STAND_DOWN_STATUSES = ("sick", "leave", "training")
#: The version's downloads (siaga.web.views.plan_download) and their stable test ids.
DOWNLOAD_TESTIDS = {"plan.xlsx": "download-xlsx", "plan.geojson": "download-geojson", "brief.html": "download-brief",
                    "plan.json": "download-json"}


def _int(value, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404(f"{field} '{value}' bukan angka") from None


def _workspace_url(operation_id: int, version: int | None = None, **extra) -> str:
    query = {"operation": operation_id, **({"version": version} if version else {}), **extra}
    return reverse("web:workspace") + "?" + urlencode(query)


def _chosen(request):
    """(operation, plan, latest plan) of ?operation=&version= (latest when no version); 404 outside the area."""
    user = request.user
    operation = sel.operation_current(user, request.GET.get("operation"))
    if operation is None:
        return None, None, None
    latest = dsel.plan_versions(user, operation).first()
    version = _int(request.GET.get("version"), "versi")
    if version is None:
        plan = dsel.plan_version_get(user, operation.pk) if latest else None
    else:
        plan = dsel.plan_version_get(user, operation.pk, version)
    return operation, plan, latest


def _panel_context(request, plan: Plan, document: dict, post_id: str) -> dict:
    panel = dsel.post_panel(document, post_id)
    if panel is None:
        raise Http404("pos tidak ditemukan")
    user = request.user
    codes = [p.get("id") for p in panel["people"] if p.get("id")]
    editable = set(scope(user, Personnel.objects.filter(code__in=codes))
                                         .values_list("code", flat=True))
    pins = redact(user, "deployments.pin",
                  [dsel.pin_row(p) for p in dsel.pins_visible(user, plan.operation).filter(post_id=post_id)])
    return {**panel, "plan": plan, "editable_people": [p for p in panel["people"] if p.get("id") in editable],
            "post_pins": pins, "can_pin": may_write(user, Pin), "is_latest": _is_latest(plan),
            "stand_down_statuses": STAND_DOWN_STATUSES}


def _is_latest(plan: Plan) -> bool:
    return not plan.operation.plans.filter(version__gt=plan.version).exists()


@require_GET
@reader
def workspace(request):
    """The workspace of ?operation= (default: latest visible) at ?version= (default: latest); ?post= opens a panel,
    ?job= shows a job's progress."""
    user = request.user
    operation, plan, latest = _chosen(request)
    context: dict = {"operation": operation, "operations": sel.operations_visible(user),
                     "plan": redact(user, "deployments.plan", plan) if plan is not None else None}
    if operation is None or plan is None:
        return _page(request, "web/workspace.html", context)
    document = plan_document_for(user, plan.document)
    job_id = _int(request.GET.get("job"), "tugas")
    job = dsel.job_get(user, job_id) if job_id else dsel.job_active(user, operation)
    context.update(
        versions=redact(user, "deployments.plan", list(dsel.plan_versions(user, operation))), latest=latest, is_latest=plan.version == latest.version,
        figures=totals(document),
        pins=redact(user, "deployments.pin", [dsel.pin_row(p) for p in dsel.pins_visible(user, operation)]),
        job=redact(user, "core.job", dsel.job_status(job)) if job else None, downloads=list(DOWNLOAD_TESTIDS.items()),
        can_pin=may_write(user, Pin), can_replan=may_write(user, Plan),
        synthetic=bool(document.get("synthetic")) or operation.synthetic,
        workspace_config={"dataUrl": reverse("web:workspace-data") + "?" + urlencode(
            {"operation": operation.pk, "version": plan.version}),
            "panelUrl": reverse("web:workspace-post", args=["__POST__"]) + "?" + urlencode(
                {"operation": operation.pk, "version": plan.version, "partial": 1}),
            "jobUrl": "/api/v1/jobs/__JOB__",  # job status is served once, by the API
            "tileUrl": _tile_url(), "open": request.GET.get("post", ""),
            "text": {"serverDown": _("Gagal menghubungi server."),
                     "sessionExpired": _("Sesi Anda berakhir; muat ulang halaman dan masuk lagi."), "posts": pgettext("jumlah", "pos"),
                     "postMissing": _("Pos %(id)s tidak ditemukan di wilayah Anda."),
                     "mapFailed": _("Gagal memuat data peta.")}},
    )
    post_id = request.GET.get("post", "")
    if post_id:
        context.update(_panel_context(request, plan, document, post_id), panel=True)
    return _page(request, "web/workspace.html", context)


def _tile_url() -> str:
    from django.conf import settings

    return settings.SIAGA_TILE_URL


@gzip_page
@require_GET
@json_endpoint
def workspace_data(request):
    """Posts and TPS of the chosen version (cut to the user's area) for the workspace map."""
    _, plan, _ = _chosen(request)
    if plan is None:
        raise Http404("rencana tidak ditemukan")
    return JsonResponse(dsel.workspace_points(plan_document_for(request.user, plan.document)))


@require_GET
@reader
def post_panel(request, post_id: str):
    """One post's panel (the map's side panel); outside the user's area or the version: 404."""
    _, plan, _ = _chosen(request)
    if plan is None:
        raise Http404("rencana tidak ditemukan")
    document = plan_document_for(request.user, plan.document)
    return _page(request, "web/_post_panel.html", _panel_context(request, plan, document, post_id))


def _back(operation_id: int, post_id: str = "") -> str:
    return _workspace_url(operation_id, **({"post": post_id} if post_id else {}))


@require_POST
@reader
def pin_add(request, operation_id: int):
    """Move a person (``personnel``) or a TPS (``tps``) to ``post``: a pin the next plan keeps."""
    from siaga.deployments.services import pin_add as service

    user = request.user
    person, tps = request.POST.get("personnel", "").strip(), request.POST.get("tps", "").strip()
    post_id = request.POST.get("post", "").strip()
    operation = dsel.pin_write_target(user, operation_id, post_id, personnel_code=person, tps_code=tps)
    back = _back(operation.pk, request.POST.get("from_post", "") or post_id)
    try:
        write_as(user, service, operation=operation, post_id=post_id, personnel_code=person or None,
                 tps_code=tps or None, reason=request.POST.get("reason", "").strip())
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
        return redirect(back)
    messages.success(request, _("%(target)s dipatok ke pos %(post)s; berlaku setelah susun ulang.")
                     % {"target": person or tps, "post": post_id})
    return redirect(back)


@require_POST
@reader
def pin_remove(request, operation_id: int):
    """Remove the pin of ``target`` (NRP or TPS id)."""
    from siaga.deployments.services import pin_remove as service

    user = request.user
    operation, person, tps = dsel.pin_removal_target(user, operation_id, request.POST.get("target", "").strip())
    write_as(user, service, operation=operation, personnel_code=person, tps_code=tps)
    messages.success(request, _("Patokan dihapus."))
    return redirect(_back(operation.pk, request.POST.get("from_post", "")))


@require_POST
@reader
def stand_down(request, operation_id: int):
    """Mark a person sick (or on leave / in training): the next plan leaves the person out; its pins go."""
    from siaga.deployments.services import personnel_stand_down

    user = request.user
    require_writer(user, Personnel)
    operation = get_visible_or_404(user, sel.operations_visible(user), pk=operation_id)
    code = request.POST.get("personnel", "").strip()
    get_visible_or_404(user, Personnel.objects.all(), code=code)
    back = _back(operation.pk, request.POST.get("from_post", ""))
    status = request.POST.get("status", "sick")
    try:
        if status not in STAND_DOWN_STATUSES:
            raise ValidationError(f"status '{status}' tidak boleh di sini; pilih: {', '.join(STAND_DOWN_STATUSES)}")
        write_as(user, personnel_stand_down, code=code, status=status, reason=request.POST.get("reason", "").strip())
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
        return redirect(back)
    messages.success(request, _("Status personel disimpan; berlaku setelah susun ulang."))
    return redirect(back)


@require_POST
@reader
def replan(request, operation_id: int):
    """Start a re-plan job. JSON callers (Accept: application/json) get 202 and the job; forms are sent back to the
    workspace with ?job= to follow its progress."""
    from siaga.core.jobs import JobBusy
    from siaga.deployments.services import replan_start

    user = request.user
    wants_json = "application/json" in request.headers.get("Accept", "")
    require_writer(user, Plan)
    operation = get_visible_or_404(user, sel.operations_visible(user), pk=operation_id)
    try:
        job = write_as(user, replan_start, operation=operation)
    except (JobBusy, ValidationError) as exc:
        text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        if wants_json:
            return error_response(409 if isinstance(exc, JobBusy) else 400, text)
        messages.error(request, text)
        return redirect(_back(operation.pk))
    if wants_json:
        return JsonResponse(_job_json(request.user, job), status=202)
    return redirect(_workspace_url(operation.pk, job=job.pk))


def _job_json(user, job) -> dict:
    body = redact(user, "core.job", dsel.job_status(job))
    if body["version"]:
        body["url"] = _workspace_url(body["operation"], body["version"])
    return body


@require_POST
@reader
def publish(request, operation_id: int, version: int):
    """Publish a version (admin, planner)."""
    from siaga.deployments.services import plan_publish

    user = request.user
    require_writer(user, Plan)
    plan = dsel.plan_version_get(user, operation_id, version)
    write_as(user, plan_publish, plan=plan)
    messages.success(request, _("Versi %(v)s diterbitkan.") % {"v": version})
    return redirect(_workspace_url(operation_id, version))


@require_GET
@reader
def compare(request, operation_id: int):
    """Two versions side by side: ?a= (older) and ?b= (newer); default: the two latest."""
    user = request.user
    operation = get_visible_or_404(user, sel.operations_visible(user), pk=operation_id)
    versions = list(dsel.plan_versions(user, operation))
    if not versions:
        raise Http404("rencana tidak ditemukan")
    a = _int(request.GET.get("a"), "a") or versions[min(1, len(versions) - 1)].version
    b = _int(request.GET.get("b"), "b") or versions[0].version
    diff = dsel.plan_comparison(user, operation.pk, a, b)
    t = diff["totals"]
    scalar_rows = [(_("Pos"), t["posts"]), ("TPS", t["tps"]), (_("Pos kurang personel"), t["unmet_posts"]),
                   (_("Jumlah kekurangan"), t["unmet_total"]), (_("Regu cadangan"), t["reserve_squads"]),
                   (_("Kekuatan cadangan"), t["reserve_strength"])]
    forces = {**FORCE_LABELS, "commander": _("komandan pos")}
    force_rows = [(label, forces[force], t[key][force])
                  for key, label in (("required", _("Dibutuhkan")), ("assigned", _("Ditempatkan")),
                                     ("short", _("Kurang")))
                  for force in SHORT_KEYS]
    return _page(request, "web/compare.html", {"operation": operation, "versions": versions, "diff": diff,
                                               "scalar_rows": scalar_rows, "force_rows": force_rows,
                                               "synthetic": operation.synthetic})
