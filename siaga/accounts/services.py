"""Writes of the accounts app: users with roles, login attempts, API tokens, demo users."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from siaga.accounts.models import ApiToken, LoginAttempt, Profile, Role
from siaga.core.services import audit_record

TOKEN_PREFIX_LEN = 10  # "sg_" + 7 characters, shown in lists and used to revoke


def password_generate() -> str:
    """A strong random password (about 96 bits)."""
    return secrets.token_urlsafe(12)


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def user_create(*, username: str, role: str, actor: str, unit=None, password: str | None = None,
                reset: bool = False) -> tuple:
    """Create a user with a role and (except admin) a unit. Returns (user, password).

    Without ``password`` a strong one is generated. ``reset=True`` updates an existing user instead of refusing.
    """
    User = get_user_model()
    username = (username or "").strip()
    if not username:
        raise ValidationError("nama pengguna kosong")
    if role not in Role.values:
        raise ValidationError(f"peran '{role}' tidak dikenal; pilih: {', '.join(Role.values)}")
    if role != Role.ADMIN and unit is None:
        raise ValidationError(f"peran '{role}' harus punya satuan (--unit)")
    password = password or password_generate()
    user = User.objects.filter(username=username).first()
    if user is not None and not reset:
        raise ValidationError(f"pengguna '{username}' sudah ada")
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError(f"kata sandi ditolak: {'; '.join(exc.messages)}") from None
    if user is None:
        user = User(username=username)
    user.is_active = True
    user.is_staff = user.is_superuser = role == Role.ADMIN
    user.set_password(password)
    user.save()
    Profile.objects.update_or_create(user=user, defaults={"role": role, "unit": unit})
    audit_record(actor=actor, action="user.reset" if reset else "user.create", target=f"user:{username}",
                 details={"role": role, "unit": unit.code if unit else None})
    return user, password


def login_attempt_record(*, username: str, success: bool, blocked: bool = False, ip: str | None = None) -> LoginAttempt:
    """Record one password login attempt (the lock-out counts the failures)."""
    return LoginAttempt.objects.create(username=username[:150], success=success, blocked=blocked, ip=ip)


@transaction.atomic
def token_create(*, user, actor: str) -> tuple[ApiToken, str]:
    """Make a new API token for the user. Returns (row, raw token); the raw token is never stored."""
    raw = "sg_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, prefix=raw[:TOKEN_PREFIX_LEN], digest=token_digest(raw))
    audit_record(actor=actor, action="token.create", target=f"user:{user.username}", details={"prefix": token.prefix})
    return token, raw


@transaction.atomic
def token_revoke(*, prefix_or_username: str, actor: str) -> int:
    """Revoke the live tokens with this prefix, or all live tokens of this username. Returns how many."""
    live = ApiToken.objects.filter(revoked_at__isnull=True)
    tokens = live.filter(prefix=prefix_or_username) if prefix_or_username.startswith("sg_") else \
        live.filter(user__username=prefix_or_username)
    prefixes = list(tokens.values_list("prefix", flat=True))
    if not prefixes:
        raise ValidationError(f"tidak ada token aktif untuk '{prefix_or_username}'")
    count = tokens.update(revoked_at=timezone.now())
    audit_record(actor=actor, action="token.revoke", target=f"token:{prefix_or_username}", details={"prefixes": prefixes})
    return count


def token_user(raw: str):
    """The active user of a live token, or None. Marks the token as used (at most once a minute)."""
    if not raw or not raw.startswith("sg_"):
        return None
    token = ApiToken.objects.select_related("user").filter(digest=token_digest(raw), revoked_at__isnull=True).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


DEMO_USERNAMES = {Role.ADMIN: "admin", Role.PLANNER: "perencana", Role.COMMANDER: "komandan",
                  Role.FIELD_OFFICER: "petugas", Role.PARTNER: "mitra"}


def demo_users_create(*, unit_for_role: dict, actor: str = "demo") -> dict[str, str]:
    """Create (or reset) one demo user per role with a fresh password. Returns {username: password}.

    ``unit_for_role`` maps a role to its unit (None allowed for admin only).
    """
    result: dict[str, str] = {}
    for role, username in DEMO_USERNAMES.items():
        _, password = user_create(username=username, role=role, unit=unit_for_role.get(role), actor=actor, reset=True)
        result[username] = password
    return result
