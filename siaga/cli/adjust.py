"""Hand adjustments before a re-plan: pins, personnel status, manual TPS categories."""

from __future__ import annotations

import typer
from rich.table import Table

from siaga.cli.common import console, ensure_schema, fail

pin_app = typer.Typer(help="Pin a person or a TPS to a post; the next plan keeps it.", no_args_is_help=True)
personnel_app = typer.Typer(help="Personnel: status changes.", no_args_is_help=True)
tps_app = typer.Typer(help="TPS: manual vulnerability category.", no_args_is_help=True)


def _operation(operation_id: int):
    ensure_schema()
    from siaga.deployments.selectors import operation_get

    try:
        return operation_get(operation_id)
    except ValueError as exc:
        raise fail(str(exc)) from None


def _call(service, **kwargs):
    from django.core.exceptions import ValidationError

    from siaga.core.services import cli_actor

    try:
        return service(actor=cli_actor(), **kwargs)
    except ValidationError as exc:
        raise fail("; ".join(exc.messages)) from None


@pin_app.command("add")
def pin_add(operation: int = typer.Option(..., "--operation", help="Operation id."),
            post: str = typer.Option(..., "--post", help="Post id from the latest plan, e.g. P-35.71.01.1001-KR-01."),
            person: str = typer.Option(None, "--person", help="NRP of the person to pin."),
            tps: str = typer.Option(None, "--tps", help="Id of the TPS to pin."),
            reason: str = typer.Option("", "--reason", help="Why (kept in the audit trail).")) -> None:
    """Pin a person (or a TPS) to a post of the latest plan."""
    from siaga.deployments.services import pin_add as service

    pin = _call(service, operation=_operation(operation), post_id=post, personnel_code=person, tps_code=tps,
                reason=reason)
    console.print(f"Dipatok: {pin}")


@pin_app.command("remove")
def pin_remove(operation: int = typer.Option(..., "--operation"), person: str = typer.Option(None, "--person"),
               tps: str = typer.Option(None, "--tps")) -> None:
    """Remove a pin."""
    from siaga.deployments.services import pin_remove as service

    count = _call(service, operation=_operation(operation), personnel_code=person, tps_code=tps)
    console.print(f"Dihapus: {count}")


@pin_app.command("list")
def pin_list(operation: int = typer.Option(..., "--operation")) -> None:
    """The pins of an operation."""
    from siaga.deployments.models import Pin

    table = Table(title="Patokan")
    for column in ("target", "pos", "alasan", "oleh"):
        table.add_column(column)
    for pin in Pin.objects.filter(operation=_operation(operation)).select_related("personnel", "tps"):
        table.add_row(str(pin.personnel or pin.tps), pin.post_id, pin.reason, pin.created_by)
    console.print(table)


@personnel_app.command("status")
def personnel_status(code: str = typer.Argument(..., help="NRP / personnel id."),
                     status: str = typer.Argument(..., help="available, leave, sick or training."),
                     reason: str = typer.Option("", "--reason")) -> None:
    """Mark someone sick, on leave, in training, or available again."""
    ensure_schema()
    from siaga.forces.services import personnel_set_status

    person = _call(personnel_set_status, code=code, status=status, reason=reason)
    console.print(f"{person}: {person.get_status_display()}")


@tps_app.command("category")
def tps_category(code: str = typer.Argument(..., help="TPS id."),
                 category: str = typer.Argument(..., help="kurang_rawan, rawan, sangat_rawan, khusus or 'auto'."),
                 reason: str = typer.Option("", "--reason", help="Required unless 'auto'.")) -> None:
    """Override a TPS's computed category (recorded with its reason), or return it to 'auto'."""
    ensure_schema()
    from siaga.risk.services import tps_set_category

    tps = _call(tps_set_category, code=code, category=None if category == "auto" else category, reason=reason)
    console.print(f"{tps}: {tps.manual_category or 'otomatis'}")
