"""``siaga import`` / ``siaga export`` against hostile files (issue 10, items 3 and 5): separate processes,
a fresh database of each backend, real files."""

from __future__ import annotations

from siaga.formats import HEADERS, write_dataset
from siaga.formats.escape import DANGEROUS
from siaga.scenarios import load_scenario
from tests.cli import test_cli_user_flow as flow
from tests.formats.test_escape import payload_dataset
from tests.formats.xlsx_bombs import deflate_bomb_workbook, tps_values, wide_rows_workbook

TPS_HEADER = list(HEADERS["tps"][:9])
SCENARIO, import_all, run, stats = flow.SCENARIO, flow.import_all, flow.run, flow.stats
database_url = flow.database_url  # the fixture: a fresh database of each backend


def test_import_reads_wide_row_bomb_and_refuses_deflate_bomb(tmp_path, database_url):
    """The XFD probe imports as its 10,000 plain rows (the far cells are never read); a deflate bomb is
    refused before anything is unpacked, naming the file and the part; nothing is stored."""
    data_dir = tmp_path / "var"
    run(["init"], database_url, data_dir)
    wide = wide_rows_workbook(tmp_path / "bom.xlsx", TPS_HEADER, tps_values(10_000))
    out = run(["import", "tps", str(wide), "--dry-run"], database_url, data_dir)
    assert "10000" in out.stdout.replace(",", "").replace(".", ""), out.stdout
    packed = deflate_bomb_workbook(tmp_path / "padat.xlsx", TPS_HEADER, unpacked_mb=50)
    refused = run(["import", "tps", str(packed)], database_url, data_dir, check=False)
    assert refused.returncode == 1
    assert "padat.xlsx" in refused.stderr and "xl/worksheets/sheet1.xml" in refused.stderr
    assert "dipadatkan" in refused.stderr
    assert stats(database_url, data_dir)["tps"] == 0


def test_export_escapes_payload_names_and_round_trips_byte_identical(tmp_path, database_url):
    """Names holding formula payloads: the export starts no text cell with = + - @ tab CR, and
    export -> import (fresh database) -> export gives the same bytes."""
    data_dir = tmp_path / "var"
    source = tmp_path / "source"
    write_dataset(payload_dataset(load_scenario(SCENARIO).dataset), source)
    run(["init"], database_url, data_dir)
    import_all(source, database_url, data_dir)
    first, second = tmp_path / "e1", tmp_path / "e2"
    run(["export", str(first)], database_url, data_dir)
    units = (first / "units.csv").read_text(encoding="utf-8")
    assert "'=cmd|' /C calc'!A0" in units and "'@SUM(1)" in units and "'+1+1" in units
    for line in units.splitlines()[1:]:
        name = line.split(",")[1].lstrip('"')
        assert name[:1] not in DANGEROUS, line
    other_db, other_dir = f"sqlite:///{tmp_path / 'other.sqlite3'}", tmp_path / "var2"
    run(["init"], other_db, other_dir)
    import_all(first, other_db, other_dir)
    run(["export", str(second)], other_db, other_dir)
    for name in ("tps.csv", "units.csv", "personnel.csv", "indicators.csv"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
