"""Reading planning files (CSV or XLSX) into a validated Dataset.

Every problem of every file is collected first; if there is any, ``InputError`` is raised and
nothing is returned. Unknown columns and sheets are ignored with a warning.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from siaga.formats.fields import RawTable
from siaga.formats.problems import ProblemLog
from siaga.formats.records import Dataset
from siaga.formats.refs import KnownRefs, check_references
from siaga.formats.schema import HEADERS, SYNTHETIC_LABEL, TABLES, check_kind
from siaga.formats.sources import open_workbook, read_csv, read_sheet, sheets_by_name
from siaga.formats.validate import PARSERS, ParsedTable

_XLSX_SUFFIXES = (".xlsx", ".xlsm")


@dataclass
class ReadResult:
    dataset: Dataset
    warnings: list[str] = field(default_factory=list)  # e.g. unknown columns that were ignored
    files: dict[str, str] = field(default_factory=dict)  # table -> file label used in problems
    rows: dict[str, list[int]] = field(default_factory=dict)  # table -> spreadsheet row of each record


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while reading.

    Reading builds millions of small objects and no reference cycles, so collections during it
    only cost time (about half the run for a national roster). Afterwards the objects made are
    moved to the oldest generation (freeze then unfreeze) instead of being scanned at once by the
    next young collection; garbage is still found by later full collections.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if was_enabled:
            gc.enable()


def read_table(kind: str, path: Path, *, known: KnownRefs | None = None) -> ReadResult:
    """Read one table from a .csv file, or from a .xlsx file (the sheet named ``kind``, else the first).

    References to other tables are checked against ``known`` only (when given).
    """
    check_kind(kind)
    path = Path(path)
    log = ProblemLog()
    warnings: list[str] = []
    raws: dict[str, RawTable] = {}
    labelled = [(path.parent / f"{SYNTHETIC_LABEL}.txt").is_file()]  # a label beside the file marks it synthetic
    with _gc_paused():
        if not path.is_file():
            log.add(path.name, None, None, None, "berkas tidak ditemukan")
        elif path.suffix.lower() == ".csv" or path.suffix.lower() in _XLSX_SUFFIXES:
            raw = _read_file(kind, path, log, warnings)
            if raw is not None:
                raws[kind] = raw
        else:
            log.add(path.name, None, None, None, "jenis berkas tidak didukung (pakai .csv atau .xlsx)")
        result = _finish(raws, known, log, warnings)
    result.dataset.synthetic = result.dataset.synthetic or any(labelled)
    return result


def read_dataset(path: Path, *, known: KnownRefs | None = None,
                 require: Iterable[str] = ("tps", "units", "personnel")) -> ReadResult:
    """Read a folder of tps/units/personnel/indicators files (.csv or .xlsx) or one .xlsx workbook
    whose sheets have those names; references are checked across the whole set plus ``known``."""
    required = {check_kind(k) for k in require}
    path = Path(path)
    log = ProblemLog()
    warnings: list[str] = []
    raws: dict[str, RawTable] = {}
    labelled: list[bool] = []  # the data say they are synthetic (label file or sheet)
    with _gc_paused():
        if path.is_dir():
            labelled.append((path / f"{SYNTHETIC_LABEL}.txt").is_file())
            for kind in TABLES:
                found = [p for p in (path / f"{kind}.csv", path / f"{kind}.xlsx") if p.is_file()]
                if len(found) > 1:
                    log.add(found[0].name, None, None, None,
                            f"{found[0].name} dan {found[1].name} sama-sama ada; simpan satu saja")
                elif found:
                    raw = _read_file(kind, found[0], log, warnings)
                    if raw is not None:
                        raws[kind] = raw
                elif kind in required:
                    log.add(f"{kind}.csv", None, None, None, f"berkas wajib tidak ada di folder {path}")
        elif path.is_file() and path.suffix.lower() in _XLSX_SUFFIXES:
            _read_workbook(path, required, raws, log, warnings, labelled)
        elif path.exists():
            log.add(path.name, None, None, None, "harus berupa folder berisi berkas CSV/XLSX atau satu berkas .xlsx")
        else:
            log.add(path.name, None, None, None, "folder atau berkas tidak ditemukan")
        result = _finish(raws, known, log, warnings)
    result.dataset.synthetic = result.dataset.synthetic or any(labelled)
    return result


def _read_file(kind: str, path: Path, log: ProblemLog, warnings: list[str]) -> RawTable | None:
    """A .csv file, or the sheet named ``kind`` of a .xlsx file (else its first sheet)."""
    if path.suffix.lower() == ".csv":
        return read_csv(kind, path, log, warnings)
    workbook = open_workbook(path, log)
    if workbook is None:
        return None
    try:
        sheet = sheets_by_name(workbook).get(kind)
        if sheet is None:
            sheet = workbook.worksheets[0]
            if len(workbook.worksheets) > 1:
                warnings.append(f"{path.name}: lembar '{kind}' tidak ada; memakai lembar pertama '{sheet.title}'")
        return read_sheet(kind, path, sheet, log, warnings)
    finally:
        workbook.close()


def _read_workbook(path: Path, required: set[str], raws: dict[str, RawTable], log: ProblemLog,
                   warnings: list[str], labelled: list[bool]) -> None:
    workbook = open_workbook(path, log)
    if workbook is None:
        return
    try:
        sheets = sheets_by_name(workbook)
        for name, sheet in sheets.items():
            if name == SYNTHETIC_LABEL.casefold():
                labelled.append(True)
            elif name not in TABLES:
                warnings.append(f"{path.name}: lembar '{sheet.title}' tidak dikenal, diabaikan")
        for kind in TABLES:
            if kind in sheets:
                raw = read_sheet(kind, path, sheets[kind], log, warnings)
                if raw is not None:
                    raws[kind] = raw
            elif kind in required:
                log.add(path.name, None, None, None, f"lembar wajib '{kind}' tidak ada")
    finally:
        workbook.close()


def _finish(raws: dict[str, RawTable], known: KnownRefs | None, log: ProblemLog,
            warnings: list[str]) -> ReadResult:
    """Validate the tables, check references, and return the dataset or raise every problem."""
    parsed: dict[str, ParsedTable] = {}
    for kind in TABLES:
        if kind in raws:
            log.register(raws[kind].file, HEADERS[kind])
    for kind in TABLES:
        if kind in raws:
            parsed[kind] = PARSERS[kind](raws[kind], log)
    check_references(parsed, known, log, warnings)
    log.raise_if_any()
    dataset = Dataset(**{kind: table.records for kind, table in parsed.items()})
    # Province 99 is Siaga's synthetic province (siaga.domain.regions).
    dataset.synthetic = any(t.village_code.startswith("99.") for t in dataset.tps) or any(
        p.home_village_code is not None and p.home_village_code.startswith("99.") for p in dataset.personnel
    )
    return ReadResult(dataset, warnings, files={kind: table.file for kind, table in parsed.items()},
                      rows={kind: table.rows for kind, table in parsed.items()})
