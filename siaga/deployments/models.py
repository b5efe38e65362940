"""Deployment plans (versions of plan.json per operation) and the pins a planner sets by hand."""

from __future__ import annotations

from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When

from siaga.elections.models import Operation
from siaga.forces.models import Personnel
from siaga.regions.models import TPS


class PlanQuerySet(models.QuerySet):
    """The one definition of "the current plan" of an operation: the published version, else the newest one.

    Election day (the board, field reports, dispatch), escorts, the map and the overview work from the current plan;
    the planner's workspace builds on the newest version (``latest_draft``). docs/plans.md says the same."""

    def current_first(self) -> PlanQuerySet:
        """Versions ordered current first (published, then by version, newest first), for subqueries too."""
        return self.annotate(is_published=Case(When(status=Plan.Status.PUBLISHED, then=Value(1)), default=Value(0),
                                               output_field=IntegerField())).order_by("-is_published", "-version")

    def current(self, operation) -> Plan | None:
        """The operation's current plan: its published version, else its newest; None without a plan."""
        return self.filter(operation=operation).current_first().first()

    def latest_draft(self, operation) -> Plan | None:
        """The operation's newest version (what a re-plan starts from and the workspace opens), published or not."""
        return self.filter(operation=operation).order_by("-version").first()


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

    objects = PlanQuerySet.as_manager()

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


class PlanTPS(models.Model):
    """One TPS's category and score in one plan version: an index of the plan document so the map reads
    categories with one join instead of parsing the whole document (60k TPS)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tps_rows")
    tps = models.ForeignKey(TPS, on_delete=models.CASCADE, related_name="plan_rows")
    category = models.CharField(max_length=20)
    score = models.FloatField()
    post_id = models.CharField(max_length=80, blank=True, default="")
    reasons = models.JSONField(default=list, help_text="Top reasons in Bahasa Indonesia, as in the document.")
    reasons_en = models.JSONField(default=list)

    class Meta:
        verbose_name = "TPS dalam rencana"
        verbose_name_plural = "TPS dalam rencana"
        constraints = [models.UniqueConstraint(fields=["plan", "tps"], name="plan_tps_once")]

    def __str__(self) -> str:
        return f"{self.tps_id} in plan {self.plan_id}: {self.category}"


class PlanPost(models.Model):
    """One post of one plan version, with its place and district: the map's post layer without the document."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="post_rows")
    post_id = models.CharField(max_length=80)
    district = models.ForeignKey("regions.District", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="plan_posts")
    lat = models.FloatField()
    lon = models.FloatField()
    category = models.CharField(max_length=20)
    tps_count = models.PositiveIntegerField()

    class Meta:
        verbose_name = "pos dalam rencana"
        verbose_name_plural = "pos dalam rencana"
        constraints = [models.UniqueConstraint(fields=["plan", "post_id"], name="plan_post_once")]
        indexes = [models.Index(fields=["plan", "lat", "lon"])]

    def __str__(self) -> str:
        return f"{self.post_id} in plan {self.plan_id}"
