"""`siaga plan` on files, as a user runs it: outputs, bad input, re-planning with pins."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

SIAGA = [sys.executable, "-m", "siaga.cli.main"]


def run(args: list[str], tmp_path: Path, check: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ, SIAGA_DATA_DIR=str(tmp_path / "var"), COLUMNS="200")
    env.pop("DATABASE_URL", None)
    result = subprocess.run(SIAGA + args, env=env, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"siaga {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture(scope="module")
def kediri_dir(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("kediri")
    run(["scenario", "export", "kediri-kota-pilkada-2024", str(directory)], directory)
    return directory


def test_plan_from_files_writes_four_outputs_without_a_database(kediri_dir, tmp_path):
    """The plan runs on files alone, picks up the folder's plan.toml and writes its four outputs."""
    out = tmp_path / "out"
    result = run(["plan", "--input", str(kediri_dir), "--out", str(out)], tmp_path)
    assert not (tmp_path / "var" / "siaga.sqlite3").exists()
    for name in ("plan.json", "plan.xlsx", "plan.geojson", "brief.html"):
        assert (out / name).stat().st_size > 0, name
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert plan["schema"] == "siaga.plan/1" and plan["params"]["pattern"] == "kediri-kota-2024"
    assert plan["summary"]["tps"] == 839 and plan["summary"]["required"]["linmas"] == 1678
    assert "DATA SINTETIS" in result.stdout
    sheets = openpyxl.load_workbook(out / "plan.xlsx", read_only=True).sheetnames
    assert sheets[0] == "Ringkasan" and "Polsek Mojoroto" in sheets and "Kekurangan" in sheets
    brief = (out / "brief.html").read_text(encoding="utf-8")
    assert "http://" not in brief and "https://" not in brief


def test_same_input_and_seed_give_the_same_plan(kediri_dir, tmp_path):
    """Two runs with the same input and seed write the same plan.json (but for the runtime)."""
    docs = []
    for name in ("a", "b"):
        run(["plan", "--input", str(kediri_dir), "--out", str(tmp_path / name), "--seed", "3"], tmp_path)
        doc = json.loads((tmp_path / name / "plan.json").read_text(encoding="utf-8"))
        doc["summary"].pop("runtime_s")
        docs.append(doc)
    assert docs[0] == docs[1]


def test_pattern_override_and_bad_config(kediri_dir, tmp_path):
    """--pattern replaces the configured pattern; an unknown one fails with the known names."""
    run(["plan", "--input", str(kediri_dir), "--out", str(tmp_path / "o"), "--pattern", "jakbar-2024"], tmp_path)
    plan = json.loads((tmp_path / "o" / "plan.json").read_text(encoding="utf-8"))
    assert plan["params"]["pattern"] == "jakbar-2024"
    bad = run(["plan", "--input", str(kediri_dir), "--out", str(tmp_path / "x"), "--pattern", "nope"], tmp_path,
              check=False)
    assert bad.returncode != 0 and "mabes-2019" in bad.stderr


def test_bad_input_file_is_reported_and_no_plan_written(kediri_dir, tmp_path):
    """A broken personnel file stops the plan with row-level problems and writes no output."""
    broken = tmp_path / "broken"
    broken.mkdir()
    for path in kediri_dir.iterdir():
        (broken / path.name).write_bytes(path.read_bytes())
    lines = (broken / "personnel.csv").read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[3] = "Laksamana"  # not a rank of the person's force
    lines[1] = ",".join(cells)
    (broken / "personnel.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(["plan", "--input", str(broken), "--out", str(tmp_path / "out")], tmp_path, check=False)
    assert result.returncode != 0
    assert "personnel.csv" in result.stderr and "baris 2" in result.stderr and "rank" in result.stderr
    assert not (tmp_path / "out").exists()


def test_replan_with_previous_and_pins(kediri_dir, tmp_path):
    """Re-planning from files keeps a pinned person at its post and reports how many moved."""
    run(["plan", "--input", str(kediri_dir), "--out", str(tmp_path / "v1")], tmp_path)
    first = json.loads((tmp_path / "v1" / "plan.json").read_text(encoding="utf-8"))
    posts = {p["id"]: p for p in first["posts"]}
    person = next(a for a in first["assignments"] if a["role"] == "polri")
    here = posts[person["post"]]
    target = next(p for p in first["posts"] if p["unit"] == here["unit"] and p["village"] != here["village"])
    pins = tmp_path / "pins.csv"
    pins.write_text(f"kind,id,post\nperson,{person['personnel']},{target['id']}\n", encoding="utf-8")
    run(["plan", "--input", str(kediri_dir), "--out", str(tmp_path / "v2"), "--previous",
         str(tmp_path / "v1" / "plan.json"), "--pins", str(pins)], tmp_path)
    second = json.loads((tmp_path / "v2" / "plan.json").read_text(encoding="utf-8"))
    where = {a["personnel"]: a["post"] for a in second["assignments"]}
    assert where[person["personnel"]] == target["id"]
    assert 1 <= second["summary"]["moved"] <= 10
