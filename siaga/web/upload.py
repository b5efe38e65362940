"""Data upload pages: stage a CSV/XLSX file, preview it with every problem, then save or cancel it.

Thin: siaga.dataio.staging stages, checks (the CLI's validation plus the user's area) and imports;
siaga.accounts.scoping decides who may upload (admin, planner; others 403) and which rows are theirs.
"""

from __future__ import annotations

from datetime import datetime
from functools import wraps

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from siaga.accounts.policy import require_uploader
from siaga.core.services import write_as
from siaga.dataio import staging
from siaga.formats import COLUMNS, HEADERS, TABLES
from siaga.web.views import _page

KIND_LABELS = {"tps": gettext_lazy("TPS"), "units": gettext_lazy("Satuan"), "personnel": gettext_lazy("Personel"),
               "indicators": gettext_lazy("Indikator kerawanan")}
COUNT_LABELS = {"provinces": gettext_lazy("provinsi"), "regencies": gettext_lazy("kabupaten/kota"),
                "districts": gettext_lazy("kecamatan"), "villages": gettext_lazy("desa/kelurahan"),
                "tps": "TPS", "units": gettext_lazy("satuan"), "personnel": gettext_lazy("personel"),
                "indicators": gettext_lazy("nilai indikator")}


def uploader(view):
    """Only admins and planners (403 for every other role); put the role on the request."""
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.siaga_role = require_uploader(request.user)
        return view(request, *args, **kwargs)
    return wrapped


def _kinds() -> list[dict]:
    return [{"code": kind, "label": KIND_LABELS[kind],
             "columns": [(c.name, c.column_required) for c in COLUMNS[kind]]} for kind in TABLES]


@require_http_methods(["GET", "POST"])
@uploader
def data_page(request):
    """The upload form (kind + file), the expected columns, and the user's uploads waiting for a decision."""
    error, status = "", 200
    kind = request.POST.get("kind", "tps") if request.method == "POST" else request.GET.get("kind", "tps")
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error, status = _("Pilih berkas CSV atau XLSX."), 400
        else:
            try:
                meta = staging.upload_stage(user=request.user, kind=kind, name=upload.name, chunks=upload.chunks())
            except staging.UploadRefused as exc:
                error, status = exc.message, 400
            else:
                return redirect("web:data-preview", token=meta["token"])
    pending = [{**m, "created": datetime.fromisoformat(m["created"]), "kind_label": KIND_LABELS.get(m["kind"])}
               for m in staging.upload_list(user=request.user)]
    context = {"kinds": _kinds(), "kind": kind, "error": error, "pending": pending,
               "max_mb": staging.MAX_UPLOAD_BYTES // (1024 * 1024)}
    return _page(request, "web/data.html", context, status=status)


@require_GET
@uploader
def data_template(request, kind: str):
    """An empty CSV with the header row of one kind of file."""
    if kind not in TABLES:
        raise Http404("jenis data tidak dikenal")
    response = HttpResponse(",".join(HEADERS[kind]) + "\r\n", content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{kind}.csv"'
    return response


@require_GET
@uploader
def data_preview(request, token: str):
    return _preview(request, staging.upload_get(user=request.user, token=token))


def _preview(request, upload: dict, status: int = 200):
    counts = [(COUNT_LABELS.get(table, table), c["created"], c["updated"], c["unchanged"])
              for table, c in (upload.get("counts") or {}).items()]
    context = {"upload": upload, "kind_label": KIND_LABELS.get(upload["kind"]), "counts": counts,
               "created": datetime.fromisoformat(upload["created"]), "synthetic": upload.get("synthetic"),
               "more_problems": upload["problem_total"] - len(upload["problems"])}
    return _page(request, "web/data_preview.html", context, status=status)


@require_POST
@uploader
def data_confirm(request, token: str):
    """Import the staged file (checked again first); refused with the problems when it is not clean now."""
    try:
        result = write_as(request.user, staging.upload_confirm, token=token)
    except staging.UploadNotClean as exc:
        messages.error(request, _("Berkas tidak disimpan: ada masalah. Perbaiki berkas lalu unggah lagi."))
        return _preview(request, exc.upload, status=409)
    messages.success(request, _("%(file)s disimpan (%(rows)s baris).") % {"file": result["file"], "rows": result["rows"]})
    return redirect("web:data")


@require_POST
@uploader
def data_cancel(request, token: str):
    staging.upload_cancel(user=request.user, token=token)
    messages.success(request, _("Unggahan dibatalkan; berkas dihapus."))
    return redirect("web:data")
