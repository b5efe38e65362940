"""Hostile workbooks on the upload page and the API (issue 10, item 3): any planner can upload, so the
reader's bounds must hold there exactly as in ``siaga import``."""

from __future__ import annotations

import tracemalloc

import pytest

from siaga.formats import HEADERS
from siaga.regions.models import TPS
from tests.api import conftest as api_fixtures
from tests.api.upload_files import data_dir, tps_row  # noqa: F401 (fixture)
from tests.formats.xlsx_bombs import deflate_bomb_workbook, wide_rows_workbook
from tests.web.test_upload import ids_in, token_of, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("data_dir")]

world = api_fixtures.world
as_role = api_fixtures.as_role

V1 = "35.71.01.1001"  # planner's area (Polres A)
TPS_HEADER = list(HEADERS["tps"][:9])


def test_wide_row_bomb_upload_is_previewed_in_little_memory(as_role, world, tmp_path):
    """The XFD probe (10,000 rows, one cell in the last column each) is staged and previewed as 10,000
    rows, with a traced peak far below the gigabyte the padding reader took."""
    base = tps_row("x", V1, 1)
    rows = [[f"T-B{i:05d}", V1, base["village_name"], base["district_name"], base["regency_name"], 100 + i, 300, -7.81, 112.01]
            for i in range(1, 10_001)]
    path = wide_rows_workbook(tmp_path / "bom.xlsx", TPS_HEADER, rows)
    client = as_role("planner")
    tracemalloc.start()
    try:
        token = token_of(upload(client, path))
        html = client.get(f"/data/{token}/").content.decode()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "problems-table" not in ids_in(html) and "confirm" in ids_in(html), html[:3000]
    assert "10.000" in html or "10,000" in html or "10000" in html
    assert peak < 50 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"
    assert not TPS.objects.filter(code__startswith="T-B").exists()


def test_deflate_bomb_is_refused_on_the_page_and_the_api(as_role, world, tmp_path):
    """A workbook packed like a zip bomb is refused with a problem naming the file and the part."""
    path = deflate_bomb_workbook(tmp_path / "padat.xlsx", TPS_HEADER, unpacked_mb=50)
    client = as_role("planner")
    html = client.get(f"/data/{token_of(upload(client, path))}/").content.decode()
    assert "problems-table" in ids_in(html) and "confirm" not in ids_in(html)
    assert "padat.xlsx" in html and "xl/worksheets/sheet1.xml" in html and "dipadatkan" in html
    with open(path, "rb") as f:
        body = client.post("/api/v1/imports", {"kind": "tps", "file": f}).json()
    assert body["clean"] is False and body["problem_total"] == 1
    (problem,) = body["problems"]
    assert problem["file"] == "padat.xlsx" and problem["row"] is None and "dipadatkan" in problem["reason"]
