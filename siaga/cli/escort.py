"""`siaga escort`: build the ballot-logistics escort legs of an operation and list them (late ones in red)."""

from __future__ import annotations

import datetime as dt

import typer
from rich.table import Table

from siaga.cli.adjust import _operation
from siaga.cli.common import console, fail

app = typer.Typer(help="Pengawalan logistik: legs KPU warehouse -> PPK -> PPS -> TPS and back.", no_args_is_help=True)

STATE_STYLE = {"planned": "", "departed": "cyan", "arrived": "green", "missing": "bold red"}


def _moment(text: str | None) -> dt.datetime:
    from django.utils import timezone

    if not text:
        return timezone.now()
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise fail(f"--at: '{text}' bukan waktu ISO-8601 (mis. 2024-11-27T06:30)") from None
    return timezone.make_aware(value) if timezone.is_naive(value) else value


@app.command("plan")
def plan(operation: int = typer.Option(..., "--operation", help="Operation id.")) -> None:
    """Build or update the escort legs of an operation from its TPS and plan (re-running adds no duplicates)."""
    op = _operation(operation)
    from django.core.exceptions import ValidationError

    from siaga.core.services import cli_actor
    from siaga.escort.services import escort_plan_generate

    try:
        report = escort_plan_generate(operation=op, actor=cli_actor())
    except ValidationError as exc:
        raise fail("; ".join(exc.messages)) from None
    table = Table(title=f"Pengawalan logistik — {op.name}")
    table.add_column("")
    table.add_column("jumlah", justify="right")
    labels = {"legs": "kaki pengawalan", "created": "baru", "updated": "diperbarui", "unchanged": "tetap",
              "kept_under_way": "sudah berjalan (tidak diubah)", "removed": "dihapus (data tidak ada lagi)",
              "without_escort": "tanpa pengawal", "dropped_unavailable": "personel rencana tidak siap (dilewati)"}
    for key, label in labels.items():
        table.add_row(label, str(getattr(report, key)))
    console.print(table)
    if report.plan_version is None:
        console.print("[yellow]Belum ada rencana pengamanan: kaki dibuat tanpa pengawal. "
                      "Jalankan `siaga plan --operation ID` lalu ulangi perintah ini.[/]")
    else:
        console.print(f"Pengawal diusulkan dari rencana versi {report.plan_version}.")


@app.command("list")
def list_legs(operation: int = typer.Option(..., "--operation", help="Operation id."),
              late: bool = typer.Option(False, "--late", help="Only legs late at --at (default: now)."),
              at: str = typer.Option(None, "--at", help="Reference time, ISO-8601 (default now; for exercises)."),
              district: str = typer.Option("", "--district", help="District code, e.g. 35.71.01."),
              state: str = typer.Option("", "--state", help="planned, departed, arrived or missing."),
              limit: int = typer.Option(200, "--limit", min=1, help="Rows to print at most.")) -> None:
    """The legs of an operation by district, with planned times and state; late legs in red."""
    op = _operation(operation)
    from django.utils import timezone

    from siaga.escort.models import Leg
    from siaga.escort.selectors import LegFilter, filter_legs, lateness

    moment = _moment(at)
    if state and state not in Leg.State.values:
        raise fail(f"--state: '{state}' tidak dikenal; pilih: {', '.join(Leg.State.values)}")
    qs = filter_legs(Leg.objects.filter(operation=op).select_related("district").prefetch_related("escorts"),
                     LegFilter(district=district, state=state, late=late), moment)
    total = qs.count()
    tz = timezone.get_current_timezone()
    table = Table(title=f"Kaki pengawalan — {op.name} (acuan {moment.astimezone(tz):%Y-%m-%d %H:%M})")
    for column in ("kecamatan", "dari", "ke", "rencana berangkat", "rencana tiba", "status", "pengawal"):
        table.add_column(column)
    for leg in qs[:limit]:
        overdue = lateness(leg, moment)
        style = "bold red" if overdue or leg.state == Leg.State.MISSING else STATE_STYLE.get(leg.state, "")
        status = leg.get_state_display() + (f" — TERLAMBAT ({'tiba' if overdue == 'arrival' else 'berangkat'})"
                                            if overdue else "")
        table.add_row(leg.district.name, leg.from_name, leg.to_name,
                      f"{leg.planned_departure.astimezone(tz):%d-%m %H:%M}",
                      f"{leg.planned_arrival.astimezone(tz):%d-%m %H:%M}", status,
                      str(len(leg.escorts.all())), style=style)
    console.print(table)
    shown = min(total, limit)
    console.print(f"{shown} dari {total} kaki ditampilkan." if total else
                  "Tidak ada kaki pengawalan yang cocok (jalankan `siaga escort plan --operation ID`).")
