"""Reads of the accounts app: a user's role and unit, the lock-out state, user lists."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from siaga.accounts.models import LoginAttempt, Profile, Role

LOCKOUT_FAILURES = 5
LOCKOUT_WINDOW = timedelta(minutes=15)


def user_role(user) -> str | None:
    """The user's role; a superuser without a profile counts as admin; anonymous or no profile = None."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    profile = _profile(user)
    if profile is not None:
        return profile.role
    return Role.ADMIN if user.is_superuser else None


def user_unit(user):
    """The user's unit (forces.Unit) or None."""
    profile = _profile(user)
    return profile.unit if profile is not None else None


def user_personnel_id(user) -> int | None:
    """The id of the person (forces.Personnel) a user is, for field officers; else None."""
    profile = _profile(user)
    return profile.personnel_id if profile is not None else None


def _profile(user) -> Profile | None:
    try:
        return user.siaga_profile
    except Profile.DoesNotExist:
        return None
    except AttributeError:  # AnonymousUser
        return None


def login_failures_recent(username: str, *, now: datetime | None = None) -> int:
    """Failed (not blocked) attempts for the username within the window and after its last success."""
    now = now or timezone.now()
    attempts = LoginAttempt.objects.filter(username=username, at__gte=now - LOCKOUT_WINDOW, at__lte=now)
    last_ok = attempts.filter(success=True).order_by("-at").values_list("at", flat=True).first()
    failures = attempts.filter(success=False, blocked=False)
    if last_ok is not None:
        failures = failures.filter(at__gt=last_ok)
    return failures.count()


def login_locked(username: str, *, now: datetime | None = None) -> bool:
    """True while the username has LOCKOUT_FAILURES failures within LOCKOUT_WINDOW."""
    return login_failures_recent(username, now=now) >= LOCKOUT_FAILURES


def user_list():
    """All users with their profile and unit, by username."""
    return get_user_model().objects.select_related("siaga_profile", "siaga_profile__unit").order_by("username")
