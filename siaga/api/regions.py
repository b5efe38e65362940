"""Routes for districts, villages and TPS (read), and a TPS's manual category (write)."""

from __future__ import annotations

from django.db.models import Q
from ninja import Field, Query, Router, Schema

from siaga.accounts.policy import require_reader, require_writer
from siaga.accounts.scoping import get_visible_or_404, scope
from siaga.api.common import redacted, user_of
from siaga.api.pagination import PageParams, page, page_of
from siaga.core.services import write_as
from siaga.regions.models import TPS, District, Village

router = Router(tags=["wilayah dan TPS"])


class DistrictOut(Schema):
    code: str
    name: str
    regency: str
    regency_name: str


class VillageOut(Schema):
    code: str
    name: str
    kind: str
    district: str
    district_name: str


class TPSOut(Schema):
    code: str
    number: int
    village: str
    village_name: str
    district: str
    district_name: str
    voters: int
    lat: float
    lon: float
    kind: str
    manual_category: str
    manual_category_reason: str
    synthetic: bool


class IndicatorValueOut(Schema):
    indicator: str
    name: str
    value: float
    note: str


class TPSDetailOut(TPSOut):
    indicators: list[IndicatorValueOut]


class TPSFilters(Schema):
    district: str | None = Field(None, description="District code, e.g. 35.71.01.")
    village: str | None = Field(None, description="Village code, e.g. 35.71.01.1001.")
    category: str | None = Field(None, description="Manual category; 'auto' = no manual category.")
    q: str | None = Field(None, description="Part of the TPS id or the village name.")


class CategoryIn(Schema):
    category: str | None = Field(..., description="kurang_rawan, rawan, sangat_rawan, khusus; null = back to computed.")
    reason: str = Field("", max_length=300)


def district_out(d: District) -> dict:
    return {"code": d.code, "name": d.name, "regency": d.regency.code, "regency_name": d.regency.name}


def village_out(v: Village) -> dict:
    return {"code": v.code, "name": v.name, "kind": v.kind, "district": v.district.code,
            "district_name": v.district.name}


def tps_out(t: TPS) -> dict:
    village = t.village
    return {"code": t.code, "number": t.number, "village": village.code, "village_name": village.name,
            "district": village.district.code, "district_name": village.district.name, "voters": t.voters,
            "lat": t.lat, "lon": t.lon, "kind": t.kind, "manual_category": t.manual_category,
            "manual_category_reason": t.manual_category_reason, "synthetic": t.synthetic}


def _tps_qs():
    return TPS.objects.select_related("village__district")


@router.get("/districts", response=page_of(DistrictOut), summary="Districts of your area")
@redacted("regions.district")
def district_list(request, params: Query[PageParams], q: str | None = None):
    user = user_of(request)
    require_reader(user)
    qs = scope(user, District.objects.select_related("regency"))
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__startswith=q))
    return page(qs, params, district_out)


@router.get("/villages", response=page_of(VillageOut), summary="Villages of your area")
@redacted("regions.village")
def village_list(request, params: Query[PageParams], district: str | None = None, q: str | None = None):
    user = user_of(request)
    require_reader(user)
    qs = scope(user, Village.objects.select_related("district"))
    if district:
        qs = qs.filter(district__code=district)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__startswith=q))
    return page(qs, params, village_out)


@router.get("/tps", response=page_of(TPSOut), summary="TPS of your area")
@redacted("regions.tps")
def tps_list(request, params: Query[PageParams], filters: Query[TPSFilters]):
    user = user_of(request)
    require_reader(user)
    qs = scope(user, _tps_qs())
    if filters.district:
        qs = qs.filter(village__district__code=filters.district)
    if filters.village:
        qs = qs.filter(village__code=filters.village)
    if filters.category:
        qs = qs.filter(manual_category="" if filters.category == "auto" else filters.category)
    if filters.q:
        qs = qs.filter(Q(code__icontains=filters.q) | Q(village__name__icontains=filters.q))
    return page(qs, params, tps_out)


@router.get("/tps/{code}", response=TPSDetailOut, summary="One TPS with its vulnerability evidence")
@redacted("regions.tps")
def tps_detail(request, code: str):
    from siaga.risk.models import IndicatorValue

    user = user_of(request)
    require_reader(user)
    tps = get_visible_or_404(user, _tps_qs(), code=code)
    values = scope(user, IndicatorValue.objects.filter(tps=tps).select_related("indicator"))
    return {**tps_out(tps), "indicators": [{"indicator": v.indicator.code, "name": v.indicator.name_id,
                                            "value": v.value, "note": v.note} for v in values]}


@router.patch("/tps/{code}/category", response=TPSOut, summary="Set or clear a TPS's manual category")
def tps_category(request, code: str, body: CategoryIn):
    from siaga.risk.services import tps_set_category

    user = user_of(request)
    require_writer(user, TPS)
    get_visible_or_404(user, TPS.objects.all(), code=code)
    write_as(user, tps_set_category, code=code, category=body.category or None, reason=body.reason)
    return tps_out(_tps_qs().get(code=code))
