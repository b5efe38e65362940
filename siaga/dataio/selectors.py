"""Reads of stored planning data as the records of siaga.formats (for export and for the planner)."""

from __future__ import annotations

from collections import defaultdict

from siaga.forces.models import Personnel, Unit
from siaga.formats.records import Dataset, IndicatorRecord, PersonnelRecord, TPSRecord, UnitRecord
from siaga.regions.models import TPS, District, Village
from siaga.risk.models import IndicatorValue


def known_refs():
    """References already stored, so a file can be imported on its own (e.g. personnel after units)."""
    from siaga.formats import KnownRefs  # local: keeps this module importable while formats evolves
    from siaga.risk.models import Indicator

    return KnownRefs(
        village_codes=frozenset(Village.objects.values_list("code", flat=True)),
        village_district_names=frozenset(District.objects.values_list("name", flat=True)),
        unit_ids=frozenset(Unit.objects.values_list("code", flat=True)),
        tps_ids=frozenset(TPS.objects.values_list("code", flat=True)),
        indicator_codes=frozenset(Indicator.objects.values_list("code", flat=True)) or None,
    )


def stored_dataset(*, regency_codes: set[str] | None = None) -> Dataset:
    """Everything stored, or only what lies in the given regencies (units and people serving there)."""
    tps_qs = TPS.objects.select_related("village__district__regency").order_by("code")
    if regency_codes:
        tps_qs = tps_qs.filter(village__district__regency__code__in=regency_codes)
    tps = [
        TPSRecord(
            tps_id=t.code, village_code=t.village.code, village_name=t.village.name,
            district_name=t.village.district.name, regency_name=t.village.district.regency.name,
            number=t.number, voters=t.voters, lat=t.lat, lon=t.lon, kind=t.kind,
            category=t.manual_category or None, category_reason=t.manual_category_reason or None,
        )
        for t in tps_qs.iterator(chunk_size=5000)
    ]
    district_names = _unit_district_names()
    units = [
        UnitRecord(unit_id=u.code, name=u.name, force=u.force, level=u.level,
                   parent_id=u.parent.code if u.parent_id else None, lat=u.lat, lon=u.lon,
                   districts=tuple(district_names.get(u.id, ())))
        for u in Unit.objects.select_related("parent").order_by("code")
    ]
    people = [
        PersonnelRecord(personnel_id=p.code, name=p.name, force=p.force, rank=p.rank, unit_id=p.unit.code,
                        home_village_code=p.home_village.code if p.home_village_id else None,
                        lat=p.lat, lon=p.lon, status=p.status, can_lead=p.can_lead)
        for p in Personnel.objects.select_related("unit", "home_village").order_by("code").iterator(chunk_size=5000)
    ]
    tps_codes = {t.tps_id for t in tps}
    indicators = [
        IndicatorRecord(tps_id=tc, indicator=ic, value=v, note=n)
        for tc, ic, v, n in IndicatorValue.objects.order_by("tps__code", "indicator__code")
        .values_list("tps__code", "indicator__code", "value", "note").iterator(chunk_size=5000)
        if tc in tps_codes
    ]
    synthetic = TPS.objects.filter(synthetic=True).exists() or Personnel.objects.filter(synthetic=True).exists()
    return Dataset(tps=tps, units=units, personnel=people, indicators=indicators, synthetic=synthetic)


def _unit_district_names() -> dict[int, list[str]]:
    """District names of each unit's jurisdiction; a code where the name is ambiguous."""
    name_count: dict[str, int] = defaultdict(int)
    for name in District.objects.values_list("name", flat=True):
        name_count[name] += 1
    result: dict[int, list[str]] = defaultdict(list)
    for unit_id, code, name in Unit.districts.through.objects.order_by("district__code").values_list(
            "unit_id", "district__code", "district__name"):
        result[unit_id].append(name if name_count[name] == 1 else code)
    return result


def stats() -> dict:
    """Counts of the stored data, by kind (``siaga stats --json`` adds the plans: deployments lies above dataio)."""
    from django.db.models import Count, Sum

    from siaga.elections.models import Election, Operation
    from siaga.regions.models import Regency

    by_force = dict(Personnel.objects.values_list("force").annotate(n=Count("id")))
    available = dict(Personnel.objects.filter(status="available").values_list("force").annotate(n=Count("id")))
    return {
        "regencies": Regency.objects.count(),
        "districts": District.objects.count(),
        "villages": Village.objects.count(),
        "tps": TPS.objects.count(),
        "voters": TPS.objects.aggregate(total=Sum("voters"))["total"] or 0,
        "units": Unit.objects.count(),
        "personnel": {f: by_force.get(f, 0) for f in ("polri", "tni", "linmas")},
        "available": {f: available.get(f, 0) for f in ("polri", "tni", "linmas")},
        "indicator_values": IndicatorValue.objects.count(),
        "elections": Election.objects.count(),
        "operations": Operation.objects.count(),
        "synthetic": TPS.objects.filter(synthetic=True).exists() or Personnel.objects.filter(synthetic=True).exists(),
    }
