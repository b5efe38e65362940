"""Import validated planning records into the database: all or nothing, idempotent, updates in place."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction

from siaga.core.bulk import insert_rows
from siaga.core.locks import serialize
from siaga.core.services import audit_record
from siaga.domain.ranks import find_rank
from siaga.domain.regions import PROVINCES, parse_village_code
from siaga.forces.models import Personnel, Unit
from siaga.formats.records import Dataset, IndicatorRecord, PersonnelRecord, TPSRecord, UnitRecord
from siaga.regions.models import TPS, District, Province, Regency, Village
from siaga.risk.models import Indicator, IndicatorValue

BATCH = 2000
Progress = Callable[[str, int, int], None]  # (step, done, total)


class ImportConflict(Exception):
    """The files are valid on their own but clash with what the database already holds."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class TableCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}

    def tally(self, result: SyncResult) -> None:
        self.created += len(result.created)
        self.updated += len(result.updated)
        self.unchanged += len(result.ids) - len(result.created) - len(result.updated)


@dataclass
class SyncResult:
    """What one upsert did: code -> id of every wanted row, and the codes it created or changed."""

    ids: dict[str, int]
    created: set[str]
    updated: set[str]


@dataclass
class ImportReport:
    tables: dict[str, TableCounts] = field(default_factory=dict)
    dry_run: bool = False

    def count(self, table: str) -> TableCounts:
        return self.tables.setdefault(table, TableCounts())

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated for c in self.tables.values())

    def as_dict(self) -> dict[str, Any]:
        return {"dry_run": self.dry_run, "tables": {k: v.as_dict() for k, v in self.tables.items()}}


class _DryRunRollback(Exception):
    pass


def import_dataset(*, dataset: Dataset, actor: str, source: str, dry_run: bool = False,
                   progress: Progress | None = None, user=None, details: dict[str, Any] | None = None) -> ImportReport:
    """Store TPS (with their regions), units, personnel and indicator values of ``dataset``.

    Existing rows (matched by their ids) are updated in place; rows that are equal are left alone,
    so importing the same file twice changes nothing. The whole import is one transaction; with
    ``dry_run`` it is rolled back after counting what would change. ``user`` and ``details`` go into
    the audit event (a web upload names its user row, kind and file).
    """
    report = ImportReport(dry_run=dry_run)
    step = progress or (lambda *_: None)
    try:
        with transaction.atomic():
            serialize("import")  # a concurrent import waits, then updates what this one inserted
            if dataset.tps:
                villages = _upsert_regions(dataset.tps, report, dataset.synthetic)
                _upsert_tps(dataset.tps, villages, report, dataset.synthetic, step)
            if dataset.units:
                _upsert_units(dataset.units, report, dataset.synthetic, step)
            if dataset.personnel:
                _upsert_personnel(dataset.personnel, report, dataset.synthetic, step)
            if dataset.indicators:
                _upsert_indicators(dataset.indicators, report, step)
            audit_record(actor=actor, action="import", target=source, details={**(details or {}), **report.as_dict()},
                         user=user)
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        pass
    except IntegrityError as exc:  # a clash with stored rows that the pre-checks did not foresee
        raise ImportConflict([f"{source}: bertentangan dengan data yang sudah tersimpan: {exc}"]) from exc
    return report


# --- regions and TPS -------------------------------------------------------------------------------

def _upsert_regions(records: Sequence[TPSRecord], report: ImportReport, synthetic: bool) -> dict[str, int]:
    """Create or rename the provinces, regencies, districts and villages the TPS refer to."""
    provinces: dict[str, str] = {}
    regencies: dict[str, tuple[str, str]] = {}
    districts: dict[str, tuple[str, str]] = {}
    villages: dict[str, tuple[str, str, str]] = {}
    for r in records:
        code = parse_village_code(r.village_code)
        assert code is not None, "records are validated before import"
        provinces[code.province] = PROVINCES[code.province]
        regencies[code.regency] = (r.regency_name, code.regency_kind)
        districts[code.district] = (r.district_name, code.regency)
        villages[code.village] = (r.village_name, code.village_kind, code.district)

    prov_ids = _synced(report, "provinces", Province, {c: {"name": n} for c, n in provinces.items()})
    reg_ids = _synced(report, "regencies", Regency, {c: {"name": n, "kind": k, "province_id": prov_ids[c[:2]]}
                                                     for c, (n, k) in regencies.items()})
    dist_ids = _synced(report, "districts", District, {c: {"name": n, "regency_id": reg_ids[rc]}
                                                       for c, (n, rc) in districts.items()})
    return _synced(report, "villages", Village, {c: {"name": n, "kind": k, "district_id": dist_ids[dc]}
                                                 for c, (n, k, dc) in villages.items()})


def _synced(report: ImportReport, table: str, model, wanted: dict[str, dict[str, Any]],
            step: Progress | None = None) -> dict[str, int]:
    result = _sync(model, wanted, step=step, label=table)
    report.count(table).tally(result)
    return result.ids


def _upsert_tps(records: Sequence[TPSRecord], villages: dict[str, int], report: ImportReport,
                synthetic: bool, step: Progress) -> None:
    wanted = {}
    for r in records:
        wanted[r.tps_id] = {
            "village_id": villages[r.village_code], "number": r.number, "voters": r.voters,
            "lat": r.lat, "lon": r.lon, "kind": r.kind, "synthetic": synthetic,
            "manual_category": r.category or "",
            "manual_category_reason": (r.category_reason or "Ditetapkan dalam berkas impor") if r.category else "",
        }
    _check_tps_numbers(wanted)
    _synced(report, "tps", TPS, wanted, step)


def _check_tps_numbers(wanted: dict[str, dict[str, Any]]) -> None:
    """A TPS number may appear once per village, also against TPS stored earlier under another id."""
    index: dict[tuple[int, int], str] = {(f["village_id"], f["number"]): code for code, f in wanted.items()}
    clashes = []
    stored = TPS.objects.filter(village_id__in={f["village_id"] for f in wanted.values()})
    for code, village_id, number in stored.values_list("code", "village_id", "number").iterator(chunk_size=5000):
        new_code = index.get((village_id, number))
        if new_code is not None and new_code != code and code not in wanted:
            clashes.append(f"TPS '{new_code}': nomor {number} di desa/kelurahan ini sudah dipakai TPS '{code}' yang tersimpan")
    if clashes:
        raise ImportConflict(clashes)


# --- units and personnel ---------------------------------------------------------------------------

def _district_ids_by_key() -> dict[str, list[int]]:
    """District ids by code and by name (names may repeat across regencies)."""
    index: dict[str, list[int]] = {}
    for pk, code, name in District.objects.values_list("id", "code", "name"):
        index.setdefault(code, []).append(pk)
        index.setdefault(name.casefold(), []).append(pk)
    return index


def _upsert_units(records: Sequence[UnitRecord], report: ImportReport, synthetic: bool, step: Progress) -> None:
    wanted = {r.unit_id: {"name": r.name, "force": r.force, "level": r.level, "lat": r.lat, "lon": r.lon,
                          "synthetic": synthetic} for r in records}
    result = _sync(Unit, wanted, step=step, label="units")
    ids = result.ids
    all_ids = dict(Unit.objects.values_list("code", "id"))
    # parents after every unit exists, so a file may list children before parents
    parent_changes = []
    current_parent = dict(Unit.objects.filter(code__in=wanted).values_list("code", "parent_id"))
    for r in records:
        parent_id = all_ids[r.parent_id] if r.parent_id else None
        if current_parent.get(r.unit_id) != parent_id:
            parent_changes.append(Unit(id=ids[r.unit_id], parent_id=parent_id))
    if parent_changes:
        Unit.objects.bulk_update(parent_changes, ["parent"], batch_size=BATCH)
    relinked = {u.id for u in parent_changes} | _sync_unit_districts(records, ids)
    code_of = {pk: code for code, pk in ids.items()}
    result.updated |= {code_of[pk] for pk in relinked} - result.created
    report.count("units").tally(result)


def _sync_unit_districts(records: Sequence[UnitRecord], ids: dict[str, int]) -> set[int]:
    """Make each unit's districts of jurisdiction those of the file; return ids of units whose set changed."""
    through = Unit.districts.through
    index = _district_ids_by_key()
    problems = []
    desired: set[tuple[int, int]] = set()
    for r in records:
        for key in r.districts:
            found = index.get(key) or index.get(key.casefold(), [])
            if len(found) != 1:
                what = "tidak dikenal" if not found else "ambigu (ada di lebih dari satu kabupaten/kota; pakai kode kecamatan)"
                problems.append(f"units: satuan '{r.unit_id}', kolom 'districts', nilai '{key}': kecamatan {what}")
                continue
            desired.add((ids[r.unit_id], found[0]))
    if problems:
        raise ImportConflict(problems)
    unit_ids = set(ids.values())
    existing = set(through.objects.filter(unit_id__in=unit_ids).values_list("unit_id", "district_id"))
    removed = existing - desired
    added = desired - existing
    if removed:
        for unit_id, district_id in removed:
            through.objects.filter(unit_id=unit_id, district_id=district_id).delete()
    if added:
        through.objects.bulk_create([through(unit_id=u, district_id=d) for u, d in sorted(added)], batch_size=BATCH)
    return {u for u, _ in removed | added}


def _upsert_personnel(records: Sequence[PersonnelRecord], report: ImportReport, synthetic: bool, step: Progress) -> None:
    units = dict(Unit.objects.values_list("code", "id"))
    villages = dict(Village.objects.values_list("code", "id"))
    problems = []
    wanted = {}
    for r in records:
        rank = find_rank(r.force, r.rank)
        if r.unit_id not in units:
            problems.append(f"personnel: '{r.personnel_id}', kolom 'unit_id', nilai '{r.unit_id}': satuan tidak dikenal")
            continue
        home = villages.get(r.home_village_code) if r.home_village_code else None
        if r.home_village_code and home is None:
            problems.append(f"personnel: '{r.personnel_id}', kolom 'home_village_code', nilai '{r.home_village_code}': "
                            "desa/kelurahan tidak dikenal")
            continue
        wanted[r.personnel_id] = {
            "name": r.name, "force": r.force, "rank": rank.code if rank else r.rank, "rank_order": rank.order if rank else 0,
            "unit_id": units[r.unit_id], "home_village_id": home, "lat": r.lat, "lon": r.lon,
            "status": r.status, "can_lead": r.can_lead, "synthetic": synthetic,
        }
    if problems:
        raise ImportConflict(problems)
    _synced(report, "personnel", Personnel, wanted, step)


def _upsert_indicators(records: Sequence[IndicatorRecord], report: ImportReport, step: Progress) -> None:
    indicators = dict(Indicator.objects.values_list("code", "id"))
    tps_ids = dict(TPS.objects.filter(code__in={r.tps_id for r in records}).values_list("code", "id"))
    problems = [f"indicators: TPS '{r.tps_id}' / indikator '{r.indicator}': "
                + ("indikator tidak dikenal" if r.indicator not in indicators else "TPS tidak dikenal")
                for r in records if r.indicator not in indicators or r.tps_id not in tps_ids]
    if problems:
        raise ImportConflict(problems)
    existing = {(t, i): (pk, v, n) for pk, t, i, v, n in IndicatorValue.objects.filter(
        tps_id__in=tps_ids.values()).values_list("id", "tps_id", "indicator_id", "value", "note")}
    counts = report.count("indicators")
    new, changed = [], []
    for r in records:
        key = (tps_ids[r.tps_id], indicators[r.indicator])
        if key not in existing:
            new.append(IndicatorValue(tps_id=key[0], indicator_id=key[1], value=r.value, note=r.note))
        elif existing[key][1:] != (r.value, r.note):
            changed.append(IndicatorValue(id=existing[key][0], value=r.value, note=r.note))
        else:
            counts.unchanged += 1
    IndicatorValue.objects.bulk_create(new, batch_size=BATCH)
    IndicatorValue.objects.bulk_update(changed, ["value", "note"], batch_size=BATCH)
    counts.created += len(new)
    counts.updated += len(changed)
    step("indicators", len(records), len(records))


# --- the generic upsert ----------------------------------------------------------------------------

def _sync(model, wanted: dict[str, dict[str, Any]], *, step: Progress | None = None, label: str = "") -> SyncResult:
    """Create missing rows and update changed ones of ``model`` keyed by ``code``; return code -> id.

    Compares field by field in Python so unchanged rows cost no write: re-importing a file is cheap
    and reports zero changes.
    """
    fields = sorted({f for values in wanted.values() for f in values})
    existing = {row[0]: row[1:] for row in _rows_for(model, wanted, ("code", "id", *fields))}
    new_rows: list[tuple] = []
    changed = []
    updated: set[str] = set()
    for code, values in wanted.items():
        row = existing.get(code)
        if row is None:
            new_rows.append((code, *(values[f] for f in fields)))
        elif tuple(values[f] for f in fields) != tuple(row[1:]):
            changed.append(model(id=row[0], **values))
            updated.add(code)
    total = len(wanted)
    for i, chunk in enumerate(_chunks(new_rows, BATCH * 5)):
        _insert_rows(model, ["code", *fields], chunk)
        if step:
            step(label, min((i + 1) * BATCH * 5, len(new_rows)), total)
    if changed:
        model.objects.bulk_update(changed, fields, batch_size=BATCH)
    ids = {code: row[0] for code, row in existing.items() if code in wanted}
    created = {row[0] for row in new_rows}
    if created:
        ids.update((code, pk) for code, pk in _rows_for(model, created, ("code", "id")) if code in created)
    if step:
        step(label, total, total)
    return SyncResult(ids=ids, created=created, updated=updated)


def _rows_for(model, codes, columns: tuple[str, ...]):
    """Stored rows of ``model`` for these codes. Large sets read the whole table in one streamed query,
    which is much cheaper than long ``IN (...)`` lists; callers ignore rows they did not ask for."""
    if len(codes) > 2000:
        yield from model.objects.values_list(*columns).iterator(chunk_size=10000)
        return
    yield from model.objects.filter(code__in=list(codes)).values_list(*columns)


def _insert_rows(model, field_names: list[str], rows: list[tuple]) -> None:
    insert_rows(model, field_names, rows)


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
