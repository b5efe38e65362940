"""Which rows of an uploaded file a user may write: the upload rules of data files (docs/access.md).

Admins write every row; planners only rows of their area (TPS of villages in their districts, people of units
inside it, ...); other roles may not upload (``siaga.accounts.policy.require_uploader``).
"""

from __future__ import annotations

from siaga.accounts.policy import require_uploader
from siaga.accounts.scoping import user_area
from siaga.core.access import Area, scope_for
from siaga.core.redaction import declare

_UPLOAD_CHUNK = 500  # codes per IN (...) query (SQLite's variable limit)
OUTSIDE_AREA = "di luar wilayah Anda"


def upload_rows_outside(user, kind: str, records: list) -> list[tuple[int, str, str, str]]:
    """(record index, column, value, reason) of every uploaded record the user may not write.

    Admin: none. Planner: TPS of villages in its districts (and no stored TPS of another area under the same
    id); indicator values of TPS in its area; personnel of units inside its area (and no stored person of
    another area); units inside its area: a stored unit must be inside, listed districts in the area, and the
    parent inside (or in the same file and allowed, or unchanged). Other roles: PermissionDenied.
    """
    require_uploader(user)
    area = user_area(user)
    if area.everything:
        return []
    rule = {"tps": _tps_outside, "indicators": _indicators_outside, "personnel": _personnel_outside,
            "units": _units_outside}[kind]
    return rule(area, records)


def _codes_in(model, codes, area: Area, *, inside: bool) -> set[str]:
    """The given codes stored for ``model`` that lie inside (or outside) the area, queried in chunks."""
    found: set[str] = set()
    codes = sorted(set(codes))
    for start in range(0, len(codes), _UPLOAD_CHUNK):
        qs = model.objects.filter(code__in=codes[start:start + _UPLOAD_CHUNK])
        mine = scope_for(area, qs)
        found |= set((mine if inside else qs.exclude(pk__in=mine.values("pk"))).values_list("code", flat=True))
    return found


def _tps_outside(area: Area, records: list) -> list[tuple[int, str, str, str]]:
    from siaga.regions.models import TPS

    elsewhere = _codes_in(TPS, (r.tps_id for r in records), area, inside=False)
    out = []
    for i, r in enumerate(records):
        if r.village_code[:8] not in area.district_codes:
            out.append((i, "village_code", r.village_code, f"{OUTSIDE_AREA} (kecamatan {r.village_code[:8]})"))
        elif r.tps_id in elsewhere:
            out.append((i, "tps_id", r.tps_id, f"{OUTSIDE_AREA} (TPS ini tersimpan di wilayah lain)"))
    return out


def _indicators_outside(area: Area, records: list) -> list[tuple[int, str, str, str]]:
    from siaga.regions.models import TPS

    mine = _codes_in(TPS, (r.tps_id for r in records), area, inside=True)
    return [(i, "tps_id", r.tps_id, OUTSIDE_AREA) for i, r in enumerate(records) if r.tps_id not in mine]


def _personnel_outside(area: Area, records: list) -> list[tuple[int, str, str, str]]:
    from siaga.forces.models import Personnel

    elsewhere = _codes_in(Personnel, (r.personnel_id for r in records), area, inside=False)
    out = []
    for i, r in enumerate(records):
        if r.unit_id not in area.inside_unit_codes:
            out.append((i, "unit_id", r.unit_id, f"{OUTSIDE_AREA} (satuan di luar wilayah Anda)"))
        elif r.personnel_id in elsewhere:
            out.append((i, "personnel_id", r.personnel_id, f"{OUTSIDE_AREA} (personel ini tersimpan di satuan lain)"))
    return out


def _units_outside(area: Area, records: list) -> list[tuple[int, str, str, str]]:
    from siaga.forces.models import Unit
    from siaga.regions.models import District

    names = District.objects.filter(pk__in=area.district_ids).values_list("name", flat=True)
    keys = set(area.district_codes) | {name.casefold() for name in names}
    stored = dict(Unit.objects.values_list("code", "parent__code"))  # units are few (thousands nationally)
    out: dict[int, tuple[int, str, str, str]] = {}
    for i, r in enumerate(records):
        if r.unit_id in stored and r.unit_id not in area.inside_unit_codes:
            out[i] = (i, "unit_id", r.unit_id, f"{OUTSIDE_AREA} (satuan ini tersimpan di wilayah lain)")
            continue
        bad = [d for d in r.districts if d not in keys and d.casefold() not in keys]
        if bad:
            out[i] = (i, "districts", ";".join(bad), f"{OUTSIDE_AREA} (kecamatan)")
    # parents: allowed when unchanged, inside, or an allowed unit of this file (repeat until nothing changes)
    changed = True
    while changed:
        changed = False
        allowed = {r.unit_id for i, r in enumerate(records) if i not in out}
        for i, r in enumerate(records):
            if i in out:
                continue
            unchanged = r.unit_id in stored and stored[r.unit_id] == r.parent_id
            if r.parent_id is None:
                ok = unchanged or bool(r.districts)
            else:
                ok = unchanged or r.parent_id in area.inside_unit_codes or r.parent_id in allowed
            if not ok:
                out[i] = (i, "parent_id", r.parent_id or "",
                          f"{OUTSIDE_AREA} (unit induk)" if r.parent_id else
                          f"{OUTSIDE_AREA} (satuan tanpa induk perlu kecamatan di wilayah Anda)")
                changed = True
    return [out[i] for i in sorted(out)]


#: A staged upload holds the rows of a file (people, notes): only its uploader reads it, never a partner.
declare("dataio.upload", withheld=True)
