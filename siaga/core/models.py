"""Cross-cutting models: the audit trail of who changed what."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One change made through a service: by whom (a user, or the CLI's OS user), what, and when."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    actor = models.CharField(max_length=150, help_text="Who acted: a username or 'cli:<os user>'.")
    action = models.CharField(max_length=64, db_index=True)
    target = models.CharField(max_length=200, blank=True, help_text="What was changed, e.g. 'tps:3571011001-001'.")
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "catatan audit"
        verbose_name_plural = "catatan audit"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.target}"
