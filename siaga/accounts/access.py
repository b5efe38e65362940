"""Who reads the audit trail: the scope rule of ``core.AuditEvent`` (docs/access.md).

Admins read all of it; planners read the events of users of units inside their area and the events about their
area's records, whose targets each app declares (``siaga.core.access.register_audit_targets``). Other roles
read none. The user accounts themselves are for admins only (the Django admin).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from siaga.accounts.policy import AUDIT_READERS
from siaga.core.access import Area, audit_condition, register_scope
from siaga.core.redaction import declare


def _audit(area: Area, qs: QuerySet) -> QuerySet:
    if area.role not in AUDIT_READERS:
        return qs.none()
    return qs.filter(Q(user__siaga_profile__unit_id__in=area.inside_unit_ids) | audit_condition(area))


register_scope("core.auditevent", _audit)

#: Partners never read the audit trail (``AUDIT_READERS``); declared so a route handing it out names its policy.
declare("core.auditevent", actors=("actor", "user"), free_text=("details",))
