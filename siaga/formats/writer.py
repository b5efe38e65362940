"""Writing a Dataset back to the planning files: one CSV per table, or one XLSX workbook.

Both writers take their rows from ``iter_rows`` so the CSV and the workbook always agree, and
what they write reads back (siaga.formats.reader) into the same records. Files appear whole or
not at all: each is written to a temporary name and then renamed.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from siaga.formats.escape import escape_rows
from siaga.formats.records import Dataset
from siaga.formats.schema import (
    COLUMNS,
    HEADERS,
    SYNTHETIC_LABEL,
    SYNTHETIC_NOTE,
    TABLES,
    TEXT_COLUMNS,
    check_kind,
)


def _num(value: float) -> str:
    """Shortest text that reads back to the same float; whole numbers without ".0"."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _opt(value: float | None) -> str:
    return "" if value is None else _num(value)


def _xlsx_number(text: str) -> float | str:
    """A number cell when XLSX's 16 significant digits hold the value exactly, else the text."""
    value = float(text)
    return value if float(f"{value:.16g}") == value else text


def iter_rows(kind: str, dataset: Dataset) -> Iterator[list[str]]:
    """The rows of one table as CSV text, header first, columns in design.md's order."""
    check_kind(kind)
    yield list(HEADERS[kind])
    if kind == "tps":
        for t in dataset.tps:
            yield [t.tps_id, t.village_code, t.village_name, t.district_name, t.regency_name, str(t.number),
                   str(t.voters), _num(t.lat), _num(t.lon), t.kind, t.category or "", t.category_reason or ""]
    elif kind == "units":
        for u in dataset.units:
            yield [u.unit_id, u.name, u.force, u.level, u.parent_id or "", _num(u.lat), _num(u.lon),
                   ";".join(u.districts)]
    elif kind == "personnel":
        for p in dataset.personnel:
            yield [p.personnel_id, p.name, p.force, p.rank, p.unit_id, p.home_village_code or "",
                   _opt(p.lat), _opt(p.lon), p.status, "true" if p.can_lead else "false"]
    else:
        for i in dataset.indicators:
            yield [i.tps_id, i.indicator, _num(i.value), i.note]


def write_dataset(dataset: Dataset, directory: Path) -> list[Path]:
    """Write tps.csv, units.csv, personnel.csv and indicators.csv (UTF-8) into ``directory``.

    Text cells that a spreadsheet would run as a formula get a leading ``'`` (siaga.formats.escape);
    the reader removes it again.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in TABLES:
        target = directory / f"{kind}.csv"
        with _atomic(target, "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(escape_rows(iter_rows(kind, dataset), TEXT_COLUMNS[kind]))
        written.append(target)
    label = directory / f"{SYNTHETIC_LABEL}.txt"
    if dataset.synthetic:
        label.write_text(SYNTHETIC_NOTE + "\n", encoding="utf-8")
        written.append(label)
    elif label.exists():
        label.unlink()
    return written


def write_workbook(dataset: Dataset, path: Path) -> Path:
    """Write one XLSX workbook with the sheets tps, units, personnel and indicators.

    Numeric columns are stored as numbers so a spreadsheet can sum and sort them.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = Workbook(write_only=True)
    if dataset.synthetic:
        workbook.create_sheet(SYNTHETIC_LABEL).append([SYNTHETIC_NOTE])
    for kind in TABLES:
        sheet = workbook.create_sheet(kind)
        types = [c.type for c in COLUMNS[kind]]
        rows = iter_rows(kind, dataset)
        sheet.append(next(rows))
        for row in rows:
            cells: list[object] = []
            for text, type_ in zip(row, types, strict=True):
                if not text:
                    cells.append(None)
                elif type_ == "int":
                    cells.append(int(text))
                elif type_ == "float":
                    cells.append(_xlsx_number(text))
                elif text[0] == "=":  # text, never a formula
                    cell = WriteOnlyCell(sheet, value=text)
                    cell.data_type = "s"
                    cells.append(cell)
                else:
                    cells.append(text)
            sheet.append(cells)
    with _atomic(path, "wb") as handle:
        workbook.save(handle)
    return path


@contextmanager
def _atomic(target: Path, mode: str, **kwargs: Any) -> Iterator[IO[Any]]:
    """Yield a temporary file beside ``target``; rename it over ``target`` only on success."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    tmp = Path(name)
    try:
        with os.fdopen(fd, mode, **kwargs) as handle:
            yield handle
        os.chmod(tmp, target.stat().st_mode & 0o777 if target.exists() else 0o644)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
