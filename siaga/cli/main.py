"""The ``siaga`` command line: the front door to everything Siaga does."""

from __future__ import annotations

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


if __name__ == "__main__":
    app()
