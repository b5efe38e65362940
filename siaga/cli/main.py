"""The ``siaga`` command line: the front door to everything Siaga does."""

from __future__ import annotations

import typer

from siaga.cli import data, demo, scenario

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
app.add_typer(scenario.app, name="scenario")


if __name__ == "__main__":
    app()
