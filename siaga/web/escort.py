"""The escort page (/pengawalan/): legs by district with state and planned times, late and missing ones in red,
and a hand-over form per leg for the roles that may check in. Thin: reads through siaga.escort.selectors
(scoped), writes through siaga.escort.services.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from siaga.accounts.policy import may_write, redact, require_writer
from siaga.accounts.scoping import get_visible_or_404, scope
from siaga.core.services import write_as
from siaga.escort import selectors as esel
from siaga.escort.models import Checkin, Leg
from siaga.regions.models import District
from siaga.web import selectors as sel
from siaga.web.views import _back, _page, reader

PAGE_SIZE = 100
SEAL_SPLIT = re.compile(r"[\s,;]+")


def _moment(text: str) -> tuple[dt.datetime, str]:
    """The reference time for 'late' (``?at=`` for exercises, else now) and an error message if unreadable."""
    if text:
        try:
            value = dt.datetime.fromisoformat(text)
            return (timezone.make_aware(value) if timezone.is_naive(value) else value), ""
        except ValueError:
            return timezone.now(), _("Waktu acuan tidak terbaca; dipakai waktu sekarang.")
    return timezone.now(), ""


@require_GET
@reader
def escort_page(request):
    user = request.user
    operation = sel.operation_current(user, request.GET.get("operation"))
    at, at_error = _moment(request.GET.get("at", "").strip())
    state = request.GET.get("state", "")
    f = esel.LegFilter(district=request.GET.get("district", ""), state=state if state in Leg.State.values else "",
                       late=request.GET.get("late") == "1", tps=request.GET.get("tps", "").strip(),
                       direction=request.GET.get("direction", ""))
    context = {"operation": operation, "operations": sel.operations_visible(user), "filters": f, "at": at,
               "at_text": request.GET.get("at", ""), "at_error": at_error,
               "districts": scope(user, District.objects.all()), "states": Leg.State.choices,
               "synthetic": bool(operation and operation.synthetic),
               "may_checkin": may_write(user, Checkin), "may_mark_missing": may_write(user, Leg)}
    if operation is not None:
        qs = esel.legs_filtered(user, operation, f, at).prefetch_related(
            Prefetch("checkins", queryset=Checkin.objects.order_by("at", "pk")))
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context.update(
            page=page, query=query.urlencode(), counts=esel.district_counts(user, operation, at),
            rows=[{"leg": redact(user, "escort.leg", leg), "late": esel.lateness(leg, at),
                   "client_id": uuid.uuid4().hex, "escort_count": len(leg.escorts.all()),
                   "flagged": any(c.discrepancies for c in leg.checkins.all())} for leg in page.object_list],
            has_legs=esel.operation_has_legs(operation))
    return _page(request, "web/escort.html", context)


def _parse_int(text: str) -> int | None:
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


def _leg_write(request, model, leg_id: int, call):
    """Shared by the two forms: 403 for roles that may not write ``model``, 404 outside the area; runs
    ``call(user, leg)`` and returns (leg, result or None, back URL), putting a service error in the messages."""
    user = request.user
    require_writer(user, model)
    leg = get_visible_or_404(user, Leg.objects.all(), pk=leg_id)
    back = _back(request, "/pengawalan/")
    try:
        return leg, call(user, leg), back
    except ValidationError as exc:
        messages.error(request, f"{leg}: " + "; ".join(exc.messages))
        return leg, None, back


@require_POST
@reader
def escort_checkin(request, leg_id: int):
    """A hand-over from the form: seal numbers (comma, space or new line between them) and box count."""
    from siaga.escort.services import handover_checkin

    box_count = _parse_int(request.POST.get("box_count", ""))
    at, at_error = _moment(request.POST.get("at", "").strip())
    seals = [s for s in SEAL_SPLIT.split(request.POST.get("seal_numbers", "")) if s]

    def call(user, leg):
        if box_count is None or at_error:
            raise ValidationError(_("Jumlah kotak harus bilangan bulat.") if box_count is None else at_error)
        return write_as(user, handover_checkin, leg_id=leg.pk, point=request.POST.get("point", ""),
                        seal_numbers=seals, box_count=box_count, client_id=request.POST.get("client_id", ""),
                        at=at, note=request.POST.get("note", ""))

    leg, result, back = _leg_write(request, Checkin, leg_id, call)
    if result is not None:
        messages.success(request, (_("Serah terima dicatat: %(leg)s.") if result[1] else
                                   _("Serah terima ini sudah tercatat sebelumnya: %(leg)s.")) % {"leg": leg})
    return redirect(back)


@require_POST
@reader
def escort_missing(request, leg_id: int):
    """Mark a leg missing (commanders and up), with a note of what is known."""
    from siaga.escort.services import leg_mark_missing

    leg, result, back = _leg_write(request, Leg, leg_id, lambda user, leg: write_as(
        user, leg_mark_missing, leg_id=leg.pk, note=request.POST.get("note", "")))
    if result is not None:
        messages.success(request, _("Kaki ditandai hilang: %(leg)s.") % {"leg": leg})
    return redirect(back)
