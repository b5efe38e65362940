"""Idempotent writes from the field: one rule for every report a phone may send twice (docs/api.md).

A sender gives each report a key (``Idempotency-Key`` header, or ``client_id`` in the body; 1-64 characters).
Keys are per actor: two users may use the same key. The first request stores the report; the same key with the
same content again answers the stored report (200, ``Idempotent-Replayed: true``); the same key with other
content is refused (409), nothing stored. Two identical requests racing each other store one row: the loser
reads the winner's row (the unique constraint on (actor, key) decides). A reported time may lie at most
``FUTURE_TOLERANCE`` ahead of the server clock (phones with a wrong clock). Used by status reports, incidents
(siaga.operations.services) and escort hand-overs (siaga.escort.services).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

FUTURE_TOLERANCE = dt.timedelta(minutes=10)
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
CLIENT_ID = re.compile(r"^[A-Za-z0-9._:/-]{1,64}$")


class ReplayConflict(Exception):
    """The idempotency key was used before for a different request (HTTP 409)."""


def clean_client_id(value: str | None) -> str:
    """The key, or ValidationError naming the rule."""
    value = (value or "").strip()
    if not CLIENT_ID.match(value):
        raise ValidationError("Idempotency-Key (client_id): 1-64 karakter huruf, angka, '.', '_', ':', '/' atau '-' "
                              "(mis. UUID dari crypto.randomUUID())")
    return value


def key_of(header: str | None, body_value: str | None) -> str:
    """The request's key from the header or the body (the same when both are given), else ValidationError."""
    header, body_value = (header or "").strip(), (body_value or "").strip()
    if header and body_value and header != body_value:
        raise ValidationError("Idempotency-Key dan client_id berbeda; kirim satu saja atau yang sama")
    if not (header or body_value):
        raise ValidationError("Idempotency-Key: header wajib (satu kunci unik per laporan, mis. UUID)")
    return clean_client_id(header or body_value)


def clean_at(value: dt.datetime | None, field: str = "at") -> dt.datetime:
    """An aware time (a naive one is read in the server's time zone) not far in the future; now when None."""
    now = timezone.now()
    if value is None:
        return now
    if timezone.is_naive(value):
        if not 2000 <= value.year <= 2100:
            raise ValidationError(f"{field}: tahun {value.year} tidak masuk akal")
        value = timezone.make_aware(value)
    if value < EARLIEST:
        raise ValidationError(f"{field}: sebelum tahun 2000 tidak masuk akal")
    if value > now + FUTURE_TOLERANCE:
        raise ValidationError(f"{field}: {value.isoformat()} terlalu jauh di masa depan (jam perangkat salah?)")
    return value


def check_replay(stored: Any, sent: Mapping[str, Any], what: str) -> Any:
    """``stored`` when it carries what was ``sent`` (attribute -> value; leave out what the sender left to the
    server, e.g. a time it did not give), else ReplayConflict naming the first difference."""
    for name, value in sent.items():
        if getattr(stored, name) != value:
            raise ReplayConflict(f"Idempotency-Key ini sudah dipakai untuk {what} lain (berbeda pada '{name}'); "
                                 "buat kunci baru untuk laporan baru")
    return stored
