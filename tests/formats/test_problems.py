"""Problems are all collected, ordered, and reported in the agreed shape."""

from __future__ import annotations

from pathlib import Path

from siaga.formats import InputError, InputProblem, read_dataset
from tests.formats.util import ROWS, problems, replace_row, write_set


def test_problem_text():
    """A problem reads: file, row, column, value, then the reason."""
    p = InputProblem("tps.csv", 12, "lat", "200", "lintang di luar Indonesia (-11.5 s/d 6.5)")
    assert str(p) == "tps.csv, baris 12, kolom 'lat', nilai '200': lintang di luar Indonesia (-11.5 s/d 6.5)"


def test_problem_text_file_level_and_long_value():
    """File-level problems leave out row and column; a very long value is shortened."""
    assert str(InputProblem("tps.csv", None, "voters", None, "kolom wajib 'voters' tidak ada")) == (
        "tps.csv, kolom 'voters': kolom wajib 'voters' tidak ada")
    assert str(InputProblem("units.csv", None, None, None, "berkas kosong")) == "units.csv: berkas kosong"
    long = str(InputProblem("a.csv", 2, "name", "x" * 200, "r"))
    assert "x" * 57 + "..." in long and "x" * 58 not in long


def test_report_limit_and_total():
    """report() lists the first `limit` problems, then how many more and the total."""
    error = InputError([InputProblem("tps.csv", r, "lat", "200", "lintang") for r in range(2, 10)])
    lines = error.report(limit=3).splitlines()
    assert lines[:3] == [f"tps.csv, baris {r}, kolom 'lat', nilai '200': lintang" for r in (2, 3, 4)]
    assert lines[3] == "... dan 5 masalah lain (total 8)"
    assert len(error.report().splitlines()) == 8  # default limit 50: everything, no tail line
    assert str(error) == error.report()


def test_every_bad_row_is_reported(tmp_path: Path):
    """Three bad rows give three problems, in row order."""
    rows = list(ROWS["tps"])
    for i in range(3):
        rows[i] = rows[i].replace(",-7.8", ",77.8")
    found = problems(read_dataset, write_set(tmp_path, tps=rows))
    assert [(p.row, p.column) for p in found] == [(2, "lat"), (3, "lat"), (4, "lat")]


def test_problems_of_all_files_together(tmp_path: Path):
    """Problems from several files and several columns of one row all come in one error, file by file."""
    tps = replace_row("tps", 0, "T1,99.01.01.2001,Desa Satu,Kecamatan Utara,Kabupaten Sintetis,0,-1,-7.81,12,,")
    personnel = replace_row("personnel", 0, "P1,Budi,polri,Jenderal Besar,PS9,,,,,")
    indicators = replace_row("indicators", 1, "T2,konflik,x,")
    found = problems(read_dataset, write_set(tmp_path, tps=tps, personnel=personnel, indicators=indicators))
    assert [(p.file, p.row, p.column) for p in found] == [
        ("tps.csv", 2, "number"), ("tps.csv", 2, "voters"), ("tps.csv", 2, "lon"),
        ("personnel.csv", 2, "rank"), ("personnel.csv", 2, "unit_id"),
        ("indicators.csv", 3, "value"),
    ]


def test_missing_files_and_columns_reported_together(tmp_path: Path):
    """A missing required file and a missing column of another file are both reported."""
    units = "unit_id,name,force,level,lat\nRES,Polres,polri,polres,-7.8\n"
    found = problems(read_dataset, write_set(tmp_path, units=units, personnel=None))
    assert [(p.file, p.row, p.column) for p in found] == [("units.csv", None, "lon"), ("personnel.csv", None, None)]
    assert found[1].reason.startswith("berkas wajib tidak ada di folder")
