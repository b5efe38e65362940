"""Columns of the planning files (design.md, "File formats for planning"), in their exact order.

This is the single description of the files that the reader, the writers and the documentation
test (tests/formats/test_docs.py) all use.
"""

from __future__ import annotations

from dataclasses import dataclass

from siaga.domain.vocab import CATEGORIES, FORCES, PERSONNEL_STATUSES, TPS_KINDS, UNIT_LEVELS

TABLES: tuple[str, ...] = ("tps", "units", "personnel", "indicators")

# Value types: text, int, float, bool, enum (one of `allowed`), village_code, list (";"-separated).


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: str
    column_required: bool = True  # the header must contain it
    value_required: bool = True  # every row must fill it
    allowed: tuple[str, ...] = ()


def _required(name: str, type_: str = "text", allowed: tuple[str, ...] = ()) -> Column:
    return Column(name, type_, True, True, allowed)


def _optional(name: str, type_: str = "text", allowed: tuple[str, ...] = ()) -> Column:
    return Column(name, type_, False, False, allowed)


# Invented data carry this label: a file of this name beside the CSV files, or a sheet in a workbook.
SYNTHETIC_LABEL = "SINTETIS"
SYNTHETIC_NOTE = ("DATA SINTETIS / SYNTHETIC DATA: nama orang, NRP, koordinat dan nilai indikator dalam berkas ini "
                  "rekaan, bukan data sebenarnya. Names of people, NRPs, coordinates and indicator values in these "
                  "files are invented.")

COLUMNS: dict[str, tuple[Column, ...]] = {
    "tps": (
        _required("tps_id"),
        _required("village_code", "village_code"),
        _required("village_name"),
        _required("district_name"),
        _required("regency_name"),
        _required("number", "int"),
        _required("voters", "int"),
        _required("lat", "float"),
        _required("lon", "float"),
        _optional("kind", "enum", TPS_KINDS),
        _optional("category", "enum", CATEGORIES),
        _optional("category_reason"),
    ),
    "units": (
        _required("unit_id"),
        _required("name"),
        _required("force", "enum", FORCES),
        _required("level", "enum", UNIT_LEVELS),
        # The top unit has no parent and most units no district list, so both may be left out.
        _optional("parent_id"),
        _required("lat", "float"),
        _required("lon", "float"),
        _optional("districts", "list"),
    ),
    "personnel": (
        _required("personnel_id"),
        _required("name"),
        _required("force", "enum", FORCES),
        # The column is required; the value may be empty for Linmas (read as "Anggota").
        Column("rank", "text", column_required=True, value_required=False),
        _required("unit_id"),
        _optional("home_village_code", "village_code"),
        _optional("lat", "float"),
        _optional("lon", "float"),
        _optional("status", "enum", PERSONNEL_STATUSES),
        _optional("can_lead", "bool"),
    ),
    "indicators": (
        _required("tps_id"),
        _required("indicator"),
        _required("value", "float"),
        _optional("note"),
    ),
}

HEADERS: dict[str, tuple[str, ...]] = {kind: tuple(c.name for c in cols) for kind, cols in COLUMNS.items()}

REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    kind: tuple(c.name for c in cols if c.column_required) for kind, cols in COLUMNS.items()
}

#: Column types written as numbers; every other column is text, escaped in CSV (siaga.formats.escape).
NUMERIC_TYPES: frozenset[str] = frozenset({"int", "float"})

TEXT_COLUMNS: dict[str, tuple[bool, ...]] = {
    kind: tuple(c.type not in NUMERIC_TYPES for c in cols) for kind, cols in COLUMNS.items()
}

# Spellings accepted for booleans (compared in lower case).
BOOL_WORDS: dict[str, bool] = {
    "true": True, "false": False, "ya": True, "tidak": False,
    "1": True, "0": False, "yes": True, "no": False,
}


def file_name(kind: str, suffix: str = ".csv") -> str:
    return f"{kind}{suffix}"


def check_kind(kind: str) -> str:
    """The table kind, or ValueError naming the valid ones (a programming error, not bad input)."""
    if kind not in COLUMNS:
        raise ValueError(f"unknown table kind {kind!r}; expected one of {', '.join(TABLES)}")
    return kind
