"""plan.xlsx: sheets, the lampiran rows per Polsek, reserves, shortfalls, read back with openpyxl."""

from __future__ import annotations

import openpyxl
import pytest

from siaga.reports import write_plan_xlsx
from siaga.reports.xlsx import sheet_names


@pytest.fixture
def workbook(plan, tmp_path):
    path = write_plan_xlsx(plan, tmp_path / "out" / "plan.xlsx")
    return openpyxl.load_workbook(path)


def rows(ws) -> list[tuple]:
    return [tuple(r) for r in ws.iter_rows(values_only=True)]


def test_sheet_names(workbook):
    """Summary first, one sheet per Polsek by name, then reserves and shortfalls."""
    assert workbook.sheetnames == ["Ringkasan", "Polsek Alpha", "Polsek Beta", "Cadangan", "Kekurangan"]


def test_annex_rows_one_per_person_commander_first(workbook):
    """Each person is a row with name, rank, NRP and role; a post's commander comes first."""
    ws = workbook["Polsek Alpha"]
    data = rows(ws)
    header = data.index(("No", "Pos", "TPS", "Kategori", "Nama", "Pangkat", "NRP", "Jabatan"))
    body = data[header + 1:]
    assert body[0] == (1, "P-99.01.01.1001-01", "TPS 001, 002, 003 Kelurahan Satu", "Kurang rawan",
                       "Budi Santoso", "Aipda", "80010001", "Komandan Pos")
    assert body[1][4:] == ("Agus Salim", "Bripka", "80010002", "Anggota")
    assert body[2][4:] == ("Sutrisno", None, "LM-1001-1", "Linmas")
    assert len(body) == 14  # 14 people at the four Alpha posts
    assert ws.freeze_panes == f"A{header + 2}"
    assert ws.print_title_rows == f"${header + 1}:${header + 1}"
    assert any("Polsek Alpha" in str(r[0]) for r in data[:header])
    assert any("sintetis-kecil" in str(r[0]) for r in data[:header])


def test_annex_shows_empty_slots(workbook):
    """Unmet needs appear as rows to fill: the missing commander first, then missing Polri."""
    body = rows(workbook["Polsek Beta"])
    tni = next(r for r in body if r[6] == "21000001")
    assert tni[4:] == ("Bambang Sutrisno", "Serka", "21000001", "TNI")
    post5 = [r for r in body if r[1] == "P-99.01.02.2001-02"][0]
    start = body.index(post5)
    block = body[start:start + 3]
    assert block[0][7] == "Komandan Pos" and block[0][4].startswith("(belum terisi")
    assert block[1][4:] == ("Legiman", None, "LM-2001-2", "Linmas")
    assert block[2][7] == "Anggota" and block[2][4].startswith("(belum terisi")
    assert len(body) - body.index(post5) == 3  # 1 Linmas + 1 commander slot + 1 more Polri slot


def test_summary_numbers_and_synthetic_banner(workbook):
    """The summary carries the plan's figures and the synthetic label."""
    data = rows(workbook["Ringkasan"])
    assert any(r[0] and str(r[0]).startswith("DATA SINTETIS") for r in data)
    assert next(r for r in data if r[0] == "Polri")[:7] == ("Polri", 12, 9, 3, 12, 13, 0)
    assert next(r for r in data if r[0] == "Sangat rawan")[:4] == ("Sangat rawan", 1, 1, "2-1-1 +1 TNI")
    assert next(r for r in data if r[0] == "Total jarak tempuh (km)")[1] == 25.3
    assert next(r for r in data if r[0] == "Tahapan")[1] == "Pemungutan suara"
    assert next(r for r in data if r[0] and "Beta" in str(r[0]))[:3] == ("Kecamatan Beta (99.01.02)", "Polri", 3)


def test_reserves_and_shortfalls(workbook):
    """Reserve squads list their members; shortfalls list every unmet entry and the BKO need."""
    res = rows(workbook["Cadangan"])
    r02 = [r for r in res if r[7] in ("Fajar Ramadhan", "Galih Saputra")]
    assert r02[0][:3] == ("R-02", "Kompi Brimob BKO", "BKO") and r02[1][0] is None
    short = rows(workbook["Kekurangan"])
    unmet = [r for r in short if r[0] and str(r[0]).startswith("P-")]
    assert len(unmet) == 3
    assert unmet[0][:5] == ("P-99.01.02.2001-01", "Polsek Beta", "Sangat rawan", "Polri", 1)
    assert next(r for r in short if r[0] == "99.01.02")[:4] == ("99.01.02", "Kecamatan Beta", "Polri", 3)


def test_no_synthetic_banner_for_real_data(plan, tmp_path):
    """A plan not marked synthetic carries no synthetic label."""
    plan["synthetic"] = False
    wb = openpyxl.load_workbook(write_plan_xlsx(plan, tmp_path / "p.xlsx"))
    for ws in wb:
        assert not any(c and "SINTETIS" in str(c) for r in rows(ws) for c in r)


def test_sheet_names_are_excel_safe():
    """Names lose forbidden characters, fit 31 characters and stay unique, also against fixed sheets."""
    long = "Polsek Sangat Panjang Sekali Namanya Kecamatan"
    names = sheet_names([long, long, "Polsek A/B [1]", "ringkasan"])
    assert all(len(n) <= 31 for n in names)
    assert len({n.lower() for n in names}) == 4
    assert names[0] == long[:31] and names[1].endswith(" (2)")
    assert names[2] == "Polsek A B  1"
    assert names[3] == "ringkasan (2)"


def test_rejects_other_schema(plan, tmp_path):
    """A dict of another schema is refused with a clear error."""
    plan["schema"] = "siaga.plan/0"
    with pytest.raises(ValueError, match="siaga.plan/1"):
        write_plan_xlsx(plan, tmp_path / "p.xlsx")
