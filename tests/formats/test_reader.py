"""Reading files: encodings, delimiters, empty rows, XLSX workbooks and sheets, stored references."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from siaga.formats import KnownRefs, read_dataset, read_table, write_workbook
from tests.formats.util import HEADERS, ROWS, only, problems, replace_row, table_text, write, write_set


def _rows_of(kind: str) -> list[list[str]]:
    return [row.split(",") for row in [HEADERS[kind], *ROWS[kind]]]


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_bom_is_ignored(tmp_path: Path):
    """A UTF-8 byte order mark (as Excel writes) does not spoil the first column name."""
    path = tmp_path / "tps.csv"
    path.write_bytes(b"\xef\xbb\xbf" + table_text("tps").encode())
    assert [t.tps_id for t in read_table("tps", path).dataset.tps] == ["T1", "T2", "T3"]


def test_not_utf8(tmp_path: Path):
    """A file in another encoding is one problem naming the line of the first bad byte."""
    path = write(tmp_path / "tps.csv", table_text("tps", [*ROWS["tps"], "T4,99.01.01.2001,Désa,K,K,3,1,-7,112,,"]),
                 encoding="latin-1")
    p = only(problems(read_table, "tps", path))
    assert (p.file, p.row, p.column) == ("tps.csv", 5, None)
    assert "UTF-8" in p.reason


def test_semicolon_delimiter(tmp_path: Path):
    """A CSV saved with ";" between values (Excel, Indonesian locale) reads like the comma one."""
    text = table_text("tps").replace(",", ";").replace("-7.81", "-7,81")
    semicolons = read_table("tps", write(tmp_path / "tps.csv", text)).dataset.tps
    assert semicolons == read_table("tps", write(tmp_path / "b.csv", table_text("tps"))).dataset.tps


def test_quoted_csv_reads_like_plain(tmp_path: Path):
    """Quoted values (with commas and line breaks inside) are read by the csv module, same records."""
    plain = read_table("tps", write(tmp_path / "a.csv", table_text("tps"))).dataset.tps
    quoted = "\n".join(",".join(f'"{v}"' for v in row.split(",")) for row in [HEADERS["tps"], *ROWS["tps"]])
    assert read_table("tps", write(tmp_path / "b.csv", quoted)).dataset.tps == plain
    names = 'unit_id,name,force,level,parent_id,lat,lon,districts\nRES,"Polres, ""Kota""\nSintetis",polri,polres,,-7.8,112,\n'
    assert read_table("units", write(tmp_path / "u.csv", names)).dataset.units[0].name == 'Polres, "Kota"\nSintetis'


def test_empty_rows_skipped_but_counted(tmp_path: Path):
    """Empty and whitespace-only rows are skipped; row numbers stay those of the spreadsheet."""
    rows = [ROWS["tps"][0], "", " , ,", ROWS["tps"][1], ",,,,,,,,,,",
            ROWS["tps"][2].replace("-7.85", "-70.85")]
    p = only(problems(read_table, "tps", write(tmp_path / "tps.csv", table_text("tps", rows))))
    assert (p.row, p.column) == (7, "lat")


def test_ragged_rows(tmp_path: Path):
    """Short rows are padded with empty values; values beyond the header are ignored with a warning."""
    rows = ["RES,Polres,polri,polres,,-7.8,112.0", "PS1,Polsek,polri,polsek,RES,-7.8,112.0,,extra"]
    result = read_table("units", write(tmp_path / "units.csv", table_text("units", rows)))
    assert [u.unit_id for u in result.dataset.units] == ["RES", "PS1"]
    assert result.warnings == ["units.csv: 1 baris berisi nilai di luar kolom berjudul, diabaikan (mis. baris 3)"]


def test_unknown_column_warning(tmp_path: Path):
    """An unknown column is ignored with one warning naming it."""
    header = HEADERS["tps"] + ",catatan"
    rows = [r + ",apa saja" for r in ROWS["tps"]]
    result = read_table("tps", write(tmp_path / "tps.csv", table_text("tps", rows, header)))
    assert result.warnings == ["tps.csv: kolom tidak dikenal diabaikan: catatan"]
    assert len(result.dataset.tps) == 3


def test_header_case_and_duplicate_column(tmp_path: Path):
    """Column names ignore case and spaces; a column named twice is a problem."""
    ok = read_table("indicators", write(tmp_path / "a.csv", " TPS_ID ,Indicator,VALUE\nT1,k,1\n"))
    assert ok.dataset.indicators[0].tps_id == "T1"
    p = only(problems(read_table, "indicators", write(tmp_path / "b.csv", "tps_id,indicator,value,value\nT1,k,1,2\n")))
    assert (p.row, p.column, p.reason) == (1, "value", "judul kolom ganda (kolom ke-3 dan ke-4)")


def test_empty_file(tmp_path: Path):
    """A file without a header row is one problem."""
    p = only(problems(read_table, "tps", write(tmp_path / "tps.csv", "\n\n")))
    assert (p.file, p.row, p.reason) == ("tps.csv", None, "berkas kosong: tidak ada baris judul kolom")


def test_header_only_is_empty_table(tmp_path: Path):
    """A file with only its header is a valid empty table."""
    assert read_table("indicators", write(tmp_path / "i.csv", HEADERS["indicators"] + "\n")).dataset.indicators == []


def test_bad_paths(tmp_path: Path):
    """A missing path, an unsupported file type and a broken XLSX are problems, not crashes."""
    assert only(problems(read_table, "tps", tmp_path / "nope.csv")).reason == "berkas tidak ditemukan"
    assert "tidak didukung" in only(problems(read_table, "tps", write(tmp_path / "tps.txt", "x"))).reason
    assert "bukan berkas XLSX" in only(problems(read_table, "tps", write(tmp_path / "tps.xlsx", "x"))).reason
    assert "tidak ditemukan" in only(problems(read_dataset, tmp_path / "nothing")).reason
    with pytest.raises(ValueError, match="unknown table kind"):
        read_table("people", tmp_path / "x.csv")


def test_csv_and_xlsx_give_same_dataset(tmp_path: Path):
    """A workbook with the four sheets reads into the same Dataset as the four CSV files."""
    from_csv = read_dataset(write_set(tmp_path / "csv")).dataset
    book = _workbook(tmp_path / "data.xlsx", {kind: _rows_of(kind) for kind in HEADERS})
    assert read_dataset(book).dataset == from_csv


def test_xlsx_numbers_and_trailing_rows(tmp_path: Path):
    """XLSX cells may hold numbers (a village code typed as a number too); empty trailing rows are skipped."""
    rows = [HEADERS["tps"].split(","),
            ["T1", 9901012001, "Desa Satu", "Kecamatan Utara", "Kabupaten Sintetis", 1, 250.0, -7.81, 112.01],
            [None] * 11, [None, "  "]]
    book = _workbook(tmp_path / "tps.xlsx", {"Sheet": rows})
    t = only(read_table("tps", book).dataset.tps)
    assert (t.village_code, t.number, t.voters, t.lat) == ("99.01.01.2001", 1, 250, -7.81)


def test_xlsx_sheet_choice_and_problem_label(tmp_path: Path):
    """read_table takes the sheet named like the table (else the first); problems name file and sheet."""
    bad = _rows_of("units")
    bad[1][5] = "99"
    book = _workbook(tmp_path / "data.xlsx", {"catatan": [["x"]], "units": bad})
    p = only(problems(read_table, "units", book))
    assert (p.file, p.row, p.column) == ("data.xlsx (lembar units)", 2, "lat")


def test_workbook_missing_and_unknown_sheets(tmp_path: Path):
    """A workbook without a required sheet is a problem; an unknown sheet is a warning."""
    book = _workbook(tmp_path / "data.xlsx", {"TPS": _rows_of("tps"), "units": _rows_of("units"), "lain": [["x"]]})
    p = only(problems(read_dataset, book))
    assert (p.file, p.reason) == ("data.xlsx", "lembar wajib 'personnel' tidak ada")
    result = read_dataset(book, require=("tps", "units"))
    assert result.warnings == ["data.xlsx: lembar 'lain' tidak dikenal, diabaikan"]
    assert result.dataset.personnel == [] and len(result.dataset.units) == 3


def test_folder_may_hold_xlsx_files(tmp_path: Path):
    """In a folder, units.xlsx may stand in for units.csv; both at once is a problem."""
    folder = write_set(tmp_path / "set", units=None)
    write_workbook(read_dataset(write_set(tmp_path / "ref")).dataset, tmp_path / "all.xlsx")
    _workbook(folder / "units.xlsx", {"units": _rows_of("units")})
    assert len(read_dataset(folder).dataset.units) == 3
    write(folder / "units.csv", table_text("units"))
    assert "sama-sama ada" in only(problems(read_dataset, folder)).reason


def test_known_refs_resolve_single_file(tmp_path: Path):
    """A file read alone resolves references through KnownRefs; an unknown one names the store."""
    path = write(tmp_path / "personnel.csv", table_text("personnel"))
    known = KnownRefs(unit_ids=frozenset({"PS1", "LM1"}), village_codes=frozenset({"9901012001", "99.01.02.2001"}))
    assert len(read_table("personnel", path, known=known).dataset.personnel) == 3
    known = KnownRefs(unit_ids=frozenset({"PS1"}), village_codes=known.village_codes)
    p = only(problems(read_table, "personnel", path, known=known))
    assert (p.row, p.column, p.reason) == (3, "unit_id", "unit tidak ada di units maupun di data tersimpan")


def test_single_file_without_known_skips_references(tmp_path: Path):
    """Without KnownRefs a file read alone is not checked against other tables, and a warning says so."""
    result = read_table("personnel", write(tmp_path / "personnel.csv", table_text("personnel")))
    assert result.warnings == ["personnel.csv: unit_id tidak diperiksa (units tidak dibaca)",
                               "personnel.csv: home_village_code tidak diperiksa (tidak ada data desa)"]


def test_known_refs_units_districts_and_indicator_codes(tmp_path: Path):
    """Stored district names serve units.districts; known indicator codes are enforced when given."""
    units = write(tmp_path / "units.csv", table_text("units"))
    assert read_table("units", units, known=KnownRefs(village_district_names=frozenset({"Kecamatan Utara"})))
    p = only(problems(read_table, "units", units, known=KnownRefs(village_district_names=frozenset({"Lain"}))))
    assert (p.column, p.value) == ("districts", "Kecamatan Utara")
    folder = write_set(tmp_path / "set")
    found = problems(read_dataset, folder, known=KnownRefs(indicator_codes=frozenset({"lain"})))
    assert [(p.file, p.row, p.column, p.reason) for p in found] == [
        ("indicators.csv", row, "indicator", "kode indikator tidak ada di katalog indikator") for row in (2, 3)]
    assert found == problems(read_dataset, folder, known=KnownRefs(indicator_codes=frozenset()))
    assert read_dataset(folder, known=KnownRefs(indicator_codes=frozenset({"konflik"})))


def test_no_cascade_from_unreadable_tps(tmp_path: Path):
    """A TPS row without id or with a bad village code is reported once, not again by its referrers."""
    tps = replace_row("tps", 0, ",9901012001x,Desa Satu,Kecamatan Utara,Kabupaten Sintetis,1,250,-7.81,112.01,,")
    found = problems(read_dataset, write_set(tmp_path, tps=tps))
    assert [(p.file, p.column) for p in found] == [("tps.csv", "tps_id"), ("tps.csv", "village_code")]


def test_synthetic_flag_from_province_99(tmp_path: Path):
    """Data in province 99 is marked synthetic; real province codes are not."""
    assert read_dataset(write_set(tmp_path / "a")).dataset.synthetic
    real = [r.replace("99.01.", "35.71.") for r in ROWS["tps"]]
    people = [r.replace("99.01.", "35.71.") for r in ROWS["personnel"]]
    assert not read_dataset(write_set(tmp_path / "b", tps=real, personnel=people)).dataset.synthetic


def test_windows_and_old_mac_line_ends(tmp_path: Path):
    """CRLF and bare CR line ends read like LF."""
    plain = read_table("tps", write(tmp_path / "a.csv", table_text("tps"))).dataset.tps
    for name, end in (("crlf.csv", b"\r\n"), ("cr.csv", b"\r")):
        path = tmp_path / name
        path.write_bytes(table_text("tps").replace("\n", "\r\n" if end == b"\r\n" else "\r").encode())
        assert read_table("tps", path).dataset.tps == plain
