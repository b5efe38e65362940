"""Hostile XLSX workbooks written part by part with zipfile (fast, and exactly the XML we want).

``wide_rows_workbook``: the issue-10 probe, data rows that each also hold one cell in column XFD (the
last of 16,384); a reader that pads every row to the last column used turns 50 KB into gigabytes.
``deflate_bomb_workbook``: a sheet whose XML unpacks to far more than the reader accepts.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
</Types>"""
_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
_WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>"""
_WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
</Relationships>"""
_SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               '<dimension ref="A1:L2"/><sheetData>')  # a lying dimension tag, as the probe had
_SHEET_TAIL = "</sheetData></worksheet>"
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def column_letter(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = _LETTERS[r] + out
    return out


def _cell(ref: str, value: object) -> str:
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def _row(number: int, values: Sequence[object], extra: dict[int, object] | None = None) -> str:
    cells = [_cell(f"{column_letter(i)}{number}", v) for i, v in enumerate(values, start=1) if v not in (None, "")]
    cells += [_cell(f"{column_letter(col)}{number}", v) for col, v in (extra or {}).items()]
    return f'<row r="{number}">{"".join(cells)}</row>'


def write_parts(path: Path, sheet_xml_chunks, sheet: str = "tps") -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WORKBOOK.format(name=sheet))
        z.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            for chunk in sheet_xml_chunks:
                f.write(chunk.encode())
    return path


def wide_rows_workbook(path: Path, header: Sequence[str], rows: Sequence[Sequence[object]],
                       far_column: int = 16384, sheet: str = "tps") -> Path:
    """Header on row 1; each data row its values plus one cell in ``far_column`` (XFD by default)."""
    def chunks():
        yield _SHEET_HEAD
        yield _row(1, header)
        for number, values in enumerate(rows, start=2):
            yield _row(number, values, {far_column: 1})
        yield _SHEET_TAIL
    return write_parts(path, chunks(), sheet)


def deflate_bomb_workbook(path: Path, header: Sequence[str], unpacked_mb: int, sheet: str = "tps") -> Path:
    """A valid sheet whose XML carries ``unpacked_mb`` MB of blanks (deflate packs them about 1000:1)."""
    def chunks():
        yield _SHEET_HEAD
        yield _row(1, header)
        block = " " * (1024 * 1024)
        for _ in range(unpacked_mb):
            yield block
        yield _SHEET_TAIL
    return write_parts(path, chunks(), sheet)


def tps_values(n: int, village_code: str = "99.01.01.1001", names=("Desa Satu", "Kec Satu", "Kab Satu")) -> list:
    """``n`` valid TPS rows (all columns of HEADERS['tps'] up to lon) in one village."""
    return [[f"TPS-{i:05d}", village_code, *names, i, 250, -7.8 - i * 1e-6, 112.0] for i in range(1, n + 1)]
