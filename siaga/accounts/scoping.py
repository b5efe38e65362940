"""A user's area: the districts and units it may see, and ``scope`` that cuts any queryset to it.

A user's area is the set of districts of its unit's jurisdiction (docs/access.md):

1. the unit's own districts, if it has any;
2. else the own districts of the nearest ancestor that has some;
3. else every district covered by the districts of the top ancestor's descendants (a Polres without
   districts of its own covers what its Polsek cover; a staff or reserve unit under it serves that whole area).

Admins see everything. A unit is *visible* when its area meets the user's area (a Polsek commander sees
its Polres and the Koramil of its districts); a unit is *inside* when its area lies within the user's
area, and only the personnel of inside units are visible. Which rows of a model lie in an area is declared by
the model's own app (``siaga/<app>/access.py``, registered in ``siaga.core.access``); who may do what is the role
policy of ``siaga.accounts.policy``. Views and API routes read through ``scope`` and never repeat these rules.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from siaga.accounts.models import Role
from siaga.accounts.selectors import user_role, user_unit
from siaga.core.access import Area, scope_for

__all__ = ["Area", "district_in_area", "get_visible_or_404", "scope", "scope_for", "unit_areas", "user_area"]

BIGINT_MAX = 2**63 - 1


def unit_areas() -> dict[int, frozenset[int]]:
    """Every unit's jurisdiction (district ids) by the three rules above. One pass over units and links."""
    from siaga.forces.models import Unit

    parent: dict[int, int | None] = dict(Unit.objects.values_list("id", "parent_id"))
    own: dict[int, set[int]] = defaultdict(set)
    for unit_id, district_id in Unit.districts.through.objects.values_list("unit_id", "district_id"):
        own[unit_id].add(district_id)
    children: dict[int, list[int]] = defaultdict(list)
    for uid, pid in parent.items():
        if pid is not None:
            children[pid].append(uid)

    covered: dict[int, frozenset[int]] = {}

    def cover(uid: int) -> frozenset[int]:  # own districts of the unit and all its descendants
        if uid not in covered:
            result, stack, seen = set(), [uid], set()
            while stack:
                u = stack.pop()
                if u in seen:
                    continue
                seen.add(u)
                result |= own.get(u, set())
                stack.extend(children.get(u, ()))
            covered[uid] = frozenset(result)
        return covered[uid]

    areas: dict[int, frozenset[int]] = {}
    for uid in parent:
        chain, u, found = [], uid, None
        while u is not None and u not in chain:
            chain.append(u)
            if own.get(u):
                found = frozenset(own[u])
                break
            u = parent.get(u)
        areas[uid] = found if found is not None else cover(chain[-1])
    return areas


def user_area(user) -> Area:
    """The user's area, computed once per user object (a request's user)."""
    cached = getattr(user, "_siaga_area", None)
    if cached is not None:
        return cached
    from siaga.forces.models import Unit
    from siaga.regions.models import District

    role = user_role(user)
    empty: frozenset = frozenset()
    if role == Role.ADMIN:
        area = Area(role, True, empty, empty, empty, empty, empty, empty, empty)
    else:
        unit = user_unit(user) if role else None
        if unit is None:
            area = Area(role, False, empty, empty, empty, empty, empty, empty, empty)
        else:
            areas = unit_areas()
            mine = areas.get(unit.pk, empty)
            visible = frozenset(u for u, a in areas.items() if a & mine)
            inside = frozenset(u for u, a in areas.items() if a and a <= mine)
            codes = dict(Unit.objects.filter(pk__in=visible).values_list("id", "code"))
            rows = list(District.objects.filter(pk__in=mine).values_list("code", "regency_id"))
            area = Area(role, False, mine, frozenset(c for c, _ in rows), frozenset(r for _, r in rows),
                        visible, inside, frozenset(codes.values()), frozenset(codes[u] for u in inside if u in codes))
    if user is not None:
        user._siaga_area = area
    return area


# --- reads -------------------------------------------------------------------------------------------

def scope(user, qs: QuerySet) -> QuerySet:
    """Only the rows of ``qs`` the user may see (the rule its app declared). Refuses (LookupError) models without
    a rule."""
    return scope_for(user_area(user), qs)


def get_visible_or_404(user, qs: QuerySet, **lookup) -> Any:
    """One row the user may see, else Http404 (the same answer whether it exists elsewhere or not).

    An integer no database column can hold (a guessed id such as 99999999999999999999) is simply not found."""
    if any(isinstance(v, int) and not -BIGINT_MAX - 1 <= v <= BIGINT_MAX for v in lookup.values()):
        raise Http404(f"{qs.model._meta.verbose_name} tidak ditemukan")
    obj = scope(user, qs).filter(**lookup).first()
    if obj is None:
        raise Http404(f"{qs.model._meta.verbose_name} tidak ditemukan")
    return obj


# --- places ------------------------------------------------------------------------------------------

def district_in_area(user, district_id: int) -> bool:
    """True when the district lies in the user's area (admins: always)."""
    area = user_area(user)
    return area.everything or district_id in area.district_ids
