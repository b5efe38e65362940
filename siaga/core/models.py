"""Cross-cutting models: the audit trail of who changed what, and background jobs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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


class Job(models.Model):
    """A long piece of work (a re-plan) run in the background: by a Celery worker when a broker is set, else
    in a thread of the web process. The row is the job's whole record: progress, stage, error and result."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Menunggu")
        RUNNING = "running", _("Berjalan")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    ACTIVE = (State.QUEUED, State.RUNNING)

    kind = models.CharField(max_length=40, db_index=True, help_text="What to run, e.g. 'replan' (siaga.core.jobs.KINDS).")
    subject = models.CharField(max_length=80, blank=True, default="", db_index=True,
                               help_text="What it works on, e.g. 'operation:3': region scoping and one active "
                                         "job per kind and subject.")
    params = models.JSONField(default=dict, blank=True, help_text="The job's input (operation, pattern, seed).")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.FloatField(default=0.0, help_text="0..1")
    stage = models.CharField(max_length=80, blank=True, default="")
    message = models.TextField(blank=True, default="", help_text="A readable error when the job failed.")
    result = models.JSONField(default=dict, blank=True, help_text="e.g. {\"operation\": 3, \"version\": 2}")
    created_by = models.CharField(max_length=150)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now_add=True,
                                      help_text="Last sign of life (progress); an active job silent too long is stale.")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "tugas latar"
        verbose_name_plural = "tugas latar"
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__gte=0) & models.Q(progress__lte=1),
                                   name="job_progress_0_1"),
            models.CheckConstraint(condition=models.Q(state__in=["queued", "running", "done", "failed"]),
                                   name="job_state_valid"),
            models.UniqueConstraint(fields=["kind", "subject"], name="job_one_active_per_subject",
                                    condition=models.Q(state__in=["queued", "running"]) & ~models.Q(subject="")),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.state})"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)
