"""Small data files for the upload tests (synthetic rows in the two-Polres world of tests.accounts.world)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import Workbook

from siaga.formats import HEADERS
from siaga.regions.models import Village


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """Staged uploads go to a fresh data folder per test (use with ``pytest.mark.usefixtures``)."""
    folder = tmp_path / "var"
    monkeypatch.setenv("SIAGA_DATA_DIR", str(folder))
    return folder


def tps_row(tps_id: str, village_code: str, number: int, **changes) -> dict:
    """A valid TPS row in a stored village, with the stored names (so only the TPS itself is new)."""
    village = Village.objects.select_related("district__regency").get(code=village_code)
    row = {"tps_id": tps_id, "village_code": village_code, "village_name": village.name,
           "district_name": village.district.name, "regency_name": village.district.regency.name,
           "number": number, "voters": 300, "lat": -7.81, "lon": 112.01}
    return {**row, **changes}


def write_csv(path: Path, rows: list[dict], kind: str = "tps") -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=[c for c in HEADERS[kind] if any(c in r for r in rows)] or HEADERS[kind])
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[dict], kind: str = "tps") -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = kind
    columns = [c for c in HEADERS[kind] if any(c in r for r in rows)]
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(c) for c in columns])
    book.save(path)
    return path
