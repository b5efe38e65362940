"""Validation of each planning table into the records of siaga.formats.records.

Each ``parse_*`` function checks every cell of one table, logs every problem, and remembers what
other tables may refer to (ids, villages, districts) and what this table refers to, so that
siaga.formats.refs can check references across files afterwards. Records are built only for a
table without problems (a table with problems is never returned).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from siaga.domain.ranks import Rank, default_can_lead, find_rank, rank_codes
from siaga.domain.vocab import CATEGORIES, FORCES, PERSONNEL_STATUSES, TPS_KINDS, UNIT_LEVELS
from siaga.formats.fields import Checker, RawTable, build_records
from siaga.formats.problems import ProblemLog
from siaga.formats.records import IndicatorRecord, PersonnelRecord, TPSRecord, UnitRecord

_NAME_COLUMNS = ("village_name", "district_name", "regency_name")


@dataclass
class ParsedTable:
    """The records of one table, plus what is needed to check references across tables."""

    kind: str
    file: str
    rows: list[int]  # spreadsheet row number of each data row
    records: list = field(default_factory=list)
    ids: set[str] = field(default_factory=set)  # own ids, from every row
    ids_complete: bool = True  # False when a row has no id: references to this table are not checked
    refs: dict[str, list[str]] = field(default_factory=dict)  # column -> value per data row ("" = none)
    # TPS only: what units and personnel may refer to.
    village_codes: set[str] = field(default_factory=set)
    district_names: set[str] = field(default_factory=set)
    district_codes: set[str] = field(default_factory=set)
    regions_complete: bool = True  # False when a village code or district name is unreadable
    # Units only: unit_id -> (row, parent_id), and (row, district) for each listed district.
    parents: dict[str, tuple[int, str]] = field(default_factory=dict)
    district_refs: list[tuple[int, str]] = field(default_factory=list)


def parse_tps(table: RawTable, log: ProblemLog) -> ParsedTable:
    start = len(log)
    check = Checker(table, log)
    ids = check.text("tps_id")
    codes = check.village("village_code")
    villages = check.text("village_name")
    districts = check.text("district_name")
    regencies = check.text("regency_name")
    numbers = check.integer("number", 1, "nomor TPS minimal 1")
    voters = check.integer("voters", 0, "jumlah pemilih tidak boleh negatif")
    lat, lon = check.coords(required=True)
    kinds = check.choice("kind", TPS_KINDS, required=False, default="regular")
    categories = check.choice("category", CATEGORIES, required=False)
    reasons = [text or None for text in check.text("category_reason", required=False)]
    for i, (category, reason) in enumerate(zip(categories, reasons, strict=True)):
        if reason and category is None:
            check.bad(i, "category_reason", reason, "alasan diisi tanpa kolom category")
    check.unique(ids, "tps_id", ids, lambda _: "tps_id")
    check.unique(list(zip(codes, numbers, strict=True)), "number", check.raw("number"),
                 lambda key: f"nomor TPS {key[1]} di desa {key[0]}")
    _same_names(check, codes, villages, districts, regencies)

    out = ParsedTable("tps", table.file, table.rows, ids=set(ids), ids_complete="" not in ids)
    out.ids.discard("")
    out.district_names = set(districts)
    out.district_names.discard("")
    out.village_codes = set(codes)
    out.village_codes.discard(None)
    out.regions_complete = None not in codes and "" not in districts
    out.district_codes = {code[:8] for code in out.village_codes}
    if len(log) == start:
        out.records = build_records(TPSRecord, ids, codes, villages, districts, regencies, numbers, voters,
                                    lat, lon, kinds, categories, reasons)
    return out


def _same_names(check: Checker, codes: list[str | None], villages: list[str], districts: list[str],
                regencies: list[str]) -> None:
    """A village, district or regency code must carry the same names on every row of the file.

    Distinct combinations are compared first; only rows of a code with two spellings are walked,
    each differing name reported once against the first row that used the code.
    """
    spellings: dict[str, set[tuple[str, ...]]] = {}
    for code, village, district, regency in set(zip(codes, villages, districts, regencies, strict=True)):
        if code is not None:  # dotted "PP.RR.DD.VVVV": district = code[:8], regency = code[:5]
            spellings.setdefault(code, set()).add((village, district, regency))
            spellings.setdefault(code[:8], set()).add((district, regency))
            spellings.setdefault(code[:5], set()).add((regency,))
    clashing = {key for key, names in spellings.items() if len(names) > 1}
    if not clashing:
        return
    first: dict[tuple[str, str], tuple[str, int]] = {}  # (region code, column) -> (name, row)
    for i, code in enumerate(codes):
        if code is None or not {code, code[:8], code[:5]} & clashing:
            continue
        names = (villages[i], districts[i], regencies[i])
        flagged: set[str] = set()
        for region, columns, what in (
            (code, _NAME_COLUMNS, "kode desa"),
            (code[:8], _NAME_COLUMNS[1:], "kode kecamatan"),
            (code[:5], _NAME_COLUMNS[2:], "kode kabupaten/kota"),
        ):
            for column in columns:
                name = names[_NAME_COLUMNS.index(column)]
                if not name:
                    continue
                seen = first.setdefault((region, column), (name, check.rows[i]))
                if seen[0] != name and column not in flagged:
                    flagged.add(column)
                    check.bad(i, column, name, f"{what} {region} sudah bernama '{seen[0]}' di baris {seen[1]}")


def parse_units(table: RawTable, log: ProblemLog) -> ParsedTable:
    start = len(log)
    check = Checker(table, log)
    ids = check.text("unit_id")
    names = check.text("name")
    forces = check.choice("force", FORCES)
    levels = check.choice("level", UNIT_LEVELS)
    parents = check.text("parent_id", required=False)
    lat, lon = check.coords(required=True)
    district_lists = [_split_list(text) for text in check.text("districts", required=False)]
    check.unique(ids, "unit_id", ids, lambda _: "unit_id")

    out = ParsedTable("units", table.file, table.rows, ids=set(ids), refs={"parent_id": parents},
                      ids_complete="" not in ids)
    out.ids.discard("")
    for i, (unit_id, parent) in enumerate(zip(ids, parents, strict=True)):
        if unit_id and parent:
            out.parents.setdefault(unit_id, (table.rows[i], parent))
    out.district_refs = [(table.rows[i], d) for i, names_ in enumerate(district_lists) for d in names_]
    if len(log) == start:
        out.records = build_records(UnitRecord, ids, names, forces, levels, [p or None for p in parents],
                                    lat, lon, district_lists)
    return out


def _split_list(text: str) -> tuple[str, ...]:
    """";"-separated names, stripped, empties and repeats dropped, order kept."""
    if not text:
        return ()
    return tuple(dict.fromkeys(p for p in (s.strip() for s in text.split(";")) if p))


def parse_personnel(table: RawTable, log: ProblemLog) -> ParsedTable:
    start = len(log)
    check = Checker(table, log)
    ids = check.text("personnel_id")
    names = check.text("name")
    forces = check.choice("force", FORCES)
    rank_texts = check.text("rank", required=False)
    unit_ids = check.text("unit_id")
    homes = check.village("home_village_code", required=False)
    lat, lon = check.coords(required=False)
    statuses = check.choice("status", PERSONNEL_STATUSES, required=False, default="available")
    can_lead = check.boolean("can_lead")
    check.unique(ids, "personnel_id", ids, lambda _: "personnel_id")

    lat_filled, lon_filled = list(map(bool, check.raw("lat"))), list(map(bool, check.raw("lon")))
    if lat_filled != lon_filled:
        for i, (has_lat, has_lon) in enumerate(zip(lat_filled, lon_filled, strict=True)):
            if has_lat != has_lon:
                missing, given = ("lon", "lat") if has_lat else ("lat", "lon")
                check.bad(i, missing, None, f"wajib diisi bila {given} diisi")

    # Ranks, codes and defaults are resolved once per distinct (force, rank text).
    rank_of: dict[tuple[str | None, str], Rank | None] = {}
    failed: dict[tuple[str | None, str], str] = {}
    for force, text in set(zip(forces, rank_texts, strict=True)):
        rank_of[force, text] = None
        if force is None or "rank" not in check.columns:
            continue
        if not text and force != "linmas":
            failed[force, text] = f"wajib diisi untuk {force}"
            continue
        rank = rank_of[force, text] = find_rank(force, text or "Anggota")
        if rank is None:
            failed[force, text] = f"pangkat tidak dikenal untuk {force}; yang berlaku: {', '.join(rank_codes(force))}"
    if failed:
        for i, pair in enumerate(zip(forces, rank_texts, strict=True)):
            if pair in failed:
                check.bad(i, "rank", pair[1], failed[pair])

    home_filled = list(map(bool, check.raw("home_village_code")))
    if ("linmas", False) in set(zip(forces, home_filled, strict=True)):
        for i, (force, has_home) in enumerate(zip(forces, home_filled, strict=True)):
            if force == "linmas" and not has_home:
                check.bad(i, "home_village_code", None, "wajib diisi untuk Linmas (desa tempat bertugas)")

    out = ParsedTable("personnel", table.file, table.rows, ids=set(ids),
                      refs={"unit_id": unit_ids, "home_village_code": homes})
    if len(log) == start:
        pairs = list(zip(forces, rank_texts, strict=True))
        code_of = {pair: rank.code for pair, rank in rank_of.items() if rank is not None}
        default_of = {pair: default_can_lead(pair[0], rank) for pair, rank in rank_of.items() if rank is not None}
        given = len(can_lead) - can_lead.count(None)
        if given == 0:
            leads = list(map(default_of.__getitem__, pairs))
        elif given == len(can_lead):
            leads = can_lead
        else:
            leads = [default_of[pair] if lead is None else lead for lead, pair in zip(can_lead, pairs, strict=True)]
        out.records = build_records(PersonnelRecord, ids, names, forces, list(map(code_of.__getitem__, pairs)),
                                    unit_ids, homes, lat, lon, statuses, leads)
    return out


def parse_indicators(table: RawTable, log: ProblemLog) -> ParsedTable:
    start = len(log)
    check = Checker(table, log)
    tps_ids = check.text("tps_id")
    codes = check.text("indicator")
    values = check.number("value", words=True, reason="nilai indikator harus berupa angka (0/1 untuk ya/tidak)")
    notes = check.text("note", required=False)
    check.unique([(t, c) if t and c else None for t, c in zip(tps_ids, codes, strict=True)], "indicator", codes,
                 lambda key: f"indikator {key[1]} untuk TPS {key[0]}")
    out = ParsedTable("indicators", table.file, table.rows, refs={"tps_id": tps_ids, "indicator": codes})
    if len(log) == start:
        out.records = build_records(IndicatorRecord, tps_ids, codes, values, notes)
    return out


PARSERS = {"tps": parse_tps, "units": parse_units, "personnel": parse_personnel, "indicators": parse_indicators}
