"""Turning a CSV file or an XLSX sheet into a RawTable: header checks, then stripped text columns.

Speed: a CSV without quote characters (what most tools write) is split column-wise with plain
string operations, several times faster than the csv module; any other CSV goes through the
csv module. Row numbers are those a spreadsheet shows (header = 1); empty rows keep their place.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime, time
from itertools import repeat
from pathlib import Path
from typing import Any

from siaga.formats.fields import RawTable
from siaga.formats.problems import ProblemLog
from siaga.formats.schema import HEADERS, REQUIRED_COLUMNS

# --- CSV -------------------------------------------------------------------------------------


def read_csv(kind: str, path: Path, log: ProblemLog, warnings: list[str]) -> RawTable | None:
    """One CSV file (UTF-8, with or without BOM; "," or ";" between values)."""
    label = path.name
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        log.add(label, line, None, None, "bukan teks UTF-8; simpan ulang sebagai 'CSV UTF-8'")
        return None
    delimiter = _delimiter(text)
    if '"' not in text:
        plain = text.replace("\r\n", "\n")
        if "\r" not in plain:
            return _plain_csv(kind, label, plain, delimiter, log, warnings)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as exc:
        log.add(label, reader.line_num, None, None, f"CSV rusak: {exc}")
        return None
    return table_from_rows(kind, label, rows, log, warnings)


def _delimiter(text: str) -> str:
    """"," as the design says; ";" when the header uses it (Excel with an Indonesian locale)."""
    end = text.find("\n")
    header = text if end < 0 else text[:end]
    return ";" if header.count(";") > header.count(",") else ","


def _plain_csv(kind: str, label: str, text: str, delimiter: str, log: ProblemLog,
               warnings: list[str]) -> RawTable | None:
    """A CSV without quotes: each line is one row and every delimiter separates two values."""
    lines = text.rstrip("\n").split("\n")
    header_at = next((i for i, line in enumerate(lines) if line.replace(delimiter, "").strip()), None)
    if header_at is None:
        return table_from_rows(kind, label, [], log, warnings)
    body = lines[header_at + 1:]
    width = lines[header_at].count(delimiter) + 1
    if body and set(map(str.count, body, repeat(delimiter))) != {width - 1}:
        rows = [line.split(delimiter) for line in lines]  # ragged: pad row by row
        return table_from_rows(kind, label, rows, log, warnings)
    flat = delimiter.join(body).split(delimiter) if body else []
    columns = [flat[j::width] for j in range(width)]
    header = lines[header_at].split(delimiter)
    numbers = list(range(header_at + 2, header_at + 2 + len(body)))
    return _table(kind, label, header, header_at + 1, columns, numbers, log, warnings)


# --- XLSX ------------------------------------------------------------------------------------


def open_workbook(path: Path, log: ProblemLog) -> Any:
    """The workbook opened read-only (formulas give their cached values), or None with a problem."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, InvalidFileException, KeyError, ValueError) as exc:
        log.add(path.name, None, None, None, f"bukan berkas XLSX yang sah ({exc})")
        return None


def sheets_by_name(workbook: Any) -> dict[str, Any]:
    """Sheets by lower-case stripped title (the first of two equal titles wins)."""
    sheets: dict[str, Any] = {}
    for sheet in workbook.worksheets:
        sheets.setdefault(sheet.title.strip().lower(), sheet)
    return sheets


def read_sheet(kind: str, path: Path, sheet: Any, log: ProblemLog, warnings: list[str]) -> RawTable | None:
    sheet.reset_dimensions()  # some writers store a wrong size; read every row present
    label = f"{path.name} (lembar {sheet.title})"
    rows = [[_cell_text(v) for v in values] for values in sheet.iter_rows(values_only=True)]
    return table_from_rows(kind, label, rows, log, warnings)


def _cell_text(value: object) -> str:
    """A cell as text: whole floats lose the ".0" (a village code typed as a number stays a code)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


# --- shared ----------------------------------------------------------------------------------


def table_from_rows(kind: str, label: str, rows: list[list[str]], log: ProblemLog,
                    warnings: list[str]) -> RawTable | None:
    """A table from its rows (row 1 first): the first non-empty row is the header."""
    header_at = next((i for i, row in enumerate(rows) if any(c.strip() for c in row)), None)
    if header_at is None:
        log.add(label, None, None, None, "berkas kosong: tidak ada baris judul kolom")
        return None
    header = rows[header_at]
    data = rows[header_at + 1:]
    numbers = list(range(header_at + 2, header_at + 2 + len(data)))
    width = len(header)
    if set(map(len, data)) - {width}:
        overflow = [numbers[i] for i, row in enumerate(data) if len(row) > width and any(map(str.strip, row[width:]))]
        if overflow:
            warnings.append(f"{label}: {len(overflow)} baris berisi nilai di luar kolom berjudul, diabaikan "
                            f"(mis. baris {overflow[0]})")
        data = [row[:width] if len(row) >= width else row + [""] * (width - len(row)) for row in data]
    columns = list(zip(*data, strict=True)) if data else [()] * width
    return _table(kind, label, header, header_at + 1, columns, numbers, log, warnings)


def _table(kind: str, label: str, header: list[str], header_row: int, columns: list, numbers: list[int],
           log: ProblemLog, warnings: list[str]) -> RawTable:
    """Keep the known columns, stripped; drop rows empty in all of them."""
    index = _header_index(kind, label, [c.strip().lower() for c in header], header_row, log, warnings)
    kept = {name: list(map(str.strip, columns[i])) for name, i in index.items()}
    if kept and numbers:
        first = next(iter(kept.values()))
        if "" in first:
            values = list(kept.values())
            empty = {i for i, text in enumerate(first) if not text and not any(v[i] for v in values)}
            if empty:
                keep = [i for i in range(len(numbers)) if i not in empty]
                numbers = [numbers[i] for i in keep]
                kept = {name: [column[i] for i in keep] for name, column in kept.items()}
    elif not kept:
        numbers = []  # no known column at all: the missing columns are reported, rows are moot
    return RawTable(kind, label, kept, numbers)


def _header_index(kind: str, label: str, header: list[str], header_row: int, log: ProblemLog,
                  warnings: list[str]) -> dict[str, int]:
    """Known column -> position; unknown columns become one warning, repeats and gaps problems."""
    index: dict[str, int] = {}
    unknown: list[str] = []
    known = set(HEADERS[kind])
    for i, name in enumerate(header):
        if not name:
            continue
        if name not in known:
            if name not in unknown:
                unknown.append(name)
        elif name in index:
            log.add(label, header_row, name, None, f"judul kolom ganda (kolom ke-{index[name] + 1} dan ke-{i + 1})")
        else:
            index[name] = i
    if unknown:
        warnings.append(f"{label}: kolom tidak dikenal diabaikan: {', '.join(unknown)}")
    for name in REQUIRED_COLUMNS[kind]:
        if name not in index:
            log.add(label, None, name, None, f"kolom wajib '{name}' tidak ada")
    return index
