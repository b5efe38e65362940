"""Accounts: a user's role and unit, login attempts (for the lock-out) and API tokens (hashed)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from siaga.forces.models import Unit


class Role(models.TextChoices):
    ADMIN = "admin", "Administrator"
    PLANNER = "planner", "Perencana (Polres)"
    COMMANDER = "commander", "Komandan (Polsek/Koramil)"
    FIELD_OFFICER = "field_officer", "Petugas lapangan"
    PARTNER = "partner", "Mitra (KPU/Bawaslu/Pemda)"


class Profile(models.Model):
    """A user's one role and its unit; the unit's jurisdiction is the user's area (see docs/access.md)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="siaga_profile")
    role = models.CharField("peran", max_length=16, choices=Role.choices)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="users",
                             help_text="The unit whose area the user sees; required for every role except admin.")
    personnel = models.ForeignKey("forces.Personnel", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="users",
                                  help_text="The person this login belongs to (field officers: the TPS of the posts "
                                            "where this person stands are the ones it may report for).")

    class Meta:
        verbose_name = "profil pengguna"
        verbose_name_plural = "profil pengguna"
        constraints = [
            models.CheckConstraint(condition=Q(role__in=list(Role.values)), name="profile_role_valid"),
            models.CheckConstraint(condition=Q(role="admin") | Q(unit__isnull=False), name="profile_unit_unless_admin"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class ApiToken(models.Model):
    """An API token. Only its sha256 is kept, with a short visible prefix to name it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    prefix = models.CharField(max_length=16, db_index=True)
    digest = models.CharField(max_length=64, unique=True, help_text="sha256 hex of the whole token.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "token API"
        verbose_name_plural = "token API"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
