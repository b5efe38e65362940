"""``siaga demo``: initialise the embedded database, load the Kediri Kota scenario, show what is there."""

from __future__ import annotations

from siaga.cli.common import console, ensure_schema

DEMO_SCENARIO = "kediri-kota-pilkada-2024"


def demo() -> None:
    """Set up the database, load Polres Kediri Kota's Pilkada 2024 and print where to look next."""
    from siaga.cli.data import stats
    from siaga.cli.scenario import _scenario, load_into_db

    ensure_schema()
    from django.conf import settings

    scenario = _scenario(DEMO_SCENARIO)
    console.rule(f"[bold]Siaga demo[/]: {scenario.title}")
    operation = load_into_db(scenario)
    stats(as_json=False)
    plan_demo_operation(operation, settings.DATA_DIR / "plans" / DEMO_SCENARIO)
    console.print("[yellow]Nama orang, NRP dan koordinat dalam skenario ini adalah DATA SINTETIS; "
                  "nama wilayah dan angka resmi adalah nyata.[/]")
    console.print(f"Basis data: {settings.DATABASES['default']['NAME']}")
    console.print("Selanjutnya: buka [bold]brief.html[/] dan [bold]plan.xlsx[/] di folder di atas; "
                  f"ubah lalu rencanakan ulang: [bold].venv/bin/siaga personnel status NRP sick[/], "
                  f"[bold].venv/bin/siaga plan --operation {operation.pk} --out out/[/]; "
                  "[bold].venv/bin/siaga serve[/] (admin di http://127.0.0.1:8000/admin/).")


def plan_demo_operation(operation, out) -> None:
    """Plan the loaded operation as a new stored version and write its four outputs."""
    from siaga.cli.common import progress_bar
    from siaga.cli.plan import print_summary, write_outputs
    from siaga.core.services import cli_actor
    from siaga.deployments.services import plan_create

    console.rule("[bold]Rencana pengamanan[/]")
    with progress_bar() as step:
        plan = plan_create(operation=operation, actor=cli_actor(),
                           progress=lambda stage, frac: step(stage, int(frac * 100), 100))
    console.print(f"Disimpan sebagai [bold]{operation.name} versi {plan.version}[/] (pola {plan.pattern})")
    write_outputs(plan.document, out)
    print_summary(plan.document, out)
