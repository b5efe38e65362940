"""Deployment plans (versions of plan.json per operation) and the pins a planner sets by hand."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from siaga.elections.models import Operation
from siaga.forces.models import Personnel
from siaga.regions.models import TPS


class Plan(models.Model):
    """One version of an operation's deployment plan; the whole plan.json is kept as the document."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draf"
        PUBLISHED = "published", "Diterbitkan"

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="plans")
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    pattern = models.CharField(max_length=60)
    seed = models.IntegerField(default=0)
    summary = models.JSONField(default=dict)
    document = models.JSONField(default=dict, help_text="The full plan.json (schema siaga.plan/1).")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["operation", "-version"]
        verbose_name = "rencana pengamanan"
        verbose_name_plural = "rencana pengamanan"
        constraints = [
            models.UniqueConstraint(fields=["operation", "version"], name="plan_version_unique"),
            models.CheckConstraint(condition=Q(version__gte=1), name="plan_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.operation} v{self.version}"


class Pin(models.Model):
    """A planner's decision the solver must keep: a person at a post, or a TPS in a post."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="pins")
    personnel = models.ForeignKey(Personnel, null=True, blank=True, on_delete=models.CASCADE, related_name="pins")
    tps = models.ForeignKey(TPS, null=True, blank=True, on_delete=models.CASCADE, related_name="pins")
    post_id = models.CharField(max_length=80)
    reason = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["operation", "post_id"]
        verbose_name = "penetapan manual"
        verbose_name_plural = "penetapan manual"
        constraints = [
            models.CheckConstraint(condition=(Q(personnel__isnull=False) & Q(tps__isnull=True))
                                   | (Q(personnel__isnull=True) & Q(tps__isnull=False)), name="pin_has_one_target"),
            models.UniqueConstraint(fields=["operation", "personnel"], name="pin_person_once",
                                    condition=Q(personnel__isnull=False)),
            models.UniqueConstraint(fields=["operation", "tps"], name="pin_tps_once", condition=Q(tps__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.personnel or self.tps} -> {self.post_id}"
