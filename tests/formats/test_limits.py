"""Bounds on what one planning file may make the reader do (issue 10, item 3): a hostile workbook or CSV
is refused with a problem naming the file and the row/column, and never padded out to gigabytes."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from siaga.formats import HEADERS, InputError, read_table, sources
from tests.formats.xlsx_bombs import column_letter, deflate_bomb_workbook, tps_values, wide_rows_workbook

TPS_HEADER = list(HEADERS["tps"][:9])  # tps_id .. lon


def problems(path: Path, kind: str = "tps"):
    with pytest.raises(InputError) as info:
        read_table(kind, path)
    return info.value.problems


def test_wide_rows_bomb_reads_only_titled_columns_in_little_memory(tmp_path):
    """The probe: 10,000 rows each with one cell in XFD. Read in well under 50 MB (the unbounded reader
    padded every row to 16,384 cells: over 1 GB); the far cells are ignored, the rows read as they are."""
    path = wide_rows_workbook(tmp_path / "bom.xlsx", TPS_HEADER, tps_values(10_000))
    assert path.stat().st_size < 1_000_000  # about 400 KB
    tracemalloc.start()
    try:
        result = read_table("tps", path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(result.dataset.tps) == 10_000 and result.dataset.tps[-1].tps_id == "TPS-10000"
    assert peak < 50 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"


def test_deflate_bomb_is_refused_before_it_is_unpacked(tmp_path):
    """A sheet packed far tighter than any real sheet (50 MB of blanks in about 50 KB) is refused by name."""
    path = deflate_bomb_workbook(tmp_path / "padat.xlsx", TPS_HEADER, unpacked_mb=50)
    (problem,) = problems(path)
    assert problem.file == "padat.xlsx" and problem.row is None
    assert "xl/worksheets/sheet1.xml" in problem.reason and "dipadatkan" in problem.reason


def test_workbook_larger_than_the_bound_unpacked_is_refused(tmp_path, monkeypatch):
    """The total unpacked size of all parts is bounded (MAX_XLSX_UNPACKED_BYTES); the problem says so."""
    monkeypatch.setattr(sources, "MAX_XLSX_UNPACKED_BYTES", 2 * 1024 * 1024)
    path = wide_rows_workbook(tmp_path / "besar.xlsx", TPS_HEADER, tps_values(20_000), far_column=10)
    (problem,) = problems(path)
    assert problem.file == "besar.xlsx" and "2 MB" in problem.reason and "setelah dibuka" in problem.reason


def test_header_wider_than_the_bound_is_refused_naming_the_column(tmp_path):
    """A header that names a column past MAX_COLUMNS is refused at row 1, naming that column."""
    header = TPS_HEADER + [""] * 300 + ["catatan"]
    path = wide_rows_workbook(tmp_path / "lebar.xlsx", header, tps_values(3))
    (problem,) = problems(path)
    assert (problem.file, problem.row) == ("lebar.xlsx (lembar tps)", 1)
    assert f"kolom {column_letter(len(header))}" in problem.reason and str(sources.MAX_COLUMNS) in problem.reason


def test_rows_past_the_bound_are_refused_naming_the_row(tmp_path, monkeypatch):
    monkeypatch.setattr(sources, "MAX_XLSX_ROWS", 100)
    path = wide_rows_workbook(tmp_path / "panjang.xlsx", TPS_HEADER, tps_values(150), far_column=20)
    (problem,) = problems(path)
    assert (problem.file, problem.row) == ("panjang.xlsx (lembar tps)", 101)
    assert "100 baris" in problem.reason


def test_csv_rows_past_the_bound_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(sources, "MAX_CSV_ROWS", 10)
    lines = [",".join(TPS_HEADER)] + [",".join(map(str, v)) for v in tps_values(20)]
    for quoted in (False, True):  # the fast path and the csv-module path
        text = "\n".join(lines) + ("\n\"x\"\n" if quoted else "\n")
        (tmp_path / "tps.csv").write_text(text, encoding="utf-8")
        (problem,) = problems(tmp_path / "tps.csv")
        assert (problem.file, problem.row) == ("tps.csv", 12) and "10 baris" in problem.reason


def test_csv_row_with_too_many_fields_is_refused(tmp_path):
    lines = [",".join(TPS_HEADER)] + [",".join(map(str, v)) for v in tps_values(3)]
    lines[2] += "," * 5000
    for quoted in (False, True):
        text = "\n".join(lines) + ("\n\"x\"\n" if quoted else "\n")
        (tmp_path / "tps.csv").write_text(text, encoding="utf-8")
        (problem,) = problems(tmp_path / "tps.csv")
        assert (problem.file, problem.row) == ("tps.csv", 3) and str(sources.MAX_COLUMNS) in problem.reason
