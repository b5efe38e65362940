"""Users, tokens and demo users (services) and the CLI commands that call them."""

from __future__ import annotations

import hashlib

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from typer.testing import CliRunner

from siaga.accounts.models import ApiToken, Profile
from siaga.accounts.selectors import user_role
from siaga.accounts.services import demo_users_create, token_create, token_revoke, token_user, user_create
from siaga.cli.main import app
from siaga.core.models import AuditEvent
from tests.db.factories import UnitFactory

pytestmark = pytest.mark.django_db


def test_user_create_rules():
    """A role must be known, non-admins need a unit, usernames are unique, weak passwords are refused."""
    unit = UnitFactory()
    with pytest.raises(ValidationError, match="tidak dikenal"):
        user_create(username="a", role="boss", unit=unit, actor="t")
    with pytest.raises(ValidationError, match="satuan"):
        user_create(username="a", role="planner", actor="t")
    with pytest.raises(ValidationError, match="kata sandi"):
        user_create(username="a", role="planner", unit=unit, password="123", actor="t")
    user, password = user_create(username="a", role="planner", unit=unit, actor="t")
    assert len(password) >= 16 and authenticate(username="a", password=password) == user
    with pytest.raises(ValidationError, match="sudah ada"):
        user_create(username="a", role="planner", unit=unit, actor="t")
    assert AuditEvent.objects.filter(action="user.create", target="user:a").exists()


def test_admin_needs_no_unit_and_is_staff():
    """An admin may have no unit and gets the Django admin."""
    user, _ = user_create(username="root", role="admin", actor="t")
    assert user.is_staff and user.is_superuser and user_role(user) == "admin"


def test_token_is_stored_as_hash_and_revocable():
    """Only sha256 and a prefix are stored; the token authenticates until revoked (by prefix or user)."""
    user, _ = user_create(username="a", role="admin", actor="t")
    token, raw = token_create(user=user, actor="t")
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest() and raw.startswith(token.prefix)
    assert not ApiToken.objects.filter(digest=raw).exists()
    assert token_user(raw) == user
    assert token_revoke(prefix_or_username=token.prefix, actor="t") == 1
    assert token_user(raw) is None
    _, raw2 = token_create(user=user, actor="t")
    assert token_revoke(prefix_or_username="a", actor="t") == 1 and token_user(raw2) is None
    with pytest.raises(ValidationError):
        token_revoke(prefix_or_username="a", actor="t")


def test_demo_users_one_per_role_and_reset():
    """demo_users_create makes one user per role and resets passwords when run again."""
    unit = UnitFactory()
    units = {"admin": None, "planner": unit, "commander": unit, "field_officer": unit, "partner": unit}
    first = demo_users_create(unit_for_role=units)
    assert set(Profile.objects.values_list("role", flat=True)) == set(units)
    second = demo_users_create(unit_for_role=units)
    assert first.keys() == second.keys() and all(first[u] != second[u] for u in first)
    assert authenticate(username="komandan", password=second["komandan"]) is not None


def test_cli_user_and_token_commands():
    """siaga user create/list and token create/revoke work end to end."""
    UnitFactory(code="POLSEK-UJI")
    runner = CliRunner()
    result = runner.invoke(app, ["user", "create", "budi", "--role", "commander", "--unit", "POLSEK-UJI"])
    assert result.exit_code == 0, result.output
    password = result.output.split("sekali):")[1].split()[0]
    assert authenticate(username="budi", password=password) is not None
    result = runner.invoke(app, ["user", "create", "x", "--role", "commander", "--unit", "NOPE"])
    assert result.exit_code == 1
    result = runner.invoke(app, ["user", "list"])
    assert "budi" in result.output and "commander" in result.output
    result = runner.invoke(app, ["token", "create", "budi"])
    assert result.exit_code == 0, result.output
    raw = next(w for w in result.output.split() if w.startswith("sg_") and len(w) > 20)
    assert token_user(raw).username == "budi"
    result = runner.invoke(app, ["token", "revoke", raw[:10]])
    assert result.exit_code == 0 and token_user(raw) is None
