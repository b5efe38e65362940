"""Elections (Pilkades, Pilkada, Pemilu), their stages, and the police operation that secures them."""

from __future__ import annotations

from fractions import Fraction

from django.db import models
from django.db.models import F, Q

from siaga.domain.vocab import ELECTION_KINDS
from siaga.forces.models import Unit
from siaga.regions.models import Regency


class Election(models.Model):
    class Kind(models.TextChoices):
        PILKADES = "pilkades", "Pilkades (kepala desa)"
        PILKADA = "pilkada", "Pilkada (kepala daerah)"
        PEMILU = "pemilu", "Pemilu (legislatif dan presiden)"

    name = models.CharField(max_length=150, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    voting_day = models.DateField("hari pemungutan suara")
    regencies = models.ManyToManyField(Regency, blank=True, related_name="elections")
    synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["-voting_day", "name"]
        verbose_name = "pemilihan"
        verbose_name_plural = "pemilihan"
        constraints = [models.CheckConstraint(condition=Q(kind__in=list(ELECTION_KINDS)), name="election_kind_valid")]

    def __str__(self) -> str:
        return self.name


class Stage(models.Model):
    """A stage (tahapan) with its dates and the least share of operation strength it must have."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="stages")
    code = models.CharField(max_length=30)
    name = models.CharField(max_length=150)
    start = models.DateField()
    end = models.DateField()
    min_share_numerator = models.PositiveSmallIntegerField(default=1)
    min_share_denominator = models.PositiveSmallIntegerField(default=3)

    class Meta:
        ordering = ["election", "start", "code"]
        verbose_name = "tahapan"
        verbose_name_plural = "tahapan"
        constraints = [
            models.UniqueConstraint(fields=["election", "code"], name="stage_code_unique_in_election"),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="stage_ends_after_start"),
            models.CheckConstraint(condition=Q(min_share_denominator__gte=1)
                                   & Q(min_share_numerator__lte=F("min_share_denominator")),
                                   name="stage_share_between_0_and_1"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.start:%d-%m-%Y} s/d {self.end:%d-%m-%Y})"

    @property
    def min_share(self) -> Fraction:
        return Fraction(self.min_share_numerator, self.min_share_denominator)


class Operation(models.Model):
    """The police operation, e.g. "Operasi Mantap Praja Semeru 2024", and its commanding unit."""

    name = models.CharField(max_length=150, unique=True)
    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="operations")
    start = models.DateField()
    end = models.DateField()
    commanding_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="operations")
    plan_toml = models.TextField("plan.toml", blank=True, default="",
                                 help_text="Planning settings of this operation (pattern, scope, reserves, risk); see docs/plan-toml.md.")
    synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["-start", "name"]
        verbose_name = "operasi"
        verbose_name_plural = "operasi"
        constraints = [models.CheckConstraint(condition=Q(end__gte=F("start")), name="operation_ends_after_start")]

    def __str__(self) -> str:
        return self.name
