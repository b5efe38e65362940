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
