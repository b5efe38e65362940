"""Turning a CSV file or an XLSX sheet into a RawTable: header checks, then stripped text columns.

Speed: a CSV without quote characters (what most tools write) is split column-wise with plain
string operations, several times faster than the csv module; any other CSV goes through the
csv module. Row numbers are those a spreadsheet shows (header = 1); empty rows keep their place.

Bounds (any planner can upload, so a hostile file must not exhaust a worker): a file is refused, with
a problem naming it and the row or column where the bound was crossed, when its header is wider than
MAX_COLUMNS, a CSV has more than MAX_CSV_ROWS rows or a row with more than MAX_COLUMNS fields, a sheet
has more than MAX_XLSX_ROWS rows, or a workbook unpacks to more than MAX_XLSX_UNPACKED_BYTES or has a
part packed tighter than MAX_XLSX_RATIO. An XLSX sheet is read only up to its last titled column,
whatever its dimension tag or its cells further right say (the values there are not even looked at).

CSV text cells lose the escape quote the writer puts before = + - @ tab CR (siaga.formats.escape).
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime, time
from itertools import repeat
from pathlib import Path
from typing import Any

from siaga.formats.escape import unescape_text
from siaga.formats.fields import RawTable
from siaga.formats.problems import ProblemLog
from siaga.formats.schema import COLUMNS, HEADERS, NUMERIC_TYPES, REQUIRED_COLUMNS

#: Widest header read (a planning table has at most 12 columns; spare room for notes columns).
MAX_COLUMNS = 200
#: Most rows in one CSV file: above the national personnel roster (about 2.3 million people).
MAX_CSV_ROWS = 3_000_000
#: Most rows in one XLSX sheet: Excel's own limit (1,048,576).
MAX_XLSX_ROWS = 1_048_576
#: Most bytes all parts of one XLSX workbook may unpack to (a full sheet of 12 columns is about 0.5 GB).
MAX_XLSX_UNPACKED_BYTES = 1024 * 1024 * 1024
#: Tightest packing accepted for a part over 1 MB unpacked (real sheets pack 5-30:1; a zip bomb ~1000:1).
MAX_XLSX_RATIO = 200
_RATIO_FLOOR = 1024 * 1024

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
    rows = []
    try:
        for row in reader:  # csv.field_size_limit() (128 KiB) bounds each field
            if len(rows) >= MAX_CSV_ROWS + 1:
                _too_many_rows(log, label, len(rows) + 1, MAX_CSV_ROWS)
                return None
            if len(row) > MAX_COLUMNS:
                _too_many_fields(log, label, len(rows) + 1, len(row))
                return None
            rows.append(row)
    except csv.Error as exc:
        log.add(label, reader.line_num, None, None, f"CSV rusak: {exc}")
        return None
    return table_from_rows(kind, label, rows, log, warnings, unescape=True)


def _too_many_rows(log: ProblemLog, label: str, row: int, bound: int) -> None:
    log.add(label, row, None, None, f"terlalu banyak baris: paling banyak {bound:,} baris data per berkas "
                                    "(dan judul); bagi berkas ini")


def _too_many_fields(log: ProblemLog, label: str, row: int, fields: int) -> None:
    log.add(label, row, None, None, f"baris ini berisi {fields:,} nilai; paling banyak {MAX_COLUMNS} kolom")


def _delimiter(text: str) -> str:
    """"," as the design says; ";" when the header uses it (Excel with an Indonesian locale)."""
    end = text.find("\n")
    header = text if end < 0 else text[:end]
    return ";" if header.count(";") > header.count(",") else ","


def _plain_csv(kind: str, label: str, text: str, delimiter: str, log: ProblemLog,
               warnings: list[str]) -> RawTable | None:
    """A CSV without quotes: each line is one row and every delimiter separates two values."""
    lines = text.rstrip("\n").split("\n")
    if len(lines) > MAX_CSV_ROWS + 1:
        _too_many_rows(log, label, MAX_CSV_ROWS + 2, MAX_CSV_ROWS)
        return None
    counts = list(map(str.count, lines, repeat(delimiter)))
    widest = max(counts, default=0)
    if widest + 1 > MAX_COLUMNS:
        _too_many_fields(log, label, counts.index(widest) + 1, widest + 1)
        return None
    header_at = next((i for i, line in enumerate(lines) if line.replace(delimiter, "").strip()), None)
    if header_at is None:
        return table_from_rows(kind, label, [], log, warnings)
    body = lines[header_at + 1:]
    width = counts[header_at] + 1
    if body and set(counts[header_at + 1:]) != {width - 1}:
        rows = [line.split(delimiter) for line in lines]  # ragged: pad row by row
        return table_from_rows(kind, label, rows, log, warnings, unescape=True)
    flat = delimiter.join(body).split(delimiter) if body else []
    columns = [flat[j::width] for j in range(width)]
    header = lines[header_at].split(delimiter)
    numbers = list(range(header_at + 2, header_at + 2 + len(body)))
    return _table(kind, label, header, header_at + 1, columns, numbers, log, warnings, unescape=True)


# --- XLSX ------------------------------------------------------------------------------------


def open_workbook(path: Path, log: ProblemLog) -> Any:
    """The workbook opened read-only (formulas give their cached values), or None with a problem."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        refusal = _unpacked_refusal(path)
        if refusal:
            log.add(path.name, None, None, None, refusal)
            return None
        return load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, InvalidFileException, KeyError, ValueError) as exc:
        log.add(path.name, None, None, None, f"bukan berkas XLSX yang sah ({exc})")
        return None


def _unpacked_refusal(path: Path) -> str | None:
    """Why the workbook would unpack to too much, from the zip directory alone (nothing is unpacked).

    zipfile stops each part at its declared size (and checks its CRC), so the declared sizes bound
    what openpyxl can read.
    """
    total = 0
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            total += info.file_size
            if total > MAX_XLSX_UNPACKED_BYTES:
                return (f"terlalu besar setelah dibuka: lebih dari {MAX_XLSX_UNPACKED_BYTES // (1024 * 1024):,} MB "
                        f"(sampai bagian {info.filename}); bagi datanya ke beberapa berkas")
            if info.file_size > _RATIO_FLOOR and info.file_size > MAX_XLSX_RATIO * max(info.compress_size, 1):
                return (f"bagian {info.filename} dipadatkan {info.file_size // max(info.compress_size, 1):,} kali "
                        f"(batas {MAX_XLSX_RATIO} kali; {info.file_size:,} byte setelah dibuka): bukan lembar kerja "
                        "biasa; simpan ulang dari Excel/LibreOffice")
    return None


def sheets_by_name(workbook: Any) -> dict[str, Any]:
    """Sheets by lower-case stripped title (the first of two equal titles wins)."""
    sheets: dict[str, Any] = {}
    for sheet in workbook.worksheets:
        sheets.setdefault(sheet.title.strip().lower(), sheet)
    return sheets


def read_sheet(kind: str, path: Path, sheet: Any, log: ProblemLog, warnings: list[str]) -> RawTable | None:
    """The sheet's rows up to its last titled column (bounded; see the module's docstring)."""
    sheet.reset_dimensions()  # never trust the dimension tag: read the rows present
    label = f"{path.name} (lembar {sheet.title})"
    header_row, width = _sheet_header(sheet)
    if header_row is None:
        return table_from_rows(kind, label, [], log, warnings)
    if width > MAX_COLUMNS:
        from openpyxl.utils import get_column_letter

        log.add(label, header_row, None, None, f"judul kolom sampai kolom {get_column_letter(width)} (ke-{width:,}); "
                                               f"paling banyak {MAX_COLUMNS} kolom")
        return None
    empty = [""] * width
    rows: list[list[str]] = [empty] * (header_row - 1)  # one shared list: empty rows cost a pointer each
    for number, values in enumerate(sheet.iter_rows(min_row=header_row, max_col=width, values_only=True),
                                    start=header_row):
        if number > MAX_XLSX_ROWS:
            _too_many_rows(log, label, number, MAX_XLSX_ROWS)
            return None
        rows.append([_cell_text(v) for v in values] if any(v is not None for v in values) else empty)
    return table_from_rows(kind, label, rows, log, warnings)


def _sheet_header(sheet: Any) -> tuple[int | None, int]:
    """(row number, last non-empty column) of the first row holding a value; (None, 0) for an empty sheet.

    Rows are taken one at a time and only as wide as their own last cell, so a wide row costs its
    width once and is dropped.
    """
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > MAX_XLSX_ROWS:
            break
        width = next((i for i in range(len(values), 0, -1) if _cell_text(values[i - 1]).strip()), 0)
        if width:
            return number, width
    return None, 0


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

_TEXT_NAMES = {kind: {c.name for c in cols if c.type not in NUMERIC_TYPES} for kind, cols in COLUMNS.items()}


def table_from_rows(kind: str, label: str, rows: list[list[str]], log: ProblemLog,
                    warnings: list[str], *, unescape: bool = False) -> RawTable | None:
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
    return _table(kind, label, header, header_at + 1, columns, numbers, log, warnings, unescape=unescape)


def _table(kind: str, label: str, header: list[str], header_row: int, columns: list, numbers: list[int],
           log: ProblemLog, warnings: list[str], *, unescape: bool = False) -> RawTable:
    """Keep the known columns, stripped (CSV text columns also unescaped); drop rows empty in all of them."""
    index = _header_index(kind, label, [c.strip().lower() for c in header], header_row, log, warnings)
    kept = {name: list(map(str.strip, columns[i])) for name, i in index.items()}
    if unescape:
        for name in _TEXT_NAMES[kind] & kept.keys():
            column = kept[name]
            if any(text[:1] == "'" for text in column):
                kept[name] = list(map(unescape_text, column))
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
