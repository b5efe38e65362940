"""Who sees which operations, and background jobs about them: scope rules of this app (docs/access.md)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from siaga.core.access import Area, register_scope, scope_for
from siaga.core.redaction import declare


def _operations(area: Area, qs: QuerySet) -> QuerySet:
    """Operations of an election in the user's regencies, or commanded by a unit inside the user's area."""
    ids = qs.model.objects.filter(Q(election__regencies__in=area.regency_ids)
                                  | Q(commanding_unit_id__in=area.inside_unit_ids)).values("pk")
    return qs.filter(pk__in=ids)


def _jobs(area: Area, qs: QuerySet) -> QuerySet:
    """Background jobs about a visible operation (subject ``operation:<id>``)."""
    from siaga.elections.models import Operation

    ops = scope_for(area, Operation.objects.all()).values_list("pk", flat=True)
    return qs.filter(subject__in=[f"operation:{pk}" for pk in ops])


register_scope("elections.operation", _operations)
register_scope("core.job", _jobs)

declare("elections.operation")
#: A background job: who started it, and its message (it may quote a planner's input), are hidden from partners.
declare("core.job", actors=("created_by",), free_text=("message", "error"))
