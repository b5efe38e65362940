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
    print_demo_users(operation)
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


def print_demo_users(operation) -> None:
    """Create (or reset) one login per role in the demo's Polres and print the passwords once."""
    from rich.table import Table

    from siaga.accounts.services import demo_users_create
    from siaga.forces.models import Unit

    polres = operation.commanding_unit
    if polres is None:
        console.print("[yellow]Operasi tanpa satuan komando; pengguna demo tidak dibuat.[/]")
        return
    units = Unit.objects.filter(parent=polres).order_by("code")
    polsek = units.filter(level="polsek").first()
    person, post = demo_field_person(operation)
    field = person.unit if person else (Unit.objects.filter(level="koramil").order_by("code").first() or polsek)
    users = demo_users_create(unit_for_role={"admin": polres, "planner": polres, "commander": polsek,
                                             "field_officer": field, "partner": polres},
                              personnel_for_role={"field_officer": person})
    table = Table(title="Pengguna demo (kata sandi hanya ditampilkan sekali)")
    for column in ("pengguna", "kata sandi"):
        table.add_column(column)
    for username, password in users.items():
        table.add_row(username, password)
    console.print(table)
    if person is not None:
        console.print(f"petugas = {person.rank} {person.name} (NRP {person.code}, sintetis) di pos {post['id']}: "
                      f"TPS {', '.join(post['tps'])}; lapor dari http://127.0.0.1:8000/lapangan/", highlight=False)
    console.print("Masuk di http://127.0.0.1:8000/login/ ; API: http://127.0.0.1:8000/api/v1/docs (lihat docs/api.md).")


def demo_field_person(operation):
    """(person, post) for the demo field officer: the Polsek Polri standing at the first post of the current plan that
    has one (so its login reports for real TPS), or (None, None)."""
    from siaga.deployments.models import Plan
    from siaga.forces.models import Personnel

    plan = Plan.objects.current(operation)
    if plan is None:
        return None, None
    posts = {p["id"]: p for p in plan.document.get("posts", [])}
    codes = [a["personnel"] for a in plan.document.get("assignments", []) if a.get("force") == "polri"]
    people = {p.code: p for p in Personnel.objects.select_related("unit").filter(code__in=codes, unit__level="polsek")}
    for a in sorted(plan.document.get("assignments", []), key=lambda a: (a.get("post", ""), a["personnel"])):
        if a["personnel"] in people and a.get("post") in posts:
            return people[a["personnel"]], posts[a["post"]]
    return None, None
