"""The vulnerability indicator catalogue (kept in sync with siaga.planning.catalogue) and evidence per TPS."""

from __future__ import annotations

from django.db import models

from siaga.regions.models import TPS


class Indicator(models.Model):
    code = models.CharField(max_length=60, unique=True)
    name_id = models.CharField("nama", max_length=200)
    name_en = models.CharField("name (English)", max_length=200)
    group = models.CharField("variabel", max_length=100)
    source = models.CharField(max_length=40)
    weight = models.FloatField(default=1.0)
    kind = models.CharField(max_length=10, default="flag")

    class Meta:
        ordering = ["source", "group", "code"]
        verbose_name = "indikator kerawanan"
        verbose_name_plural = "indikator kerawanan"
        constraints = [models.CheckConstraint(condition=models.Q(weight__gte=0), name="indicator_weight_not_negative")]

    def __str__(self) -> str:
        return f"{self.code} — {self.name_id}"


class IndicatorValue(models.Model):
    """One piece of evidence: the value of an indicator at a TPS (0/1 for yes/no)."""

    tps = models.ForeignKey(TPS, on_delete=models.CASCADE, related_name="indicator_values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    value = models.FloatField()
    note = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        ordering = ["tps", "indicator"]
        verbose_name = "nilai indikator"
        verbose_name_plural = "nilai indikator"
        constraints = [models.UniqueConstraint(fields=["tps", "indicator"], name="indicator_value_unique_per_tps")]

    def __str__(self) -> str:
        return f"{self.tps.code} {self.indicator.code}={self.value:g}"
