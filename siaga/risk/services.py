"""Writes of the risk app."""

from __future__ import annotations

from django.db import transaction

from siaga.risk.models import Indicator


@transaction.atomic
def catalogue_sync() -> int:
    """Make the stored indicator catalogue equal to the shipped one (siaga.planning.catalogue)."""
    try:
        from siaga.planning.catalogue import CATALOGUE
    except ImportError:  # the catalogue ships with the planner; nothing to sync without it
        return 0
    existing = {i.code: i for i in Indicator.objects.all()}
    changed = 0
    for code, ind in CATALOGUE.items():
        values = {"name_id": ind.name_id, "name_en": ind.name_en, "group": ind.group, "source": ind.source,
                  "weight": ind.weight, "kind": ind.kind}
        row = existing.get(code)
        if row is None:
            Indicator.objects.create(code=code, **values)
            changed += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            row.save()
            changed += 1
    return changed


@transaction.atomic
def tps_set_category(*, code: str, category: str | None, reason: str, actor: str, user=None):
    """Override (or, with ``category=None``, clear) a TPS's computed category. A reason is required."""
    from django.core.exceptions import ValidationError

    from siaga.core.services import audit_record
    from siaga.regions.models import TPS

    tps = TPS.objects.select_for_update().filter(code=code).first()
    if tps is None:
        raise ValidationError(f"TPS '{code}' tidak dikenal")
    if category and category not in TPS.Category.values:
        raise ValidationError(f"kategori '{category}' tidak dikenal; pilih: {', '.join(TPS.Category.values)}")
    if category and not reason.strip():
        raise ValidationError("kategori manual harus disertai alasan")
    before = (tps.manual_category, tps.manual_category_reason)
    tps.manual_category = category or ""
    tps.manual_category_reason = reason.strip() if category else ""
    tps.full_clean()
    tps.save(update_fields=["manual_category", "manual_category_reason"])
    audit_record(actor=actor, user=user, action="tps.category_override", target=f"tps:{code}",
                 details={"from": before[0], "to": tps.manual_category, "reason": tps.manual_category_reason})
    return tps
