"""``siaga plan``: the deployment plan, from files or from the database, written as four outputs."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from siaga.cli.common import console, ensure_schema, err_console, fail

OUTPUTS = ("plan.json", "plan.xlsx", "plan.geojson", "brief.html")


def plan(
    input_path: Path = typer.Option(None, "--input", exists=True, help="Folder of CSV files or one XLSX workbook."),
    operation: int = typer.Option(None, "--operation", help="Plan an operation stored in the database (new version)."),
    out: Path = typer.Option(..., "--out", file_okay=False, help="Folder for plan.json, plan.xlsx, plan.geojson, brief.html."),
    config_path: Path = typer.Option(None, "--config", exists=True, dir_okay=False,
                                     help="plan.toml (default: INPUT/plan.toml if present, else the operation's)."),
    pattern: str = typer.Option(None, "--pattern", help="A pattern preset that replaces the configured one."),
    seed: int = typer.Option(None, "--seed", help="Seed (same input and seed give the same plan)."),
    previous: Path = typer.Option(None, "--previous", exists=True, dir_okay=False,
                                  help="Files only: an earlier plan.json to re-plan around (moves as few people as it must)."),
    pins_path: Path = typer.Option(None, "--pins", exists=True, dir_okay=False,
                                   help="Files only: pins.csv with columns kind (person|tps), id, post."),
) -> None:
    """Score every TPS, form posts under the pattern, assign people, form reserves; write the plan."""
    if (input_path is None) == (operation is None):
        raise fail("sebutkan tepat satu: --input FOLDER|FILE.xlsx atau --operation ID", 2)
    from siaga.planning.config import ConfigError
    from siaga.planning.model import PlanInputError

    try:
        if input_path is not None:
            document = _plan_files(input_path, config_path, pattern, seed, previous, pins_path)
        else:
            document = _plan_operation(operation, config_path, pattern, seed)
    except (ConfigError, PlanInputError) as exc:
        raise fail(str(exc)) from None
    write_outputs(document, out)
    print_summary(document, out)


def _progress():
    from siaga.cli.common import progress_bar

    return progress_bar()


def _plan_files(input_path: Path, config_path: Path | None, pattern: str | None, seed: int | None,
                previous: Path | None, pins_path: Path | None) -> dict:
    from siaga.formats import InputError, KnownRefs, read_dataset
    from siaga.planning.catalogue import file_codes
    from siaga.planning.config import load_plan_config
    from siaga.planning.run import plan_dataset

    try:
        result = read_dataset(input_path, known=KnownRefs(indicator_codes=frozenset(file_codes())))
    except InputError as exc:
        err_console.print(exc.report(), highlight=False, markup=False)
        raise fail(f"{input_path}: {len(exc.problems)} masalah pada data masukan; rencana tidak dibuat.") from None
    for warning in result.warnings:
        err_console.print(f"[yellow]Peringatan:[/] {warning}", highlight=False)
    if config_path is None and input_path.is_dir() and (input_path / "plan.toml").exists():
        config_path = input_path / "plan.toml"
    config = load_plan_config(config_path, pattern_override=pattern, seed_override=seed)
    earlier = json.loads(previous.read_text(encoding="utf-8")) if previous else None
    with _progress() as step:
        return plan_dataset(result.dataset, config, pins=read_pins(pins_path) if pins_path else None,
                            previous=earlier, source=input_path.name,
                            progress=lambda stage, frac: step(stage, int(frac * 100), 100))


def read_pins(path: Path):
    """pins.csv: kind (person|tps), id, post — one pin a row."""
    import csv

    from siaga.planning.model import Pins

    person, tps = {}, {}
    with open(path, encoding="utf-8-sig", newline="") as f:
        for row_number, row in enumerate(csv.DictReader(f), start=2):
            kind, ident, post = (row.get(k, "").strip() for k in ("kind", "id", "post"))
            if kind not in ("person", "tps") or not ident or not post:
                raise fail(f"{path.name}, baris {row_number}: butuh kolom kind (person|tps), id dan post")
            (person if kind == "person" else tps)[ident] = post
    return Pins(person_post=person, tps_post=tps)


def _plan_operation(operation_id: int, config_path: Path | None, pattern: str | None, seed: int | None) -> dict:
    ensure_schema()
    from siaga.core.services import cli_actor
    from siaga.deployments.selectors import operation_get
    from siaga.deployments.services import plan_create

    try:
        operation = operation_get(operation_id)
    except ValueError as exc:
        raise fail(str(exc)) from None
    text = config_path.read_text(encoding="utf-8") if config_path else None
    with _progress() as step:
        stored = plan_create(operation=operation, actor=cli_actor(), config_text=text, pattern=pattern, seed=seed,
                             progress=lambda stage, frac: step(stage, int(frac * 100), 100))
    console.print(f"Disimpan sebagai [bold]{operation.name} versi {stored.version}[/]")
    return stored.document


def write_outputs(document: dict, out: Path) -> list[Path]:
    from siaga.reports import write_reports

    out.mkdir(parents=True, exist_ok=True)
    (out / "plan.json").write_text(json.dumps(document, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    write_reports(document, out)
    return [out / name for name in OUTPUTS]


def print_summary(document: dict, out: Path) -> None:
    s = document["summary"]
    title = "Ringkasan rencana" + (" — DATA SINTETIS" if document.get("synthetic") else "")
    table = Table(title=title)
    table.add_column("")
    for force in ("polri", "tni", "linmas", "commander"):
        table.add_column(force, justify="right")
    for label, key in (("dibutuhkan", "required"), ("ditugaskan", "assigned"), ("kurang", "unmet")):
        table.add_row(label, *(f"{s[key].get(f, 0):,}" for f in ("polri", "tni", "linmas", "commander")))
    table.add_row("tersedia", *(f"{s['available'].get(f, 0):,}" for f in ("polri", "tni", "linmas")), "")
    console.print(table)
    cats = ", ".join(f"{k} {v:,}" for k, v in s["tps_by_category"].items())
    console.print(f"TPS {s['tps']:,} ({cats}); pos {s['posts']:,}; cadangan {s['reserve_squads']} regu "
                  f"({s['reserve_strength']:,} personel); jarak total {s['travel_km_total']:,.1f} km, "
                  f"radius pos maks {s['max_post_radius_km']:.2f} km; waktu {s['runtime_s']:.2f} s")
    if s.get("moved") is not None:
        console.print(f"Personel berpindah dibanding versi sebelumnya: {s['moved']}")
    stage = s.get("stage_check") or {}
    if stage:
        colour = "green" if stage.get("ok") else "red"
        console.print(f"[{colour}]{stage.get('message', '')}[/]")
    for need in s.get("bko_needed", []):
        console.print(f"[red]BKO dibutuhkan[/]: {need['count']} {need['force']} di {need.get('district_name', need['district'])}")
    console.print(f"Keluaran: {', '.join(str(out / n) for n in OUTPUTS)}")
