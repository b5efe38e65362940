"""Users and API tokens: ``siaga user create|list|locks|unlock``, ``siaga token create|revoke``."""

from __future__ import annotations

import typer
from rich.table import Table

from siaga.cli.common import console, ensure_schema, fail

user_app = typer.Typer(help="Users: one role each, and a unit whose area they see.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens (Authorization: Bearer ...); only a hash is stored.", no_args_is_help=True)


def _actor() -> str:
    from siaga.core.services import cli_actor

    return cli_actor()


@user_app.command("create")
def user_create(username: str = typer.Argument(..., help="Login name."),
                role: str = typer.Option(..., "--role", help="admin, planner, commander, field_officer or partner."),
                unit: str = typer.Option(None, "--unit", help="Unit id (code), e.g. POLSEK-MOJOROTO; required except for admin."),
                password: str = typer.Option(None, "--password", help="Without it a strong password is generated and printed once."),
                reset: bool = typer.Option(False, "--reset", help="Update an existing user (role, unit, new password)."),
                personnel: str = typer.Option(None, "--personnel",
                                              help="NRP of the person this login belongs to; a field officer reports "
                                                   "for the TPS of that person's posts in the plan.")) -> None:
    """Create a user with a role and a unit (and, for field officers, the person it is)."""
    ensure_schema()
    from django.core.exceptions import ValidationError

    from siaga.accounts.services import user_create as service
    from siaga.forces.models import Personnel, Unit

    person = None
    if personnel:
        person = Personnel.objects.filter(code=personnel).first()
        if person is None:
            raise fail(f"personel '{personnel}' tidak dikenal (lihat kolom personnel_id di data personel)")
    unit_row = None
    if unit:
        unit_row = Unit.objects.filter(code=unit).first()
        if unit_row is None:
            raise fail(f"satuan '{unit}' tidak dikenal (lihat kolom unit id di data satuan)")
    try:
        user, generated = service(username=username, role=role, unit=unit_row, password=password,
                                  actor=_actor(), reset=reset, personnel=person)
    except ValidationError as exc:
        raise fail("; ".join(exc.messages)) from None
    who = f", personel {person.code} {person.name}" if person else ""
    console.print(f"Pengguna [bold]{user.username}[/] ({role}{', ' + unit_row.code if unit_row else ''}{who}) dibuat.")
    if not password:
        console.print(f"Kata sandi (hanya ditampilkan sekali): [bold]{generated}[/]", highlight=False)


@user_app.command("list")
def user_list() -> None:
    """All users with role, unit and state."""
    ensure_schema()
    from siaga.accounts.selectors import user_list as selector
    from siaga.accounts.selectors import user_role, user_unit

    table = Table(title="Pengguna")
    for column in ("username", "peran", "satuan", "personel", "aktif", "terakhir masuk"):
        table.add_column(column)
    for user in selector():
        unit = user_unit(user)
        person = getattr(getattr(user, "siaga_profile", None), "personnel", None)
        table.add_row(user.username, user_role(user) or "-", unit.code if unit else "-", person.code if person else "-",
                      "ya" if user.is_active else "tidak",
                      f"{user.last_login:%Y-%m-%d %H:%M}" if user.last_login else "-")
    console.print(table)


@user_app.command("locks")
def user_locks() -> None:
    """Usernames locked now, each from the address that failed (5 failures in 15 minutes)."""
    ensure_schema()
    from siaga.accounts.selectors import lockouts_current

    rows = lockouts_current()
    if not rows:
        console.print("Tidak ada akun yang terkunci.")
        return
    table = Table(title="Akun terkunci (per alamat)")
    for column in ("username", "alamat", "gagal", "terakhir"):
        table.add_column(column)
    for username, address, failures, at in rows:
        table.add_row(username or "-", address or "-", str(failures), f"{at:%Y-%m-%d %H:%M:%S}")
    console.print(table)


@user_app.command("unlock")
def user_unlock(username: str = typer.Argument(..., help="Login name to unlock."),
                ip: str = typer.Option(None, "--ip", help="Only the lock from this address (default: all).")) -> None:
    """Clear a lock-out now instead of waiting 15 minutes (recorded in the audit trail)."""
    ensure_schema()
    from siaga.accounts.services import user_unlock as service

    cleared = service(username=username, ip=ip, actor=_actor())
    where = f" dari {ip}" if ip else ""
    console.print(f"{username}{where}: {cleared} penghitung kunci dihapus." if cleared
                  else f"{username}{where} tidak sedang terkunci.")


@token_app.command("create")
def token_create(username: str = typer.Argument(..., help="Whose token.")) -> None:
    """Make a new API token and print it once."""
    ensure_schema()
    from django.contrib.auth import get_user_model

    from siaga.accounts.services import token_create as service

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise fail(f"pengguna '{username}' tidak dikenal")
    token, raw = service(user=user, actor=_actor())
    console.print(f"Token untuk {username} (awalan {token.prefix}); simpan sekarang, tidak ditampilkan lagi:")
    console.print(raw, highlight=False, soft_wrap=True)


@token_app.command("revoke")
def token_revoke(prefix_or_username: str = typer.Argument(..., help="A token prefix (sg_...) or a username (all its tokens).")) -> None:
    """Revoke a token by its prefix, or every token of a user."""
    ensure_schema()
    from django.core.exceptions import ValidationError

    from siaga.accounts.services import token_revoke as service

    try:
        count = service(prefix_or_username=prefix_or_username, actor=_actor())
    except ValidationError as exc:
        raise fail("; ".join(exc.messages)) from None
    console.print(f"Dicabut: {count} token")
