"""The command board (posko): a live page of voting day for the user's area.

/posko/ draws from /posko/data.json (siaga.operations.board.board_snapshot) and listens to /posko/events
(server-sent events over the operations event log, resumable with Last-Event-ID). ``?at=`` replays another
moment (an exercise, or a past voting day). Actions go through the JSON API.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.conf import settings
from django.http import Http404, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET

from siaga.accounts.policy import may_write, redact
from siaga.operations.board import SQUAD_LABELS, board_snapshot, describe_event
from siaga.operations.models import IncidentEvent, IncidentState, Step
from siaga.operations.selectors import events_after, events_cursor
from siaga.web import selectors as sel
from siaga.web import sse
from siaga.web.json import json_endpoint
from siaga.web.sse import last_event_id, sse_response
from siaga.web.views import _page, reader

EVENT_KINDS = ("tps_status", "incident", "squad", "escort")


class BadMoment(ValueError):
    pass


def _moment(request) -> dt.datetime | None:
    raw = request.GET.get("at", "").strip()
    if not raw:
        return None
    try:
        moment = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise BadMoment(_("'at' harus berupa waktu ISO-8601, mis. 2024-11-27T07:30")) from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


@require_GET
@reader
def board_page(request):
    user = request.user
    operation = sel.operation_current(user, request.GET.get("operation"))
    query = request.GET.copy()
    config = {"tileUrl": settings.SIAGA_TILE_URL, "canAct": bool(operation) and may_write(user, IncidentEvent),
              "eventKinds": list(EVENT_KINDS), "stepLabels": [str(label) for _, label in Step.choices],
              "noStep": _("belum ada laporan"), "stateLabels": {k: str(v) for k, v in IncidentState.choices},
              "levelLabels": {"green": _("hijau"), "yellow": _("kuning"), "red": _("merah")},
              "squadLabels": SQUAD_LABELS,
              "text": {"noAlerts": _("Tidak ada peringatan."), "noIncidents": _("Tidak ada insiden terbuka."),
                       "noReserves": _("Rencana belum punya regu cadangan."),
                       "noEscort": _("Tidak ada pengawalan logistik yang terlambat."),
                       "dispatch": _("Kerahkan cadangan"), "accept": _("Terima"), "squad": _("regu"),
                       "proposal": _("Usulan: regu %(squad)s, %(km)s km perjalanan."),
                       "noFreeSquad": _("Tidak ada regu cadangan yang bebas."),
                       "rejectNote": _("Alasan menolak laporan:"), "loadFailed": _("Gagal memuat data posko."),
                       "live": _("langsung"), "reconnecting": _("menyambung ulang…"),
                       "busy": _("tidak langsung: server penuh, data dimuat ulang tiap 30 detik")}}
    context = {"operation": operation, "operations": sel.operations_visible(user), "board_config": config,
               "synthetic": bool(operation and operation.synthetic), "replay_at": request.GET.get("at", ""),
               "data_url": f"/posko/data.json?{query.urlencode()}" if operation else "",
               "events_url": f"/posko/events?operation={operation.pk}" if operation else "",
               "last_event": events_cursor() if operation else 0}
    return _page(request, "web/board.html", context)


@gzip_page
@require_GET
@json_endpoint
def board_data(request):
    user = request.user
    operation = sel.operation_current(user, request.GET.get("operation"))
    if operation is None:
        raise Http404(_("Belum ada operasi di wilayah Anda."))
    now = _moment(request)  # BadMoment (a ValueError): 400
    body = {**board_snapshot(user, operation, now=now), "escort": escort_alerts(user, operation, now or timezone.now())}
    return JsonResponse(redact(user, "operations.board", body))


def escort_alerts(user, operation, now: dt.datetime) -> list[dict[str, Any]]:
    """Missing and late escort legs for the board: one line each (places and times, no people)."""
    from siaga.escort.selectors import lateness, legs_late, legs_missing

    out = []
    for leg in list(legs_missing(user, operation)[:20]) + list(legs_late(user, operation, now)[:40]):
        why = lateness(leg, now)
        label = (_("hilang") if leg.state == "missing" else _("terlambat tiba") if why == "arrival"
                 else _("terlambat berangkat"))
        out.append({"leg": leg.pk, "text": f"{leg.from_name} → {leg.to_name}: {label} "
                    f"({timezone.localtime(leg.planned_arrival):%d-%m %H:%M})"})
    return out


def _escort_text(payload: dict[str, Any]) -> str:
    from siaga.escort.models import Leg

    return _("Pengawalan %(from)s → %(to)s: %(state)s") % {
        "from": payload.get("from"), "to": payload.get("to"),
        "state": dict(Leg.State.choices).get(payload.get("state"), payload.get("state"))}


EVENT_TEXTS = {"escort": _escort_text}


@require_GET
@json_endpoint
def board_events(request):
    """Server-sent events of the user's area for one operation, from ?after= or Last-Event-ID."""
    user = request.user
    operation = sel.operation_current(user, request.GET.get("operation"))
    if operation is None:
        raise Http404(_("Belum ada operasi di wilayah Anda."))
    owner = request.session.session_key or f"user-{user.pk}"
    if not sse.SLOTS.claim(owner):
        return sse_response(sse.busy_stream(str(_("Terlalu banyak tampilan langsung terbuka; data dimuat ulang "
                                                  "berkala."))))
    poll = partial(_poll, user, operation.pk)
    return sse_response(sse.HeldStream(sse.event_stream(poll, last_event_id(request)), sse.SLOTS, owner))


def _poll(user, operation_id: int, after: int, limit: int):
    return [(event_id, kind, describe_event(kind, payload, EVENT_TEXTS) if kind != "cursor" else {})
            for event_id, kind, payload in events_after(user, after, limit, operation_id=operation_id)]
