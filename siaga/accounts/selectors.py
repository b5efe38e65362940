"""Reads of the accounts app: a user's role and unit, current lock-outs, user lists."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from siaga.accounts.models import Profile, Role


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


def user_list():
    """All users with their profile and unit, by username."""
    return get_user_model().objects.select_related("siaga_profile", "siaga_profile__unit").order_by("username")


def lockouts_current():
    """(username, address, failures, since) of every username locked from an address now, newest first."""
    from axes.models import AccessAttempt

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return list(AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
                                             attempt_time__gte=since)
                .order_by("-attempt_time").values_list("username", "ip_address", "failures_since_start",
                                                       "attempt_time"))
