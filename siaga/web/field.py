"""The field officer's phone page (/lapangan/): its TPS with the current step and one big button for the next, a
way to correct, and an incident form. field.js posts every report to the API (session + CSRF) through a queue in
localStorage that is resent until acknowledged, each report with a client id made at tap time, so a double tap, a
timeout or an offline hour stores it exactly once. Also the scoped incident photo view.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from siaga.accounts.models import Role
from siaga.accounts.policy import require_writer
from siaga.accounts.scoping import get_visible_or_404
from siaga.operations import rules
from siaga.operations import selectors as osel
from siaga.operations.access import field_officer_tps
from siaga.operations.context import operation_context
from siaga.operations.models import Incident, IncidentType, Severity, StatusReport, Step
from siaga.operations.payloads import iso
from siaga.web import selectors as sel
from siaga.web.views import _page, reader

SEARCH_LIMIT = 30


def _tps_rows(user, operation, role: str, q: str) -> tuple[list[dict], str]:
    """The TPS the user reports for (a field officer: its post's; others: a search in its area) and a note."""
    note = ""
    qs = osel.operation_tps(user, operation).select_related("village")
    if role == Role.FIELD_OFFICER:
        codes = field_officer_tps(user, operation_context(operation).plan_key)
        if not codes:
            note = _("Akun Anda belum terhubung ke personel yang ditugaskan di pos pada rencana operasi ini. "
                     "Minta perencana menjalankan: siaga user create NAMA --role field_officer --personnel NRP --reset")
        qs = qs.filter(code__in=codes)
    elif q:
        qs = qs.filter(Q(code__icontains=q) | Q(village__name__icontains=q))
    else:
        qs = qs.none()
    tps = list(qs.order_by("code")[:SEARCH_LIMIT] if role != Role.FIELD_OFFICER else qs.order_by("code"))
    latest = osel.latest_steps(operation.pk, [t.pk for t in tps])
    rows = []
    for t in tps:
        step, at = latest.get(t.pk, (None, None))
        rows.append({"code": t.code, "label": f"TPS {t.number:03d} {t.village.name}", "step": step, "at": iso(at),
                     "next": rules.next_step(step)})
    return rows, note


@require_GET
@reader
def field_page(request):
    user = request.user
    role = require_writer(user, StatusReport)
    operation = sel.operation_current(user, request.GET.get("operation"))
    q = request.GET.get("q", "").strip()[:40]
    rows, note = _tps_rows(user, operation, role, q) if operation else ([], "")
    config = {
        "user": user.get_username(), "operation": operation.pk if operation else None,
        "api": reverse("api-v1:openapi-json").removesuffix("/openapi.json"),
        "steps": [[c, str(label)] for c, label in Step.choices], "tps": rows,
        "messages": {"queued": _("menunggu dikirim"), "sending": _("mengirim…"), "sent": _("terkirim"),
                     "failed": _("ditolak"), "offline": _("Luring: laporan disimpan di ponsel dan dikirim nanti."),
                     "online": _("Daring"), "login": _("Sesi berakhir: masuk lagi, antrean tetap tersimpan."),
                     "done": _("Selesai"), "next": _("Lapor"), "none": _("belum ada laporan"),
                     "queue": _("Antrean"), "photo_big": _("Foto terlalu besar bahkan setelah diperkecil."),
                     "storage_full": _("Penyimpanan ponsel penuh; laporan belum tersimpan."),
                     "incident": _("Insiden"), "status": _("Status")},
    }
    context = {"operation": operation, "operations": sel.operations_visible(user), "rows": rows, "note": note,
               "field_config": config, "is_field_officer": role == Role.FIELD_OFFICER, "q": q,
               "steps": Step.choices, "incident_types": IncidentType.choices, "severities": Severity.choices,
               "synthetic": bool(operation and operation.synthetic)}
    return _page(request, "web/field.html", context)


@require_GET
@reader
def incident_photo(request, incident_id: int):
    """An incident's photo, for users who may see the incident (partners: no, photos may show people)."""
    if request.siaga_role == Role.PARTNER:
        raise PermissionDenied("mitra tidak membuka foto insiden (bisa memuat data pribadi)")
    incident = get_visible_or_404(request.user, Incident.objects.all(), pk=incident_id)
    if not incident.photo:
        raise Http404("foto tidak ditemukan")
    response = FileResponse(incident.photo.open("rb"), content_type=incident.photo_type or "application/octet-stream")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
