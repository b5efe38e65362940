"""Reads of the deployments app: an operation's data, pins and plan versions, and the plan workspace's views of them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from siaga.deployments.models import Pin, Plan
from siaga.elections.models import Operation
from siaga.formats.records import Dataset


def operation_get(operation_id: int) -> Operation:
    from django.core.exceptions import ObjectDoesNotExist

    try:
        return Operation.objects.select_related("election").get(pk=operation_id)
    except ObjectDoesNotExist:
        known = ", ".join(f"{o.pk} ({o.name})" for o in Operation.objects.all()[:20]) or "belum ada"
        raise ValueError(f"operasi {operation_id} tidak dikenal; yang ada: {known}") from None


def latest_plan(operation: Operation) -> Plan | None:
    """The newest version, which a re-plan builds on (``Plan.objects.latest_draft``)."""
    return Plan.objects.latest_draft(operation)


def operation_dataset(operation: Operation) -> Dataset:
    """The TPS of the election's regencies, and the units (with people) that serve there."""
    from siaga.dataio.selectors import stored_dataset

    regencies = set(operation.election.regencies.values_list("code", flat=True))
    dataset = stored_dataset(regency_codes=regencies or None)
    if not regencies:
        return dataset
    districts = {t.district_name for t in dataset.tps} | {t.village_code[:8] for t in dataset.tps}
    by_id = {u.unit_id: u for u in dataset.units}
    chosen = {u.unit_id for u in dataset.units if any(d in districts for d in u.districts)}
    for unit_id in list(chosen):  # the commands above them (Polres, Kodim)
        parent = by_id[unit_id].parent_id
        while parent and parent in by_id:
            chosen.add(parent)
            parent = by_id[parent].parent_id
    grew = True
    while grew:  # units without districts of their own serve their parent's area (e.g. a reserve)
        extra = {u.unit_id for u in dataset.units if not u.districts and u.parent_id in chosen} - chosen
        chosen |= extra
        grew = bool(extra)
    dataset.units = [u for u in dataset.units if u.unit_id in chosen]
    dataset.personnel = [p for p in dataset.personnel if p.unit_id in chosen]
    return dataset


def operation_pins(operation: Operation):
    """The operation's pins as the planner's Pins value."""
    from siaga.planning.model import Pins

    person_post, tps_post = {}, {}
    for pin in Pin.objects.filter(operation=operation).select_related("personnel", "tps"):
        if pin.personnel_id:
            person_post[pin.personnel.code] = pin.post_id
        else:
            tps_post[pin.tps.code] = pin.post_id
    return Pins(person_post=person_post, tps_post=tps_post)


# --- plan workspace (pages and API): every read goes through siaga.accounts.scoping ------------------

#: Readable names of a job's stages (plan_create's progress stages, plus the job's own start and end).
STAGE_LABELS = {"mulai": _("memulai"), "kerawanan": _("menilai kerawanan TPS"), "posts": _("menyusun pos"),
                "staffing": _("menempatkan personel"), "reserves": _("membentuk cadangan"),
                "output": _("menulis rencana"), "selesai": _("selesai")}
#: Map colour order of categories (index = code in workspace data).
WORKSPACE_CATEGORIES = ("kurang_rawan", "rawan", "sangat_rawan", "khusus")


def plan_versions(user, operation: Operation):
    """The versions of an operation the user may see, newest first, without their documents."""
    from siaga.accounts.scoping import scope

    return scope(user, Plan.objects.filter(operation=operation)).order_by("-version").defer("document")


def plan_version_get(user, operation_id: int, version: int | None = None) -> Plan:
    """One version (the latest when ``version`` is None) of a visible operation; Http404 otherwise."""
    from django.http import Http404

    from siaga.accounts.scoping import get_visible_or_404, scope

    if version is not None:
        return get_visible_or_404(user, Plan.objects.select_related("operation"), operation_id=operation_id,
                                  version=version)
    plan = scope(user, Plan.objects.select_related("operation").filter(operation_id=operation_id)).order_by(
        "-version").first()
    if plan is None:
        raise Http404("rencana tidak ditemukan")
    return plan


def pins_visible(user, operation: Operation):
    from siaga.accounts.scoping import scope

    return scope(user, Pin.objects.filter(operation=operation).select_related("personnel", "tps__village")).order_by(
        "post_id", "pk")


def pin_row(pin: Pin) -> dict[str, Any]:
    """A pin as pages and the API show it (partners read it through the ``deployments.pin`` policy, and see no
    pin of a person at all: deployments.access)."""
    person = pin.personnel
    if person is not None:
        return {"kind": "personnel", "target": person.code, "name": person.name,
                "rank": person.rank, "post": pin.post_id, "reason": pin.reason,
                "created_by": pin.created_by, "created_at": pin.created_at}
    return {"kind": "tps", "target": pin.tps.code, "name": f"TPS {pin.tps.number:03d} {pin.tps.village.name}",
            "rank": "", "post": pin.post_id, "reason": pin.reason,
            "created_by": pin.created_by, "created_at": pin.created_at}


def job_get(user, job_id: int):
    from siaga.accounts.scoping import get_visible_or_404
    from siaga.core.models import Job

    return get_visible_or_404(user, Job.objects.all(), pk=job_id)


def job_active(user, operation: Operation):
    """The queued or running re-plan of the operation, if any (and visible)."""
    from siaga.accounts.scoping import scope
    from siaga.core.models import Job

    return scope(user, Job.objects.filter(subject=f"operation:{operation.pk}", state__in=Job.ACTIVE)).first()


def job_status(job) -> dict[str, Any]:
    """A job as JSON (pages poll it; the API returns it)."""
    result = job.result or {}
    return {"id": job.pk, "kind": job.kind, "state": job.state, "state_label": str(job.get_state_display()),
            "progress": round(float(job.progress), 3), "stage": job.stage,
            "stage_label": str(STAGE_LABELS.get(job.stage, job.stage)), "message": job.message, "result": result,
            "operation": job.params.get("operation"), "version": result.get("version"),
            "created_by": job.created_by, "created_at": job.created_at, "started_at": job.started_at,
            "finished_at": job.finished_at}


def workspace_points(document: dict) -> dict[str, Any]:
    """Compact map data of a (cut) document: posts ``[id, lat, lon, category, TPS count, short]`` and TPS
    ``[id, lat, lon, post index, category]`` (category = index in WORKSPACE_CATEGORIES, -1 unknown)."""
    cat = {c: i for i, c in enumerate(WORKSPACE_CATEGORIES)}
    short: dict[str, int] = {}
    for u in document.get("unmet", []):
        short[u.get("post", "")] = short.get(u.get("post", ""), 0) + int(u.get("count", 0))
    posts = document.get("posts", [])
    index = {p["id"]: i for i, p in enumerate(posts)}
    body: dict[str, Any] = {
        "categories": list(WORKSPACE_CATEGORIES),
        "posts": [[p["id"], round(p["lat"], 6), round(p["lon"], 6), cat.get(p.get("category"), -1),
                   len(p.get("tps", [])), short.get(p["id"], 0)] for p in posts],
        "tps": [[t["id"], round(t["lat"], 6), round(t["lon"], 6), index.get(t.get("post"), -1),
                 cat.get(t.get("category"), -1)] for t in document.get("tps", []) if "lat" in t],
    }
    lats = [p[1] for p in body["posts"]] + [t[1] for t in body["tps"]]
    lons = [p[2] for p in body["posts"]] + [t[2] for t in body["tps"]]
    if lats:
        body["bounds"] = [min(lats), min(lons), max(lats), max(lons)]
    return body


def post_panel(document: dict, post_id: str) -> dict[str, Any] | None:
    """One post of a (cut) document with its TPS, people (role, name, rank, force), shortfalls and the posts a
    person or a TPS of it may be moved to; None when the post is not in the document."""
    posts = document.get("posts", [])
    post = next((p for p in posts if p["id"] == post_id), None)
    if post is None:
        return None
    tps_by_id = {t["id"]: t for t in document.get("tps", [])}
    people = {p["id"]: p for p in document.get("personnel", [])}
    role_order = {"commander": 0, "polri": 1, "tni": 2, "linmas": 3}
    assignments = sorted((a for a in document.get("assignments", []) if a.get("post") == post_id),
                         key=lambda a: (role_order.get(a.get("role"), 9), people.get(a["personnel"], {}).get("name", "")))
    scope_key = "village" if (document.get("params") or {}).get("post_scope", "village") == "village" else "district"
    same_district = [p["id"] for p in posts if p["id"] != post_id and p.get("district") == post.get("district")]
    same_group = [p["id"] for p in posts if p["id"] != post_id and p.get("category") == post.get("category")
                  and p.get(scope_key) == post.get(scope_key)]
    return {
        "post": post,
        "tps": [tps_by_id.get(t, {"id": t}) for t in post.get("tps", [])],
        "people": [{**people.get(a["personnel"], {"id": a["personnel"]}), "role": a.get("role"),
                    "force": a.get("force"), "travel_km": a.get("travel_km"), "pinned": a.get("pinned", False)}
                   for a in assignments],
        "unmet": [u for u in document.get("unmet", []) if u.get("post") == post_id],
        "person_targets": same_district,
        "tps_targets": same_group,
    }


def plan_comparison(user, operation_id: int, a: int, b: int) -> dict[str, Any]:
    """Compare versions ``a`` (older) and ``b`` of a visible operation, both cut to the user's area (partners: one
    opaque ref per person across both). Http404 when either version is not visible."""
    from siaga.deployments.access import plan_documents_for
    from siaga.planning.compare import compare_plans

    old, new = plan_version_get(user, operation_id, a), plan_version_get(user, operation_id, b)
    old_doc, new_doc = plan_documents_for(user, old.document, new.document)
    return {"operation": operation_id, "a": old.version, "b": new.version, **compare_plans(old_doc, new_doc)}


def pin_for_target(user, operation: Operation, target: str) -> Pin:
    """The visible pin of a person (NRP) or a TPS (id) in the operation; Http404 when there is none."""
    from django.db.models import Q
    from django.http import Http404

    pin = pins_visible(user, operation).filter(Q(personnel__code=target) | Q(tps__code=target)).first()
    if pin is None:
        raise Http404(f"tidak ada patokan untuk '{target}'")
    return pin


def pin_write_target(user, operation_id: int, post_id: str, *, personnel_code: str | None = None,
                     tps_code: str | None = None) -> Operation:
    """The operation in which the user pins a person or TPS to ``post_id`` (pages and API alike): 403 for roles
    that may not pin, before any lookup; 404 for an operation, person, TPS or post outside the user's area."""
    from siaga.accounts.policy import require_writer
    from siaga.accounts.scoping import get_visible_or_404
    from siaga.deployments.access import require_pin_edit

    require_writer(user, Pin)
    operation = get_visible_or_404(user, Operation.objects.select_related("election"), pk=operation_id)
    latest = latest_plan(operation)
    require_pin_edit(user, latest.document if latest else None, post_id, personnel_code=personnel_code,
                     tps_code=tps_code)
    return operation


def pin_removal_target(user, operation_id: int, target: str) -> tuple[Operation, str | None, str | None]:
    """(operation, NRP, TPS id) of the pin of ``target`` the user may remove; 403/404 as ``pin_write_target``."""
    from siaga.accounts.policy import require_writer
    from siaga.accounts.scoping import get_visible_or_404

    require_writer(user, Pin)
    operation = get_visible_or_404(user, Operation.objects.select_related("election"), pk=operation_id)
    pin = pin_for_target(user, operation, target)
    person = pin.personnel.code if pin.personnel_id else None
    tps = pin.tps.code if pin.tps_id else None
    pin_write_target(user, operation_id, pin.post_id, personnel_code=person, tps_code=tps)
    return operation, person, tps
