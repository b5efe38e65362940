"""Who sees which units and people: the scope rules and redaction policies of this app (docs/access.md).

A unit is visible when its area meets the user's area; a person only when the person's unit lies inside it.
Partners get no person at all: counts per unit instead (``forces.personnel`` is withheld).
"""

from __future__ import annotations

from django.db.models import CharField, Q, QuerySet, Value
from django.db.models.functions import Concat

from siaga.core.access import Area, register_audit_targets, register_scope, scope_for
from siaga.core.redaction import declare


def _units(area: Area, qs: QuerySet) -> QuerySet:
    return qs.filter(pk__in=area.visible_unit_ids)


def _personnel(area: Area, qs: QuerySet) -> QuerySet:
    return qs.filter(unit_id__in=area.inside_unit_ids)


register_scope("forces.unit", _units)
register_scope("forces.personnel", _personnel)


@register_audit_targets
def _personnel_events(area: Area) -> Q:
    """Audit events about the area's people (target ``personnel:<code>``)."""
    from siaga.forces.models import Personnel

    people = scope_for(area, Personnel.objects.all()).annotate(
        t=Concat(Value("personnel:"), "code", output_field=CharField())).values("t")
    return Q(target__in=people)


#: A person (and anything that is a list of people): partners get no rows.
declare("forces.personnel", withheld=True)
#: A unit keeps its official contact (the unit's phone is not a person's); the commander's name is personal.
declare("forces.unit", personal=("commander", "commander_name", "commander_nrp"))
