"""Typed records of the planning file formats (design.md, "File formats").

These are the pivot of the system: files are parsed into them, scenarios generate them, the
database importer stores them, the exporter writes them back and the planner reads them.
Values here are already validated and normalised (village codes dotted, enums lower case).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class TPSRecord:
    tps_id: str
    village_code: str  # dotted Kemendagri code, e.g. "35.71.01.1001"
    village_name: str
    district_name: str
    regency_name: str
    number: int
    voters: int
    lat: float
    lon: float
    kind: str = "regular"  # regular | khusus
    category: str | None = None  # manual override: kurang_rawan | rawan | sangat_rawan | khusus
    category_reason: str | None = None  # why the override was made (shown as the TPS's first reason)


@dataclass(frozen=True, slots=True)
class IndicatorRecord:
    tps_id: str
    indicator: str  # code from the indicator catalogue
    value: float
    note: str = ""


@dataclass(frozen=True, slots=True)
class UnitRecord:
    unit_id: str
    name: str
    force: str  # polri | tni | linmas
    level: str  # polres | polsek | kodim | koramil | village | reserve
    parent_id: str | None
    lat: float
    lon: float
    districts: tuple[str, ...] = ()  # district names (or codes); empty = the parent's whole area


@dataclass(frozen=True, slots=True)
class PersonnelRecord:
    personnel_id: str
    name: str
    force: str
    rank: str  # rank code from siaga.domain.ranks ("" for Linmas without rank)
    unit_id: str
    home_village_code: str | None = None
    lat: float | None = None
    lon: float | None = None
    status: str = "available"
    can_lead: bool = False  # resolved: the file's value, or derived from rank


@dataclass(slots=True)
class Dataset:
    """One area's planning data, as read from a directory, a workbook or a scenario."""

    tps: list[TPSRecord] = field(default_factory=list)
    units: list[UnitRecord] = field(default_factory=list)
    personnel: list[PersonnelRecord] = field(default_factory=list)
    indicators: list[IndicatorRecord] = field(default_factory=list)
    synthetic: bool = False  # True when names, coordinates or people are invented
