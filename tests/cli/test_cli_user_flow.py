"""The CLI as a user calls it: separate processes, a fresh database, real files.

Runs on SQLite always and, in the PostgreSQL pass (DATABASE_URL set to PostgreSQL), on a fresh
PostgreSQL database too.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

SIAGA = [sys.executable, "-m", "siaga.cli.main"]
SCENARIO = "kediri-kota-pilkada-2024"


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    """A fresh, empty database of each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'cli.sqlite3'}"
        return
    admin = _postgres_url()
    if admin is None:
        pytest.skip("PostgreSQL pass only (scripts/test.sh sets DATABASE_URL; CI requires it)")
    import psycopg

    name = f"siaga_cli_{uuid.uuid4().hex[:10]}"
    admin_url = admin.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'create database "{name}"')
    yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'drop database if exists "{name}" with (force)')


def run(args: list[str], db: str, data_dir: Path, check: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ, DATABASE_URL=db, SIAGA_DATA_DIR=str(data_dir), COLUMNS="200")
    result = subprocess.run(SIAGA + args, env=env, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"siaga {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def stats(db: str, data_dir: Path) -> dict:
    return json.loads(run(["stats", "--json"], db, data_dir).stdout)


def import_all(directory: Path, db: str, data_dir: Path) -> list[str]:
    outputs = []
    for table in ("tps", "units", "personnel", "indicators"):
        outputs.append(run(["import", table, str(directory / f"{table}.csv")], db, data_dir).stdout)
    return outputs


def test_export_import_stats_reimport_and_round_trip(tmp_path, database_url):
    """Scenario files import table by table; stats match the published totals; a re-import changes
    nothing; an export imports into a fresh database with the same totals and the same files."""
    data_dir = tmp_path / "var"
    scenario_dir = tmp_path / "kediri"
    run(["scenario", "export", SCENARIO, str(scenario_dir)], database_url, data_dir)
    assert (scenario_dir / "plan.toml").exists() and (scenario_dir / "scenario.toml").exists()
    run(["init"], database_url, data_dir)
    import_all(scenario_dir, database_url, data_dir)

    first = stats(database_url, data_dir)
    assert first["tps"] == 839
    assert first["districts"] == 8
    assert first["villages"] == 46 + 20 + 12 + 9 + 9 + 10
    assert first["personnel"] == {"polri": 576, "tni": 31, "linmas": 1678}
    assert first["units"] > 0

    again = run(["import", "tps", str(scenario_dir / "tps.csv")], database_url, data_dir).stdout
    assert "839" in again  # all unchanged
    assert stats(database_url, data_dir) == first

    exported = tmp_path / "exported"
    run(["export", str(exported)], database_url, data_dir)
    other_db = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    import_all(exported, other_db, tmp_path / "var2")
    assert stats(other_db, tmp_path / "var2") == first
    exported_again = tmp_path / "exported-again"
    run(["export", str(exported_again)], other_db, tmp_path / "var2")
    for name in ("tps.csv", "units.csv", "personnel.csv", "indicators.csv"):
        assert (exported / name).read_text() == (exported_again / name).read_text(), name


def test_bad_file_writes_nothing_and_names_every_problem(tmp_path, database_url):
    """A file with bad rows exits non-zero, lists each problem with row and column, and stores nothing."""
    data_dir = tmp_path / "var"
    scenario_dir = tmp_path / "kediri"
    run(["scenario", "export", SCENARIO, str(scenario_dir)], database_url, data_dir)
    with open(scenario_dir / "tps.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    rows[4]["voters"] = "-5"          # spreadsheet row 6
    rows[9]["lat"] = "48.85"          # row 11: Paris
    rows[11]["tps_id"] = rows[10]["tps_id"]  # row 13: duplicate id
    bad = tmp_path / "tps-bad.csv"
    with open(bad, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    run(["init"], database_url, data_dir)
    result = run(["import", "tps", str(bad)], database_url, data_dir, check=False)
    assert result.returncode != 0
    err = result.stderr
    for row, column in (("6", "voters"), ("11", "lat"), ("13", "tps_id")):
        assert row in err and column in err, err
    assert "tidak ada data yang disimpan" in err
    assert stats(database_url, data_dir)["tps"] == 0

    dry = run(["import", "tps", str(scenario_dir / "tps.csv"), "--dry-run"], database_url, data_dir)
    assert "839" in dry.stdout
    assert stats(database_url, data_dir)["tps"] == 0


def test_corrected_file_updates_in_place(tmp_path, database_url):
    """Importing a corrected file changes just the corrected rows."""
    data_dir = tmp_path / "var"
    scenario_dir = tmp_path / "kediri"
    run(["scenario", "export", SCENARIO, str(scenario_dir)], database_url, data_dir)
    run(["init"], database_url, data_dir)
    run(["import", "tps", str(scenario_dir / "tps.csv")], database_url, data_dir)
    text = (scenario_dir / "tps.csv").read_text(encoding="utf-8").splitlines()
    header = text[0].split(",")
    cells = text[1].split(",")
    cells[header.index("voters")] = "123"
    text[1] = ",".join(cells)
    fixed = tmp_path / "tps-fixed.csv"
    fixed.write_text("\n".join(text) + "\n", encoding="utf-8")
    out = run(["import", "tps", str(fixed)], database_url, data_dir).stdout
    assert " 1 " in out.replace("│", " ")  # one updated row
    with open(fixed, encoding="utf-8") as f:
        expected_voters = sum(int(r["voters"]) for r in csv.DictReader(f))
    assert stats(database_url, data_dir)["voters"] == expected_voters


def test_scenario_list_and_unknown_name(tmp_path):
    """`scenario list` names the shipped scenarios; an unknown name fails clearly."""
    db = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    out = run(["scenario", "list"], db, tmp_path).stdout
    for name in ("kediri-kota-pilkada-2024", "kediri-pilkades-2022", "pekalongan-pilkades-2022"):
        assert name in out
    bad = run(["scenario", "load", "atlantis-2099"], db, tmp_path, check=False)
    assert bad.returncode != 0 and "atlantis-2099" in (bad.stderr + bad.stdout)
