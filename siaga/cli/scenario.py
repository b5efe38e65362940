"""``siaga scenario``: the shipped scenarios and generated synthetic areas."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from siaga.cli.common import console, ensure_schema, fail, progress_bar

app = typer.Typer(help="Shipped scenarios (real places, synthetic people) and generated areas.", no_args_is_help=True)


def _scenario(name: str):
    from siaga.scenarios import load_scenario

    try:
        return load_scenario(name)
    except ValueError as exc:
        raise fail(str(exc)) from None


@app.command("list")
def list_() -> None:
    """The scenarios shipped with Siaga."""
    from siaga.scenarios import list_scenarios

    table = Table(title="Skenario")
    table.add_column("nama")
    table.add_column("judul")
    for name, title in list_scenarios():
        table.add_row(name, title)
    console.print(table)


@app.command()
def load(name: str = typer.Argument(..., help="Scenario name, see `siaga scenario list`.")) -> None:
    """Load a scenario into the database (idempotent: loading it again changes nothing)."""
    scenario = _scenario(name)
    ensure_schema()
    load_into_db(scenario)


def load_into_db(scenario):
    from siaga.cli.data import print_import_report
    from siaga.core.services import cli_actor
    from siaga.dataio.importer import ImportConflict
    from siaga.dataio.scenario_load import scenario_load

    try:
        with progress_bar() as step:
            report, operation = scenario_load(scenario=scenario, actor=cli_actor(), progress=step)
    except ImportConflict as exc:
        for problem in exc.problems:
            console.print(problem, highlight=False, markup=False)
        raise fail("skenario tidak dimuat; tidak ada data yang disimpan.") from None
    print_import_report(report)
    console.print(f"Operasi: [bold]{operation.name}[/] (id {operation.id})")
    return operation


@app.command()
def export(name: str = typer.Argument(..., help="Scenario name."),
           directory: Path = typer.Argument(..., file_okay=False, help="Folder to write into.")) -> None:
    """Write a scenario's CSV files, its plan.toml and scenario.toml (no database needed)."""
    write_scenario(_scenario(name), directory)


def write_scenario(scenario, directory: Path) -> list[Path]:
    from siaga.formats import write_dataset

    directory.mkdir(parents=True, exist_ok=True)
    paths = write_dataset(scenario.dataset, directory)
    for filename, text in (("plan.toml", scenario.plan_toml), ("scenario.toml", scenario.meta_toml())):
        path = directory / filename
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    for path in paths:
        console.print(f"ditulis: {path}")
    return paths


@app.command()
def generate(directory: Path = typer.Argument(..., file_okay=False, help="Folder to write into."),
             tps: int = typer.Option(1000, "--tps", min=10, help="Number of TPS."),
             seed: int = typer.Option(0, "--seed", help="Random seed (same seed, same area).")) -> None:
    """Generate a synthetic area of any size with a realistic shape, as files (labelled synthetic)."""
    from siaga.scenarios import generate_scenario

    with console.status(f"membangkitkan {tps:,} TPS ..."):
        scenario = generate_scenario(tps=tps, seed=seed)
    write_scenario(scenario, directory)
    d = scenario.dataset
    console.print(f"[bold]DATA SINTETIS[/]: {len(d.tps):,} TPS, {len(d.units):,} satuan, {len(d.personnel):,} personel")
