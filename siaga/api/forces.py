"""Routes for units and personnel (read; partners read units with their counts, never a person) and personnel
status."""

from __future__ import annotations

from django.db.models import Q
from ninja import Field, Query, Router, Schema

from siaga.accounts.policy import require_reader, require_writer
from siaga.accounts.scoping import get_visible_or_404, scope
from siaga.api.common import redacted, user_of
from siaga.api.pagination import PageParams, page, page_of
from siaga.core.services import write_as
from siaga.forces.models import Personnel, Unit

router = Router(tags=["satuan dan personel"])


class UnitOut(Schema):
    code: str
    name: str
    force: str
    level: str
    parent: str | None
    lat: float
    lon: float
    districts: list[str]
    synthetic: bool


class PersonnelOut(Schema):
    code: str
    name: str
    force: str
    rank: str
    unit: str
    unit_name: str
    status: str
    can_lead: bool
    home_village: str | None
    synthetic: bool


class PersonnelFilters(Schema):
    unit: str | None = Field(None, description="Unit id (code).")
    force: str | None = Field(None, description="polri, tni or linmas.")
    status: str | None = Field(None, description="available, leave, sick, training.")
    q: str | None = Field(None, description="Part of the name or of the NRP.")


class StatusIn(Schema):
    status: str = Field(..., description="available, leave, sick or training.")
    reason: str = Field("", max_length=300)


def unit_out(u: Unit) -> dict:
    return {"code": u.code, "name": u.name, "force": u.force, "level": u.level,
            "parent": u.parent.code if u.parent_id else None, "lat": u.lat, "lon": u.lon,
            "districts": [d.code for d in u.districts.all()], "synthetic": u.synthetic}


def personnel_out(p: Personnel) -> dict:
    return {"code": p.code, "name": p.name, "force": p.force, "rank": p.rank, "unit": p.unit.code,
            "unit_name": p.unit.name, "status": p.status, "can_lead": p.can_lead,
            "home_village": p.home_village.code if p.home_village_id else None, "synthetic": p.synthetic}


def _personnel_qs():
    return Personnel.objects.select_related("unit", "home_village")


@router.get("/units", response=page_of(UnitOut), summary="Units whose area meets yours")
@redacted("forces.unit")
def unit_list(request, params: Query[PageParams], force: str | None = None, level: str | None = None,
              q: str | None = None):
    user = user_of(request)
    require_reader(user)
    qs = scope(user, Unit.objects.select_related("parent").prefetch_related("districts"))
    if force:
        qs = qs.filter(force=force)
    if level:
        qs = qs.filter(level=level)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    return page(qs, params, unit_out)


@router.get("/units/{code}", response=UnitOut, summary="One unit")
@redacted("forces.unit")
def unit_detail(request, code: str):
    user = user_of(request)
    require_reader(user)
    return unit_out(get_visible_or_404(user, Unit.objects.select_related("parent"), code=code))


@router.get("/personnel", response=page_of(PersonnelOut),
            summary="Personnel of the units inside your area (not for partners: 403)")
@redacted("forces.personnel")
def personnel_list(request, params: Query[PageParams], filters: Query[PersonnelFilters]):
    user = user_of(request)
    require_reader(user)
    qs = scope(user, _personnel_qs())
    if filters.unit:
        qs = qs.filter(unit__code=filters.unit)
    if filters.force:
        qs = qs.filter(force=filters.force)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(code__icontains=filters.q))
    return page(qs, params, personnel_out)


@router.get("/personnel/{code}", response=PersonnelOut, summary="One person (not for partners: 403)")
@redacted("forces.personnel")
def personnel_detail(request, code: str):
    user = user_of(request)
    require_reader(user)
    return personnel_out(get_visible_or_404(user, _personnel_qs(), code=code))


@router.post("/personnel/{code}/status", response=PersonnelOut, summary="Mark a person available, sick, on leave...")
def personnel_status(request, code: str, body: StatusIn):
    from siaga.forces.services import personnel_set_status

    user = user_of(request)
    require_writer(user, Personnel)
    get_visible_or_404(user, Personnel.objects.all(), code=code)
    write_as(user, personnel_set_status, code=code, status=body.status, reason=body.reason)
    return personnel_out(_personnel_qs().get(code=code))
