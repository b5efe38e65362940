"""The audit trail: recent changes (admins: all; planners: their area's)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Query, Router, Schema

from siaga.accounts.policy import AUDIT_READERS, require_reader
from siaga.accounts.scoping import scope
from siaga.api.common import redacted, user_of
from siaga.api.pagination import PageParams, page, page_of
from siaga.core.models import AuditEvent

router = Router(tags=["audit"])


class AuditEventOut(Schema):
    id: int
    at: dt.datetime
    actor: str
    action: str
    target: str
    details: dict[str, Any]


@router.get("/audit", response=page_of(AuditEventOut), summary="Recent audit events (admin, planner)")
@redacted("core.auditevent")
def audit_list(request, params: Query[PageParams], action: str | None = None, actor: str | None = None):
    user = user_of(request)
    require_reader(user, AUDIT_READERS)
    qs = scope(user, AuditEvent.objects.all())
    if action:
        qs = qs.filter(action=action)
    if actor:
        qs = qs.filter(actor=actor)
    return page(qs, params, lambda e: {"id": e.pk, "at": e.at, "actor": e.actor, "action": e.action,
                                       "target": e.target, "details": e.details})
