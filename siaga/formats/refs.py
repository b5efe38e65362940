"""References between planning tables, checked across all files read together plus what is stored.

A reference is checked against the table it points to when that table was read, and against
``KnownRefs`` (what the database already holds) when given, so one file can be imported alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from siaga.domain.regions import parse_village_code
from siaga.formats.problems import ProblemLog
from siaga.formats.validate import ParsedTable

_DISTRICT_CODE = re.compile(r"^(\d{2})\.?(\d{2})\.?(\d{2})$")


@dataclass(frozen=True)
class KnownRefs:
    """References already stored (in the database) that an imported file may point to."""

    village_codes: frozenset[str] = frozenset()
    village_district_names: frozenset[str] = frozenset()
    unit_ids: frozenset[str] = frozenset()
    tps_ids: frozenset[str] = frozenset()
    indicator_codes: frozenset[str] | None = None  # None = do not check indicator codes


def check_references(parsed: dict[str, ParsedTable], known: KnownRefs | None, log: ProblemLog,
                     warnings: list[str]) -> None:
    """Log every dangling reference and unit parent cycle; resolve unit district spellings in place.

    A row without an id, or a TPS row whose village or district cannot be read, is already a
    problem and might be the very row a reference needs: references into such a table are not
    checked (they are on the next run, once the file is fixed), so one mistake is reported once.
    """
    tps = parsed.get("tps")
    units = parsed.get("units")
    personnel = parsed.get("personnel")
    indicators = parsed.get("indicators")
    stored = " maupun di data tersimpan" if known is not None else ""

    unit_ids = _targets(units, known.unit_ids if known is not None else None)
    if unit_ids is not None:
        if units is not None:
            _check(log, units, "parent_id", unit_ids, f"unit induk tidak ada di units{stored}")
        if personnel is not None:
            _check(log, personnel, "unit_id", unit_ids, f"unit tidak ada di units{stored}")
    elif units is None and personnel is not None and any(personnel.refs["unit_id"]):
        warnings.append(f"{personnel.file}: unit_id tidak diperiksa (units tidak dibaca)")

    if indicators is not None:
        tps_ids = _targets(tps, known.tps_ids if known is not None else None)
        if tps_ids is not None:
            _check(log, indicators, "tps_id", tps_ids, f"TPS tidak ada di tps{stored}")
        elif tps is None and any(indicators.refs["tps_id"]):
            warnings.append(f"{indicators.file}: tps_id tidak diperiksa (tps tidak dibaca)")
        if known is not None and known.indicator_codes is not None:
            _check(log, indicators, "indicator", known.indicator_codes, "kode indikator tidak ada di katalog indikator")

    if units is not None:
        _check_cycles(log, units)
    if tps is None or tps.regions_complete:
        _check_regions(tps, units, personnel, known, log, stored, warnings)


def _check_regions(tps: ParsedTable | None, units: ParsedTable | None, personnel: ParsedTable | None,
                   known: KnownRefs | None, log: ProblemLog, stored: str, warnings: list[str]) -> None:
    """Home villages of personnel and districts of units must exist in the TPS data or the store."""
    villages = set(tps.village_codes) if tps is not None else set()
    districts = set(tps.district_codes) if tps is not None else set()
    names = set(tps.district_names) if tps is not None else set()
    if known is not None:
        names |= known.village_district_names
        for text in known.village_codes:
            code = parse_village_code(text)
            if code is not None:
                villages.add(code.village)
                districts.add(code.district)
    if personnel is not None:
        if villages:
            _check(log, personnel, "home_village_code", villages, f"desa tidak ada di tps{stored}")
        elif any(personnel.refs["home_village_code"]):  # codes or None
            warnings.append(f"{personnel.file}: home_village_code tidak diperiksa (tidak ada data desa)")
    if units is not None:
        _check_districts(log, units, names, districts, stored, warnings)


def _targets(table: ParsedTable | None, known_ids: frozenset[str] | None) -> set[str] | None:
    """The ids a reference may point to (the table read plus those stored), or None: do not check."""
    if table is not None and not table.ids_complete:
        return None
    if table is None and known_ids is None:
        return None
    ids = set(table.ids) if table is not None else set()
    return ids | known_ids if known_ids is not None else ids


def _check(log: ProblemLog, table: ParsedTable, column: str, targets: set[str] | frozenset[str],
           reason: str) -> None:
    """Report every row whose reference in ``column`` is not among ``targets``."""
    values = table.refs[column]
    missing = set(values).difference(targets)
    missing.discard("")
    missing.discard(None)
    if missing:
        for i, value in enumerate(values):
            if value in missing:
                log.add(table.file, table.rows[i], column, value, reason)


def _check_districts(log: ProblemLog, units: ParsedTable, names: set[str], codes: set[str], stored: str,
                     warnings: list[str]) -> None:
    """Unit districts must name a district of the TPS data (any case) or be a district code.

    Matched names are rewritten to the TPS data's spelling, so the planner can match them exactly.
    """
    refs = units.district_refs
    if not names and not codes:
        if refs:
            warnings.append(f"{units.file}: districts tidak diperiksa (tidak ada data kecamatan)")
        return
    by_fold: dict[str, str] = {}
    for name in sorted(names):
        by_fold.setdefault(name.casefold(), name)
    resolved: dict[str, str] = {}
    for row, value in refs:
        if value in resolved:
            continue
        canonical = value if value in names else by_fold.get(value.casefold())
        if canonical is None:
            match = _DISTRICT_CODE.match(value)
            if match is not None:
                code = ".".join(match.groups())
                if not codes or code in codes:
                    canonical = code
        if canonical is None:
            log.add(units.file, row, "districts", value,
                    f"kecamatan tidak ada di tps{stored} (tulis nama kecamatan atau kodenya, mis. 35.71.01)")
        else:
            resolved[value] = canonical
    if any(k != v for k, v in resolved.items()):
        units.records[:] = [
            replace(u, districts=tuple(dict.fromkeys(resolved.get(d, d) for d in u.districts)))
            if u.districts else u
            for u in units.records
        ]


def _check_cycles(log: ProblemLog, units: ParsedTable) -> None:
    """Each cycle of parent links is reported once, at the row of its first unit."""
    parents = units.parents
    done: set[str] = set()
    for start in parents:
        if start in done:
            continue
        path: list[str] = []
        on_path: dict[str, int] = {}
        node: str | None = start
        while node is not None and node not in done and node not in on_path:
            on_path[node] = len(path)
            path.append(node)
            link = parents.get(node)
            node = link[1] if link is not None else None
        if node is not None and node in on_path:
            cycle = path[on_path[node]:]
            first = min(cycle, key=lambda u: parents[u][0])
            i = cycle.index(first)
            loop = cycle[i:] + cycle[:i] + [first]
            row, parent = parents[first]
            log.add(units.file, row, "parent_id", parent, f"siklus unit induk: {' -> '.join(loop)}")
        done.update(path)
