"""Every class of bad value yields one precise problem (file, row, column, value, reason)."""

from __future__ import annotations

from pathlib import Path

import pytest

from siaga.formats import read_dataset
from tests.formats.util import HEADERS, ROWS, only, problems, replace_row, table_text, write_set

T = "99.01.01.2001,Desa Satu,Kecamatan Utara,Kabupaten Sintetis"  # a valid village with its names


def one(tmp_path: Path, **tables) -> object:
    return only(problems(read_dataset, write_set(tmp_path, **tables)))


def test_valid_set_reads(tmp_path: Path):
    """The fixture set itself is valid and reads into records with defaults filled in."""
    result = read_dataset(write_set(tmp_path))
    ds = result.dataset
    assert [t.tps_id for t in ds.tps] == ["T1", "T2", "T3"]
    assert ds.tps[1].kind == "regular" and ds.tps[1].category == "rawan" and ds.tps[0].category is None
    assert ds.units[0].parent_id is None and ds.units[1].districts == ("Kecamatan Utara",)
    assert ds.personnel[0].status == "available" and ds.personnel[2].status == "leave"
    assert ds.synthetic and result.warnings == []


def test_missing_required_column(tmp_path: Path):
    """A required column absent from the header is one file-level problem naming the column."""
    header = HEADERS["tps"].replace(",voters", "")
    rows = [",".join(r.split(",")[:6] + r.split(",")[7:]) for r in ROWS["tps"]]
    p = one(tmp_path, tps=table_text("tps", rows, header))
    assert (p.file, p.row, p.column) == ("tps.csv", None, "voters")
    assert p.reason == "kolom wajib 'voters' tidak ada"


def test_optional_columns_may_be_absent(tmp_path: Path):
    """kind/category, parent_id/districts and the optional personnel columns may be left out entirely."""
    tps = table_text("tps", [",".join(r.split(",")[:9]) for r in ROWS["tps"]],
                     "tps_id,village_code,village_name,district_name,regency_name,number,voters,lat,lon")
    units = table_text("units", ["RES,Polres,polri,polres,-7.8,112.0"], "unit_id,name,force,level,lat,lon")
    personnel = table_text("personnel", ["P1,Budi,polri,Bripka,RES"], "personnel_id,name,force,rank,unit_id")
    ds = read_dataset(write_set(tmp_path, tps=tps, units=units, personnel=personnel, indicators=None)).dataset
    assert ds.tps[0].kind == "regular" and ds.units[0].parent_id is None and ds.units[0].districts == ()
    assert ds.personnel[0].lat is None and ds.personnel[0].can_lead is True


def test_empty_required_value(tmp_path: Path):
    """An empty required cell is reported with its row and column."""
    p = one(tmp_path, units=replace_row("units", 1, "PS1,,polri,polsek,RES,-7.81,112.01,"))
    assert (p.file, p.row, p.column, p.value, p.reason) == ("units.csv", 3, "name", None, "wajib diisi")


@pytest.mark.parametrize(("kind", "row", "column", "value", "reason"), [
    ("tps", f"T1,{T},1,banyak,-7.81,112.01,,", "voters", "banyak", "harus bilangan bulat"),
    ("tps", f"T1,{T},1,1.000,-7.81,112.01,,", "voters", "1.000", "harus bilangan bulat"),
    ("tps", f"T1,{T},satu,250,-7.81,112.01,,", "number", "satu", "harus bilangan bulat"),
    ("tps", f"T1,{T},1,250,-7.8x,112.01,,", "lat", "-7.8x", "harus berupa angka"),
    ("tps", f"T1,{T},1,250,nan,112.01,,", "lat", "nan", "harus berupa angka"),
    ("personnel", "P1,Budi,polri,Bripka,PS1,,,,,mungkin", "can_lead", "mungkin",
     "harus true/false (juga ya/tidak, yes/no, 1/0)"),
])
def test_wrong_type(tmp_path: Path, kind, row, column, value, reason):
    """Text where a whole number, a number or a boolean is expected is refused ("1.000" may be a thousands dot)."""
    p = one(tmp_path, **{kind: replace_row(kind, 0, row)})
    assert (p.file, p.row, p.column, p.value, p.reason) == (f"{kind}.csv", 2, column, value, reason)


def test_decimal_comma(tmp_path: Path):
    """A decimal comma is read as a decimal point when the number has no dot."""
    rows = replace_row("tps", 0, f'T1,{T},1,250,"-7,8167","112,0123",,')
    ds = read_dataset(write_set(tmp_path, tps=rows)).dataset
    assert (ds.tps[0].lat, ds.tps[0].lon) == (-7.8167, 112.0123)


@pytest.mark.parametrize(("lat", "lon", "column", "reason"), [
    ("200", "112.01", "lat", "lintang di luar Indonesia (-11.5 s/d 6.5)"),
    ("-7.81", "12.01", "lon", "bujur di luar Indonesia (94.5 s/d 141.5)"),
])
def test_coordinates_outside_indonesia(tmp_path: Path, lat, lon, column, reason):
    """lat and lon are checked separately and the problem names which one is outside."""
    p = one(tmp_path, tps=replace_row("tps", 2, f"T3,99.01.02.2001,Desa Dua,Kecamatan Selatan,Kabupaten Sintetis,"
                                               f"1,300,{lat},{lon},,"))
    assert (p.file, p.row, p.column, p.reason) == ("tps.csv", 4, column, reason)


def test_swapped_coordinates_hint(tmp_path: Path):
    """lat and lon written the wrong way round give two problems that say so."""
    found = problems(read_dataset, write_set(tmp_path, tps=replace_row("tps", 0, f"T1,{T},1,250,112.01,-7.81,,")))
    assert [(p.column, p.reason.endswith("lat dan lon tertukar?")) for p in found] == [("lat", True), ("lon", True)]


@pytest.mark.parametrize(("kind", "row", "column", "reason"), [
    ("tps", f"T1,{T},3,240,-7.82,112.02,,", "tps_id", "tps_id ganda (sudah ada di baris 2)"),
    ("tps", f"T9,{T},1,240,-7.82,112.02,,", "number", "nomor TPS 1 di desa 99.01.01.2001 ganda (sudah ada di baris 2)"),
    ("units", "PS1,Lagi,polri,polsek,RES,-7.8,112.0,", "unit_id", "unit_id ganda (sudah ada di baris 3)"),
    ("personnel", "P1,Lagi,polri,Bripka,PS1,,,,,", "personnel_id", "personnel_id ganda (sudah ada di baris 2)"),
    ("indicators", "T1,konflik,0,", "indicator", "indikator konflik untuk TPS T1 ganda (sudah ada di baris 2)"),
])
def test_duplicates(tmp_path: Path, kind, row, column, reason):
    """A repeated id (or TPS number in a village, or TPS/indicator pair) names the row it repeats."""
    p = one(tmp_path, **{kind: [*ROWS[kind], row]})
    assert (p.file, p.row, p.column, p.reason) == (f"{kind}.csv", len(ROWS[kind]) + 2, column, reason)


def test_malformed_village_code(tmp_path: Path):
    """A village code that is not PP.RR.DD.VVVV (or has an unknown province) is refused."""
    p = one(tmp_path, tps=replace_row("tps", 2, "T3,99.01.02.201,Desa Dua,Kecamatan Selatan,Kabupaten Sintetis,"
                                                "1,300,-7.85,112.05,,"))
    assert (p.file, p.row, p.column, p.value) == ("tps.csv", 4, "village_code", "99.01.02.201")
    assert p.reason.startswith("kode desa/kelurahan tidak sah")


def test_plain_village_code_is_dotted(tmp_path: Path):
    """A plain 10-digit village code is accepted and stored dotted."""
    rows = replace_row("tps", 2, "T3,9901022001,Desa Dua,Kecamatan Selatan,Kabupaten Sintetis,1,300,-7.85,112.05,,")
    assert read_dataset(write_set(tmp_path, tps=rows)).dataset.tps[2].village_code == "99.01.02.2001"


def test_village_names_consistent(tmp_path: Path):
    """One village code carrying two spellings is reported at the later row, naming the first."""
    rows = replace_row("tps", 1, "T2,99.01.01.2001,Desa Kesatu,Kecamatan Utara,Kabupaten Sintetis,2,240,-7.82,"
                                 "112.02,,")
    p = one(tmp_path, tps=rows)
    assert (p.file, p.row, p.column, p.value) == ("tps.csv", 3, "village_name", "Desa Kesatu")
    assert p.reason == "kode desa 99.01.01.2001 sudah bernama 'Desa Satu' di baris 2"


def test_district_names_consistent(tmp_path: Path):
    """Two villages of one district code must give the district the same name."""
    rows = [*ROWS["tps"], "T4,99.01.02.2002,Desa Tiga,Kec. Selatan,Kabupaten Sintetis,1,90,-7.86,112.06,,"]
    p = one(tmp_path, tps=rows)
    assert (p.row, p.column, p.reason) == (5, "district_name", "kode kecamatan 99.01.02 sudah bernama "
                                                               "'Kecamatan Selatan' di baris 4")


@pytest.mark.parametrize(("kind", "index", "row", "column", "value", "reason"), [
    ("personnel", 0, "P1,Budi,polri,Bripka,PS9,,,,,", "unit_id", "PS9", "unit tidak ada di units"),
    ("units", 2, "LM1,Linmas,linmas,village,XX,-7.81,112.01,", "parent_id", "XX", "unit induk tidak ada di units"),
    ("personnel", 1, "P2,Ani,linmas,,LM1,99.01.09.2001,,,,", "home_village_code", "99.01.09.2001",
     "desa tidak ada di tps"),
    ("indicators", 0, "T7,konflik,1,", "tps_id", "T7", "TPS tidak ada di tps"),
    ("units", 1, "PS1,Polsek,polri,polsek,RES,-7.81,112.01,Kecamatan Barat", "districts", "Kecamatan Barat",
     "kecamatan tidak ada di tps (tulis nama kecamatan atau kodenya, mis. 35.71.01)"),
])
def test_unknown_references(tmp_path: Path, kind, index, row, column, value, reason):
    """A reference to a unit, village, TPS or district that no file holds is a problem at the referring row."""
    p = one(tmp_path, **{kind: replace_row(kind, index, row)})
    assert (p.file, p.row, p.column, p.value, p.reason) == (f"{kind}.csv", index + 2, column, value, reason)


def test_unit_districts_by_code_or_any_case(tmp_path: Path):
    """A district may be named by its code or in any case; names take the TPS file's spelling."""
    rows = replace_row("units", 1, "PS1,Polsek,polri,polsek,RES,-7.81,112.01,KECAMATAN UTARA; 990102")
    unit = read_dataset(write_set(tmp_path, units=rows)).dataset.units[1]
    assert unit.districts == ("Kecamatan Utara", "99.01.02")


def test_unit_parent_cycle(tmp_path: Path):
    """A loop of parent links is reported once, at its first unit, showing the loop."""
    rows = ["RES,Polres,polri,polres,PS1,-7.80,112.00,", "PS1,Polsek,polri,polsek,RES,-7.81,112.01,",
            "LM1,Linmas,linmas,village,PS1,-7.81,112.01,"]
    p = one(tmp_path, units=rows)
    assert (p.file, p.row, p.column, p.value) == ("units.csv", 2, "parent_id", "PS1")
    assert p.reason == "siklus unit induk: RES -> PS1 -> RES"


def test_self_parent_is_a_cycle(tmp_path: Path):
    """A unit that is its own parent is a cycle of one."""
    p = one(tmp_path, units=replace_row("units", 0, "RES,Polres,polri,polres,RES,-7.80,112.00,"))
    assert (p.row, p.reason) == (2, "siklus unit induk: RES -> RES")


@pytest.mark.parametrize(("row", "column", "value", "reason"), [
    (f"T1,{T},1,-5,-7.81,112.01,,", "voters", "-5", "jumlah pemilih tidak boleh negatif"),
    (f"T1,{T},0,250,-7.81,112.01,,", "number", "0", "nomor TPS minimal 1"),
])
def test_number_ranges(tmp_path: Path, row, column, value, reason):
    """Voters cannot be negative and TPS numbers start at 1."""
    p = one(tmp_path, tps=replace_row("tps", 0, row))
    assert (p.file, p.row, p.column, p.value, p.reason) == ("tps.csv", 2, column, value, reason)


@pytest.mark.parametrize(("kind", "row", "column", "value", "allowed"), [
    ("units", "RES,Polres,polisi,polres,,-7.8,112.0,", "force", "polisi", "polri, tni, linmas"),
    ("units", "RES,Polres,polri,polda,,-7.8,112.0,", "level", "polda",
     "polres, polsek, kodim, koramil, village, reserve"),
    ("personnel", "P1,Budi,polri,Bripka,PS1,,,,cuti,", "status", "cuti", "available, leave, sick, training"),
    ("tps", f"T1,{T},1,250,-7.81,112.01,biasa,", "kind", "biasa", "regular, khusus"),
    ("tps", f"T1,{T},1,250,-7.81,112.01,,aman", "category", "aman", "kurang_rawan, rawan, sangat_rawan, khusus"),
])
def test_unknown_vocabulary(tmp_path: Path, kind, row, column, value, allowed):
    """A value outside a closed vocabulary is refused and the reason lists the allowed values."""
    p = one(tmp_path, **{kind: replace_row(kind, 0, row)})
    assert (p.file, p.row, p.column, p.value) == (f"{kind}.csv", 2, column, value)
    assert p.reason == f"{column} tidak dikenal; yang berlaku: {allowed}"


def test_vocabulary_ignores_case_and_spaces(tmp_path: Path):
    """POLRI, 'Kurang Rawan' and 'sangat-rawan' are read as polri, kurang_rawan and sangat_rawan."""
    tps = replace_row("tps", 0, f"T1,{T},1,250,-7.81,112.01,Regular,Kurang Rawan")
    units = replace_row("units", 0, "RES,Polres,POLRI,Polres,,-7.8,112.0,")
    ds = read_dataset(write_set(tmp_path, tps=tps, units=units)).dataset
    assert (ds.tps[0].kind, ds.tps[0].category, ds.units[0].force, ds.units[0].level) == (
        "regular", "kurang_rawan", "polri", "polres")


def test_unknown_rank(tmp_path: Path):
    """A rank not in the force's table is refused, listing that force's rank codes."""
    p = one(tmp_path, personnel=replace_row("personnel", 0, "P1,Budi,polri,Sersan,PS1,,,,,"))
    assert (p.file, p.row, p.column, p.value) == ("personnel.csv", 2, "rank", "Sersan")
    assert p.reason.startswith("pangkat tidak dikenal untuk polri; yang berlaku: Bharada, Bharatu,")


def test_rank_required_except_linmas(tmp_path: Path):
    """Polri and TNI need a rank; an empty Linmas rank reads as Anggota."""
    p = one(tmp_path, personnel=replace_row("personnel", 0, "P1,Budi,tni,,PS1,,,,,"))
    assert (p.row, p.column, p.reason) == (2, "rank", "wajib diisi untuk tni")
    tmp = tmp_path / "ok"
    assert read_dataset(write_set(tmp)).dataset.personnel[1].rank == "Anggota"


def test_rank_canonical_code_and_can_lead_default(tmp_path: Path):
    """Ranks are stored as their canonical code; can_lead defaults from the rank, a given value wins."""
    rows = ["P1,A,polri,bripka,PS1,,,,,", "P2,B,polri,Brigadir Polisi Dua,PS1,,,,,", "P3,C,polri,BRIGADIR,PS1,,,,,",
            "P4,D,tni,serda,PS1,,,,,", "P5,E,polri,Bripda,PS1,,,,,ya", "P6,F,linmas,,LM1,99.01.01.2001,,,,"]
    people = read_dataset(write_set(tmp_path, personnel=rows)).dataset.personnel
    assert [(p.rank, p.can_lead) for p in people] == [
        ("Bripka", True), ("Bripda", False), ("Brigpol", True), ("Serda", True), ("Bripda", True),
        ("Anggota", False)]


def test_linmas_needs_home_village(tmp_path: Path):
    """A Linmas member without home_village_code is refused (they serve their own village)."""
    p = one(tmp_path, personnel=replace_row("personnel", 1, "P2,Ani,linmas,,LM1,,,,,"))
    assert (p.file, p.row, p.column, p.reason) == ("personnel.csv", 3, "home_village_code",
                                                   "wajib diisi untuk Linmas (desa tempat bertugas)")


@pytest.mark.parametrize(("lat", "lon", "column", "reason"), [
    ("-7.8", "", "lon", "wajib diisi bila lat diisi"),
    ("", "112.0", "lat", "wajib diisi bila lon diisi"),
])
def test_personnel_lat_lon_pair(tmp_path: Path, lat, lon, column, reason):
    """A person's lat without lon (or lon without lat) names the missing one."""
    p = one(tmp_path, personnel=replace_row("personnel", 0, f"P1,Budi,polri,Bripka,PS1,,{lat},{lon},,"))
    assert (p.file, p.row, p.column, p.reason) == ("personnel.csv", 2, column, reason)


def test_indicator_value_not_a_number(tmp_path: Path):
    """An indicator value must be a number; ya/tidak are read as 1/0."""
    p = one(tmp_path, indicators=replace_row("indicators", 0, "T1,konflik,tinggi,"))
    assert (p.file, p.row, p.column, p.value) == ("indicators.csv", 2, "value", "tinggi")
    assert p.reason == "nilai indikator harus berupa angka (0/1 untuk ya/tidak)"
    rows = ["T1,konflik,Ya,", "T2,konflik,tidak,", "T3,konflik,0.25,"]
    ds = read_dataset(write_set(tmp_path / "ok", indicators=rows)).dataset
    assert [i.value for i in ds.indicators] == [1.0, 0.0, 0.25]


def test_booleans(tmp_path: Path):
    """can_lead accepts true/false, ya/tidak, yes/no and 1/0 in any case."""
    words = ["TRUE", "false", "Ya", "TIDAK", "yes", "No", "1", "0"]
    rows = [f"P{i},N,polri,Bripda,PS1,,,,,{w}" for i, w in enumerate(words)]
    people = read_dataset(write_set(tmp_path, personnel=rows)).dataset.personnel
    assert [p.can_lead for p in people] == [True, False, True, False, True, False, True, False]


def test_whitespace_is_stripped(tmp_path: Path):
    """Spaces (and non-breaking spaces) around values are ignored."""
    rows = replace_row("tps", 0, " T1 , 99.01.01.2001 ,Desa Satu\u00a0,Kecamatan Utara,Kabupaten Sintetis, 1 ,"
                                 " 250 , -7.81 ,112.01, regular ,")
    t = read_dataset(write_set(tmp_path, tps=rows)).dataset.tps[0]
    assert (t.tps_id, t.village_code, t.village_name, t.number, t.voters, t.kind) == (
        "T1", "99.01.01.2001", "Desa Satu", 1, 250, "regular")


def test_category_reason_is_read_and_needs_a_category(tmp_path: Path):
    """A manual category may carry its reason; a reason without a category is a problem."""
    header = HEADERS["tps"] + ",category_reason"
    rows = [row + "," for row in ROWS["tps"]]
    rows[1] = rows[1][:-1] + ",Riwayat bentrok 2018"
    ds = read_dataset(write_set(tmp_path, tps=table_text("tps", rows, header))).dataset
    assert ds.tps[1].category == "rawan" and ds.tps[1].category_reason == "Riwayat bentrok 2018"
    assert ds.tps[0].category_reason is None
    rows[0] = rows[0][:-1] + ",alasan tanpa kategori"
    p = one(tmp_path, tps=table_text("tps", rows, header))
    assert (p.file, p.row, p.column) == ("tps.csv", 2, "category_reason")


def test_number_too_big_for_the_database(tmp_path: Path):
    """A whole number beyond a database integer is a problem on its cell, not a crash at import."""
    p = one(tmp_path, tps=replace_row("tps", 0, f"T1,{T},1,99999999999,-7.81,112.01,regular,"))
    assert (p.row, p.column, p.value) == (2, "voters", "99999999999") and "terlalu besar" in p.reason


def test_nul_character_is_refused(tmp_path: Path):
    """A NUL character (which PostgreSQL cannot store) is a problem naming its cell."""
    p = one(tmp_path, personnel=replace_row("personnel", 0, "P1,Budi\x00Sintetis,polri,Bripka,PS1,,,,,"))
    assert (p.row, p.column) == (2, "name") and "NUL" in p.reason
