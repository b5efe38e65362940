"""The ``siaga`` command line: the front door to everything Siaga does."""

from __future__ import annotations

import re
import sys

import typer

from siaga.cli import accounts, adjust, data, demo, escort, plan, scenario

app = typer.Typer(
    name="siaga",
    help="Siaga: plan, command and evaluate election security (Polri, TNI, Linmas).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

app.command("init")(data.init)
app.command("import")(data.import_file)
app.command("export")(data.export)
app.command("stats")(data.stats)
app.command("serve")(data.serve)
app.command("demo")(demo.demo)
app.command("plan")(plan.plan)
app.add_typer(scenario.app, name="scenario")
app.add_typer(adjust.pin_app, name="pin")
app.add_typer(adjust.personnel_app, name="personnel")
app.add_typer(adjust.tps_app, name="tps")
app.add_typer(accounts.user_app, name="user")
app.add_typer(accounts.token_app, name="token")
app.add_typer(escort.app, name="escort")


def _database_hint(exc: Exception) -> str:
    """One line saying which database does not answer (password hidden) and what to do."""
    from siaga import conf

    url = conf.database_url()
    shown = re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return (f"siaga: basis data {shown} tidak dapat dipakai ({first}). Apakah server basis data berjalan dan "
            "DATABASE_URL benar? Lihat docs/configuration.md.")


def main() -> None:
    """The ``siaga`` entry point: the Typer app, with a database that does not answer said in one line (exit 2)
    instead of a traceback."""
    from django.db import InterfaceError, OperationalError

    try:
        app()
    except (OperationalError, InterfaceError) as exc:
        print(_database_hint(exc), file=sys.stderr)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
