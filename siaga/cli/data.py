"""Commands that move data in and out of the database: init, import, export, stats."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from siaga.cli.common import console, ensure_schema, err_console, fail, progress_bar, setup_django
from siaga.serving import granian_argv, granian_env

TABLE_CHOICES = ("tps", "units", "personnel", "indicators")


def init(verbose: bool = typer.Option(False, "--verbose", "-v", help="Show each migration.")) -> None:
    """Create or upgrade the database and load the indicator catalogue."""
    ensure_schema(verbose)
    from django.conf import settings

    db = settings.DATABASES["default"]
    where = db["NAME"] if db["ENGINE"].endswith("sqlite3") else f"{db.get('HOST')}/{db['NAME']}"
    console.print(f"Basis data siap: [bold]{where}[/]")


def import_file(
    table: str = typer.Argument(..., help="What the file holds: tps, units, personnel or indicators."),
    path: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True, help="A CSV or XLSX file."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Validate and count changes, write nothing."),
) -> None:
    """Import one CSV/XLSX file. Any error: nothing is written, every problem is listed, exit code 1."""
    if table not in TABLE_CHOICES:
        raise fail(f"jenis tabel '{table}' tidak dikenal; pilih salah satu: {', '.join(TABLE_CHOICES)}", 2)
    ensure_schema()
    from siaga.dataio.importer import ImportConflict, import_dataset
    from siaga.dataio.selectors import known_refs
    from siaga.formats import InputError, read_table

    try:
        result = read_table(table, path, known=known_refs())
    except InputError as exc:
        err_console.print(exc.report(), highlight=False, markup=False)
        raise fail(f"{path.name}: {len(exc.problems)} masalah; tidak ada data yang disimpan.") from None
    for warning in result.warnings:
        err_console.print(f"[yellow]Peringatan:[/] {warning}", highlight=False)
    _run_import(result.dataset, source=str(path), dry_run=dry_run, import_dataset=import_dataset,
                conflict=ImportConflict)


def _run_import(dataset, *, source: str, dry_run: bool, import_dataset, conflict) -> None:
    from siaga.core.services import cli_actor

    try:
        with progress_bar() as step:
            report = import_dataset(dataset=dataset, actor=cli_actor(), source=source, dry_run=dry_run, progress=step)
    except conflict as exc:
        for problem in exc.problems:
            err_console.print(problem, highlight=False, markup=False)
        raise fail("impor dibatalkan; tidak ada data yang disimpan.") from None
    print_import_report(report)


def print_import_report(report) -> None:
    table = Table(title="Uji coba (tidak disimpan)" if report.dry_run else "Hasil impor")
    for column in ("tabel", "baru", "diubah", "tetap"):
        table.add_column(column, justify="right" if column != "tabel" else "left")
    for name, counts in report.tables.items():
        table.add_row(name, str(counts.created), str(counts.updated), str(counts.unchanged))
    console.print(table)


def export(directory: Path = typer.Argument(..., file_okay=False, help="Folder to write the CSV files into."),
           xlsx: bool = typer.Option(False, "--xlsx", help="Also write one workbook, siaga.xlsx.")) -> None:
    """Write everything stored as tps.csv, units.csv, personnel.csv and indicators.csv (importable again)."""
    ensure_schema()
    from siaga.dataio.selectors import stored_dataset
    from siaga.formats import write_dataset, write_workbook

    dataset = stored_dataset()
    directory.mkdir(parents=True, exist_ok=True)
    paths = write_dataset(dataset, directory)
    if xlsx:
        paths.append(write_workbook(dataset, directory / "siaga.xlsx"))
    for path in paths:
        console.print(f"ditulis: {path}")


def stats(as_json: bool = typer.Option(False, "--json", help="Print one JSON object.")) -> None:
    """Counts of what is stored."""
    ensure_schema()
    from siaga.dataio.selectors import stats as read_stats
    from siaga.deployments.models import Plan

    data = {**read_stats(), "plans": Plan.objects.count()}
    if as_json:
        print(json.dumps(data, ensure_ascii=False))
        return
    table = Table(title="Isi basis data" + (" (DATA SINTETIS)" if data["synthetic"] else ""))
    table.add_column("apa")
    table.add_column("jumlah", justify="right")
    for key in ("regencies", "districts", "villages", "tps", "voters", "units", "indicator_values", "elections",
                "operations", "plans"):
        table.add_row(key, f"{data[key]:,}")
    for force, n in data["personnel"].items():
        table.add_row(f"personel {force}", f"{n:,} (siap {data['available'][force]:,})")
    console.print(table)


def serve(host: str = typer.Option("127.0.0.1", help="Address to listen on."),
          port: int = typer.Option(8000, help="Port to listen on."),
          workers: int = typer.Option(0, help="0 = Django's development server; N > 0 = Granian with N worker "
                                              "processes (production; live pages hold a thread each)."),
          threads: int = typer.Option(8, help="Threads per worker that run Django (with --workers).")) -> None:
    """Run the web server: Django's server for a laptop, or Granian (--workers N) for an office or command post."""
    ensure_schema()
    if workers > 0:
        import os
        import sys

        argv = [sys.executable, *granian_argv(host=host, port=port, workers=workers, threads=threads),
                "--access-log"]
        os.environ["SIAGA_WARMUP"] = "1"  # each worker parses the current plans as it starts (siaga.wsgi)
        os.environ.update(granian_env(threads=threads))
        os.execv(sys.executable, argv)  # replaces this process: signals reach Granian directly
    setup_django()
    from django.core.management import call_command

    call_command("runserver", f"{host}:{port}", use_reloader=False)
