"""From validated records (``siaga.formats.records.Dataset``) to a planning :class:`Problem`.

Resolves what the files leave implicit: the district code of each TPS (the first three segments of
its village code), unit districts given by name (matched against the TPS data's district names,
or given as codes), a person's base (default: the unit HQ) and a Linmas member's service village
(its home village).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from siaga.domain.regions import parse_village_code
from siaga.formats.records import Dataset, PersonnelRecord, TPSRecord, UnitRecord
from siaga.planning.model import Person, Pins, PlanInputError, Problem, Station, StationRisk, Unit
from siaga.planning.params import PlanParams
from siaga.planning.patterns import Pattern


def _norm(name: str) -> str:
    text = " ".join(name.replace(".", " ").split()).casefold()
    for prefix in ("kecamatan ", "kec "):
        if text.startswith(prefix):
            text = text[len(prefix):]
    return text


def _dotted(code: str | None) -> str | None:
    if not code:
        return None
    parsed = parse_village_code(code)
    return parsed.village if parsed else code


def _district_of(rec: TPSRecord) -> str:
    parsed = parse_village_code(rec.village_code)
    if parsed is not None:
        return parsed.district
    parts = rec.village_code.split(".")
    if len(parts) == 4 and all(p.isdigit() for p in parts):
        return ".".join(parts[:3])
    raise PlanInputError(f"TPS {rec.tps_id}: kode desa {rec.village_code!r} tidak dapat dibaca")


def station_from(rec: TPSRecord, risk: StationRisk | None) -> Station:
    """One Station; without risk the category is the record's override, else khusus/kurang rawan."""
    if risk is not None:
        score, category, source = risk.score, risk.category, risk.category_source
        reasons, reasons_en = tuple(risk.reasons), tuple(risk.reasons_en)
        typed = risk.category_reason
    else:
        score, reasons, reasons_en, typed = 0.0, (), (), (rec.category_reason or "") if rec.category else ""
        if rec.category:
            category, source = rec.category, "override"
        elif rec.kind == "khusus":
            category, source = "khusus", "kind"
        else:
            category, source = "kurang_rawan", "score"
    return Station(
        id=rec.tps_id, number=rec.number, village=_dotted(rec.village_code) or rec.village_code,
        village_name=rec.village_name, district=_district_of(rec), district_name=rec.district_name,
        lat=rec.lat, lon=rec.lon, category=category, kind=rec.kind, voters=rec.voters, score=float(score),
        category_source=source, reasons=reasons, reasons_en=reasons_en, category_reason=typed,
    )


def district_lookup(stations: list[Station]) -> tuple[set[str], dict[str, set[str]]]:
    """Known district codes, and normalised district name -> codes (from the TPS data)."""
    codes = {s.district for s in stations}
    by_name: dict[str, set[str]] = defaultdict(set)
    for s in stations:
        by_name[_norm(s.district_name)].add(s.district)
    return codes, by_name


def resolve_districts(unit: UnitRecord, codes: set[str], by_name: Mapping[str, set[str]]) -> tuple[str, ...]:
    """Unit districts as codes; an unknown or ambiguous name is an error naming unit and name."""
    out = []
    for text in unit.districts:
        text = text.strip()
        if not text:
            continue
        if text in codes:
            out.append(text)
            continue
        found = by_name.get(_norm(text), set())
        if not found:
            raise PlanInputError(f"Satuan {unit.unit_id}: kecamatan {text!r} tidak ada dalam data TPS")
        if len(found) > 1:
            raise PlanInputError(f"Satuan {unit.unit_id}: nama kecamatan {text!r} ambigu ({', '.join(sorted(found))}); "
                                 f"tulis kodenya")
        out.append(next(iter(found)))
    return tuple(sorted(set(out)))


def person_from(rec: PersonnelRecord, unit: Unit) -> Person:
    """One Person; base defaults to the unit HQ."""
    lat = rec.lat if rec.lat is not None else unit.lat
    lon = rec.lon if rec.lon is not None else unit.lon
    return Person(id=rec.personnel_id, name=rec.name, force=rec.force, rank=rec.rank, unit=rec.unit_id,
                  home_village=_dotted(rec.home_village_code), lat=float(lat), lon=float(lon), status=rec.status,
                  can_lead=bool(rec.can_lead))


_NO_PINS = Pins()


def build_problem(dataset: Dataset, risk: Mapping[str, StationRisk] | None, pattern: Pattern, params: PlanParams,
                  pins: Pins = _NO_PINS, previous: dict[str, Any] | None = None, source: str = "") -> Problem:
    """A Problem from validated records and (optionally) the risk scoring of every TPS."""
    stations = [station_from(rec, (risk or {}).get(rec.tps_id)) for rec in dataset.tps]
    codes, by_name = district_lookup(stations)
    units = [Unit(id=u.unit_id, name=u.name, force=u.force, level=u.level, parent=u.parent_id,
                  lat=float(u.lat), lon=float(u.lon), districts=resolve_districts(u, codes, by_name))
             for u in dataset.units]
    by_id = {u.id: u for u in units}
    people = []
    for rec in dataset.personnel:
        if rec.unit_id not in by_id:
            raise PlanInputError(f"Personel {rec.personnel_id}: satuan {rec.unit_id} tidak ada dalam data satuan")
        people.append(person_from(rec, by_id[rec.unit_id]))
    return Problem(stations=tuple(stations), units=tuple(units), people=tuple(people), pattern=pattern,
                   params=params, pins=pins, previous=previous, source=source,
                   synthetic=bool(dataset.synthetic))
