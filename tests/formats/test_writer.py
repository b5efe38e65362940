"""Writing datasets: exact column order, and write -> read gives back the very same records."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from siaga.domain.ranks import rank_codes
from siaga.domain.vocab import CATEGORIES, FORCES, PERSONNEL_STATUSES, TPS_KINDS, UNIT_LEVELS
from siaga.formats import HEADERS, iter_rows, read_dataset, read_table, write_dataset, write_workbook
from siaga.formats.fields import build_records
from siaga.formats.records import Dataset, IndicatorRecord, PersonnelRecord, TPSRecord, UnitRecord
from tests.formats.util import write_set

DESIGN_ORDER = {  # design.md, "File formats for planning"
    "tps": "tps_id village_code village_name district_name regency_name number voters lat lon kind category category_reason",
    "indicators": "tps_id indicator value note",
    "units": "unit_id name force level parent_id lat lon districts",
    "personnel": "personnel_id name force rank unit_id home_village_code lat lon status can_lead",
}


def _records(ds: Dataset) -> tuple:
    return ds.tps, ds.units, ds.personnel, ds.indicators


def test_headers_follow_design_order():
    """Every writer emits the columns in design.md's order."""
    assert {kind: " ".join(cols) for kind, cols in HEADERS.items()} == DESIGN_ORDER
    for kind in HEADERS:
        assert next(iter_rows(kind, Dataset())) == DESIGN_ORDER[kind].split()


def test_write_dataset_files(tmp_path: Path):
    """write_dataset writes the four CSVs, header first, optional values empty, no temporary files left."""
    ds = read_dataset(write_set(tmp_path / "in")).dataset
    paths = write_dataset(ds, tmp_path / "out")
    assert [p.name for p in paths] == ["tps.csv", "units.csv", "personnel.csv", "indicators.csv", "SINTETIS.txt"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in paths)
    with open(tmp_path / "out" / "personnel.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == DESIGN_ORDER["personnel"].split()
    assert rows[1] == ["P1", "Budi Sintetis", "polri", "Bripka", "PS1", "", "", "", "available", "true"]
    assert rows[2][3] == "Anggota" and rows[3][6:8] == ["-7.8", "112"]


def test_synthetic_label_travels_with_the_files(tmp_path: Path):
    """Synthetic data are labelled by a SINTETIS.txt file or sheet, which reading turns back into the flag."""
    ds = read_dataset(write_set(tmp_path / "in")).dataset
    real = Dataset(tps=[t for t in ds.tps], units=ds.units, personnel=ds.personnel, synthetic=False)
    write_dataset(ds, tmp_path / "syn")
    assert "SINTETIS" in (tmp_path / "syn" / "SINTETIS.txt").read_text(encoding="utf-8")
    assert read_dataset(tmp_path / "syn").dataset.synthetic
    assert read_table("tps", tmp_path / "syn" / "tps.csv").dataset.synthetic
    write_workbook(ds, tmp_path / "syn.xlsx")
    result = read_dataset(tmp_path / "syn.xlsx")
    assert result.dataset.synthetic and not result.warnings
    write_dataset(real, tmp_path / "syn")  # rewriting real data removes a stale label
    assert not (tmp_path / "syn" / "SINTETIS.txt").exists()


def test_fixed_round_trip_csv_and_xlsx(tmp_path: Path):
    """The fixture set survives write_dataset and write_workbook unchanged."""
    ds = read_dataset(write_set(tmp_path / "in")).dataset
    write_dataset(ds, tmp_path / "out")
    assert read_dataset(tmp_path / "out").dataset == ds
    book = write_workbook(ds, tmp_path / "book" / "data.xlsx")
    assert read_dataset(book).dataset == ds


def test_workbook_layout(tmp_path: Path):
    """The workbook has the four sheets; numbers are numbers and a leading '=' stays text."""
    ds = Dataset(units=[UnitRecord("=U1", "=SUM(A1)", "polri", "polres", None, -7.5, 112.25)])
    book = openpyxl.load_workbook(write_workbook(ds, tmp_path / "w.xlsx"))
    assert book.sheetnames == ["tps", "units", "personnel", "indicators"]
    sheet = book["units"]
    assert [c.value for c in sheet[1]] == DESIGN_ORDER["units"].split()
    assert [c.value for c in sheet[2]][:7] == ["=U1", "=SUM(A1)", "polri", "polres", None, -7.5, 112.25]
    assert sheet["B2"].data_type == "s"
    assert read_dataset(tmp_path / "w.xlsx", require=()).dataset.units == ds.units


def test_build_records_matches_constructor():
    """The fast record builder gives records equal to the dataclass constructor's."""
    columns = [["P1", "P2"], ["A", "B"], ["polri", "tni"], ["Bripka", "Serda"], ["U", "U"], [None, "99.01.01.2001"],
               [None, -7.0], [None, 112.0], ["available", "sick"], [True, False]]
    assert build_records(PersonnelRecord, *columns) == list(map(PersonnelRecord, *columns))


# --- random valid datasets (synthetic: province 99) -----------------------------------------

_TEXT = st.text(st.characters(categories=("L", "N", "P", "S", "Zs"), exclude_characters=";"), min_size=1,
                max_size=10).map(str.strip).filter(bool)
_LAT = st.floats(-11.5, 6.5, allow_nan=False)
_LON = st.floats(94.5, 141.5, allow_nan=False)


@st.composite
def datasets(draw) -> Dataset:
    ids = draw(st.lists(_TEXT, min_size=1, max_size=12, unique=True))
    districts = draw(st.lists(_TEXT, min_size=1, max_size=3, unique=True))
    villages = [(f"99.0{1 + i % 2}.{10 + d}.2{v:03d}", draw(_TEXT), name)
                for d, name in enumerate(districts) for i, v in enumerate(range(draw(st.integers(1, 3))))]
    regency = {"99.01": draw(_TEXT), "99.02": draw(_TEXT)}
    tps = []
    for n, tps_id in enumerate(draw(st.lists(_TEXT, min_size=1, max_size=8, unique=True))):
        code, village, district = draw(st.sampled_from(villages))
        tps.append(TPSRecord(tps_id, code, village, district, regency[code[:5]], n + 1, draw(st.integers(0, 10**6)),
                             draw(_LAT), draw(_LON), draw(st.sampled_from(TPS_KINDS)),
                             draw(st.none() | st.sampled_from(CATEGORIES))))
    districts = sorted({t.district_name for t in tps})  # references must point at the TPS data
    homes = sorted({t.village_code for t in tps})
    units: list[UnitRecord] = []
    for unit_id in ids:
        parent = draw(st.none() | st.sampled_from([u.unit_id for u in units])) if units else None
        units.append(UnitRecord(unit_id, draw(_TEXT), draw(st.sampled_from(FORCES)), draw(st.sampled_from(UNIT_LEVELS)),
                                parent, draw(_LAT), draw(_LON),
                                tuple(draw(st.lists(st.sampled_from(districts), unique=True, max_size=2)))))
    people = []
    for person_id in draw(st.lists(_TEXT, max_size=8, unique=True)):
        force = draw(st.sampled_from(FORCES))
        home = draw(st.sampled_from(homes) if force == "linmas" else st.none() | st.sampled_from(homes))
        at = draw(st.none() | st.tuples(_LAT, _LON))
        people.append(PersonnelRecord(person_id, draw(_TEXT), force, draw(st.sampled_from(rank_codes(force))),
                                      draw(st.sampled_from(ids)), home, *(at or (None, None)),
                                      draw(st.sampled_from(PERSONNEL_STATUSES)), draw(st.booleans())))
    pairs = draw(st.lists(st.tuples(st.sampled_from([t.tps_id for t in tps]), _TEXT), unique=True, max_size=6))
    indicators = [IndicatorRecord(t, code, draw(st.floats(allow_nan=False, allow_infinity=False)),
                                  draw(st.just("") | _TEXT)) for t, code in pairs]
    return Dataset(tps, units, people, indicators, synthetic=True)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_random_round_trip_csv(ds: Dataset):
    """Any valid dataset written with write_dataset reads back into identical records."""
    with tempfile.TemporaryDirectory() as folder:
        write_dataset(ds, Path(folder))
        back = read_dataset(Path(folder), require=())
    assert _records(back.dataset) == _records(ds)
    assert back.warnings == []


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_random_round_trip_xlsx(ds: Dataset):
    """Any valid dataset written with write_workbook reads back into identical records."""
    with tempfile.TemporaryDirectory() as folder:
        back = read_dataset(write_workbook(ds, Path(folder) / "data.xlsx"), require=())
    assert _records(back.dataset) == _records(ds)
