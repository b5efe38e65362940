"""Input types of the planning engine: stations (TPS), units, people, pins and the problem.

All are frozen, slotted dataclasses holding plain values, so a :class:`Problem` can be built from
files, from the database or from a test without anything else. District and village codes are the
dotted Kemendagri codes (``35.71.01`` and ``35.71.01.1001``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from siaga.planning.params import PlanParams
from siaga.planning.patterns import Pattern

# Short codes of the categories, used in post ids ("P-35.71.01.1001-KR-01").
CATEGORY_SHORT: dict[str, str] = {"kurang_rawan": "KR", "rawan": "R", "sangat_rawan": "SR", "khusus": "K"}

# Priority of unmet headcount, most urgent first (sangat rawan and khusus share the first level).
UNMET_LEVELS: tuple[tuple[str, ...], ...] = (("sangat_rawan", "khusus"), ("rawan",), ("kurang_rawan",))

FORCE_NAMES: dict[str, str] = {"polri": "Polri", "tni": "TNI", "linmas": "Linmas"}


class PlanInputError(ValueError):
    """The problem cannot be planned as given (bad pin, unknown id, ...); the message names the item."""


@dataclass(frozen=True, slots=True)
class StationRisk:
    """What risk scoring says about one TPS: score, category, where the category came from, and why."""

    score: float
    category: str
    category_source: str = "score"  # score | override | kind
    reasons: tuple[str, ...] = ()
    reasons_en: tuple[str, ...] = ()
    #: the reason typed for a manual category: free text, kept apart from the reasons so it can be withheld
    category_reason: str = ""


@dataclass(frozen=True, slots=True)
class Station:
    """One TPS with its category already decided."""

    id: str
    number: int
    village: str  # "35.71.01.1001"
    village_name: str
    district: str  # "35.71.01"
    district_name: str
    lat: float
    lon: float
    category: str
    kind: str = "regular"
    voters: int = 0
    score: float = 0.0
    category_source: str = "score"
    reasons: tuple[str, ...] = ()
    reasons_en: tuple[str, ...] = ()
    category_reason: str = ""  # typed by a user (free text; partners never see it)


@dataclass(frozen=True, slots=True)
class Unit:
    """A Polri, TNI or Linmas unit. ``districts`` are district codes; () means the parent's area."""

    id: str
    name: str
    force: str
    level: str
    parent: str | None
    lat: float
    lon: float
    districts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Person:
    """One member of the roster. ``lat``/``lon`` is the base the person travels from."""

    id: str
    name: str
    force: str
    rank: str
    unit: str
    home_village: str | None
    lat: float
    lon: float
    status: str = "available"
    can_lead: bool = False


@dataclass(frozen=True, slots=True)
class Pins:
    """Decisions made by hand: person id -> post id, and TPS id -> post id."""

    person_post: Mapping[str, str] = field(default_factory=dict)
    tps_post: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Problem:
    """Everything one plan needs. ``previous`` is an earlier ``plan.json`` dict, for re-planning.

    ``areas`` may carry a ready ``areas`` roll-up (schema of plan.json); when None the engine
    computes it from the station scores.
    """

    stations: tuple[Station, ...]
    units: tuple[Unit, ...]
    people: tuple[Person, ...]
    pattern: Pattern
    params: PlanParams
    pins: Pins = field(default_factory=Pins)
    previous: dict[str, Any] | None = None
    source: str = ""
    synthetic: bool = False
    areas: dict[str, Any] | None = None
