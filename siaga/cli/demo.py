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
    load_into_db(scenario)
    stats(as_json=False)
    console.print("[yellow]Nama orang, NRP dan koordinat dalam skenario ini adalah DATA SINTETIS; "
                  "nama wilayah dan angka resmi adalah nyata.[/]")
    console.print(f"Basis data: {settings.DATABASES['default']['NAME']}")
    console.print("Selanjutnya: [bold].venv/bin/siaga stats[/], [bold].venv/bin/siaga export out/[/], "
                  "[bold].venv/bin/siaga serve[/] (admin di http://127.0.0.1:8000/admin/).")
