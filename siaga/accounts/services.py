"""Writes of the accounts app: users with roles, login attempts, API tokens, demo users."""

from __future__ import annotations

import copy
import datetime
import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from siaga.accounts.models import ApiToken, Profile, Role
from siaga.core.cache import TTLCache, loaded_instance
from siaga.core.services import audit_record

TOKEN_PREFIX_LEN = 10  # "sg_" + 7 characters, shown in lists and used to revoke


def password_generate() -> str:
    """A strong random password (about 96 bits)."""
    return secrets.token_urlsafe(12)


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def user_create(*, username: str, role: str, actor: str, unit=None, password: str | None = None,
                reset: bool = False, personnel=None) -> tuple:
    """Create a user with a role and (except admin) a unit. Returns (user, password).

    Without ``password`` a strong one is generated. ``reset=True`` updates an existing user instead of refusing.
    ``personnel`` (forces.Personnel) ties the login to a person: a field officer reports for that person's posts.
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
    Profile.objects.update_or_create(user=user, defaults={"role": role, "unit": unit, "personnel": personnel})
    token_cache_clear()  # a reset may change the role of a cached token's user
    transaction.on_commit(token_cache_clear)
    audit_record(actor=actor, action="user.reset" if reset else "user.create", target=f"user:{username}",
                 details={"role": role, "unit": unit.code if unit else None,
                          "personnel": personnel.code if personnel else None})
    return user, password


def user_unlock(*, username: str, actor: str, ip: str | None = None) -> int:
    """Clear the lock-out of a username (from one address, or from all); recorded in the audit trail. Returns
    how many lock counters were cleared."""
    from axes.utils import reset

    cleared = reset(username=username, ip=ip) if ip else reset(username=username)
    audit_record(actor=actor, action="user.unlock", target=f"user:{username}", details={"ip": ip, "cleared": cleared})
    return cleared


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
    token_cache_clear()  # this process at once (other processes within TOKEN_TTL)
    transaction.on_commit(token_cache_clear)  # and again, in case a thread re-read the token before the commit
    audit_record(actor=actor, action="token.revoke", target=f"token:{prefix_or_username}", details={"prefixes": prefixes})
    return count


TOKEN_TTL = 30.0  # s: a revoked token, a deactivated user or a changed role take effect within this (other processes)
_TOKENS = TTLCache(TOKEN_TTL, 10_000)


def token_user(raw: str):
    """The active user (with its profile loaded) of a live token, or None. Marks the token as used (at
    most once a minute). Kept per process for TOKEN_TTL seconds, so the hot path runs no query for the token; each
    call returns its own copy of the user (request code may set attributes on it)."""
    if not raw or not raw.startswith("sg_"):
        return None
    digest = token_digest(raw)
    user = _TOKENS.get(digest)
    if user is None:
        user = _token_user_load(digest)
        if user is None:
            return None  # not cached: a token created a moment later works at once
        _TOKENS.put(digest, user)
    return copy.copy(user)


_USER_FIELDS = ("id", "username", "is_active", "is_staff", "is_superuser")
_PROFILE_FIELDS = ("id", "user_id", "role", "unit_id", "personnel_id")


def _token_user_load(digest: str):
    """One plain SQL query for token, user and profile (the ORM's compilation cost more than the query); builds the
    instances as a query would (other fields deferred, loaded on access). Marks the token used."""
    from django.db import connection

    User = get_user_model()
    t, u, p = ApiToken._meta.db_table, User._meta.db_table, Profile._meta.db_table
    columns = ", ".join([f"u.{c}" for c in _USER_FIELDS] + [f"p.{c}" for c in _PROFILE_FIELDS])
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT t.id, t.last_used_at, {columns} FROM "{t}" t JOIN "{u}" u ON u.id = t.user_id'
                       f' LEFT JOIN "{p}" p ON p.user_id = u.id WHERE t.digest = %s AND t.revoked_at IS NULL', [digest])
        row = cursor.fetchone()
    if row is None:
        return None
    token_id, last_used, values = row[0], row[1], row[2:]
    if isinstance(last_used, str):  # SQLite hands back text in UTC
        last_used = ApiToken._meta.get_field("last_used_at").to_python(last_used)
    if last_used is not None and timezone.is_naive(last_used):
        last_used = last_used.replace(tzinfo=datetime.UTC)
    user = loaded_instance(User, dict(zip(_USER_FIELDS, values[:len(_USER_FIELDS)], strict=True)))
    if not user.is_active:
        return None
    profile_values = values[len(_USER_FIELDS):]
    profile = loaded_instance(Profile, dict(zip(_PROFILE_FIELDS, profile_values, strict=True))) \
        if profile_values[0] else None
    relation = Profile._meta.get_field("user")
    relation.remote_field.set_cached_value(user, profile)  # user.siaga_profile (None: raises DoesNotExist)
    if profile is not None:
        relation.set_cached_value(profile, user)
    now = timezone.now()
    if last_used is None or (now - last_used).total_seconds() > 60:
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
    return user


def token_cache_clear() -> None:
    """Forget the cached tokens of this process (token revoke and user changes call it)."""
    _TOKENS.clear()


DEMO_USERNAMES = {Role.ADMIN: "admin", Role.PLANNER: "perencana", Role.COMMANDER: "komandan",
                  Role.FIELD_OFFICER: "petugas", Role.PARTNER: "mitra"}


def demo_users_create(*, unit_for_role: dict, actor: str = "demo",
                      personnel_for_role: dict | None = None) -> dict[str, str]:
    """Create (or reset) one demo user per role with a fresh password. Returns {username: password}.

    ``unit_for_role`` maps a role to its unit (None allowed for admin only); ``personnel_for_role`` optionally a role
    to the person its login belongs to.
    """
    result: dict[str, str] = {}
    for role, username in DEMO_USERNAMES.items():
        _, password = user_create(username=username, role=role, unit=unit_for_role.get(role), actor=actor, reset=True,
                                  personnel=(personnel_for_role or {}).get(role))
        result[username] = password
    return result
