"""Who sees which regions and TPS: the scope rules and redaction policies of this app (docs/access.md)."""

from __future__ import annotations

from django.db.models import CharField, Q, Value
from django.db.models.functions import Concat

from siaga.core.access import Area, by_districts, register_audit_targets, register_scope, scope_for
from siaga.core.redaction import declare

register_scope("regions.district", by_districts("pk"))
register_scope("regions.village", by_districts("district_id"))
register_scope("regions.tps", by_districts("village__district_id"))


@register_audit_targets
def _tps_events(area: Area) -> Q:
    """Audit events about the area's TPS (target ``tps:<code>``)."""
    from siaga.regions.models import TPS

    tps = scope_for(area, TPS.objects.all()).annotate(
        t=Concat(Value("tps:"), "code", output_field=CharField())).values("t")
    return Q(target__in=tps)


#: A TPS as pages and the API give it: the reason typed for a manual category is free text.
declare("regions.tps", free_text=("manual_category_reason", "category_reason"),
        nested={"indicators": "risk.indicatorvalue", "evidence": "risk.indicatorvalue"})
declare("regions.district")
declare("regions.village")
