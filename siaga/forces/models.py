"""Units (Polri, TNI, Linmas), their personnel with ranks, and partner agencies."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from siaga.domain.ranks import RANKS_BY_FORCE
from siaga.domain.vocab import FORCES, PARTNER_KINDS, PERSONNEL_STATUSES, UNIT_LEVELS
from siaga.regions.models import District, Regency, Village, inside_indonesia


class Force(models.TextChoices):
    POLRI = "polri", "Polri"
    TNI = "tni", "TNI"
    LINMAS = "linmas", "Linmas"


class Unit(models.Model):
    """A command: Polres, Polsek, Kodim, Koramil, a village's Linmas, or a reserve (Brimob, BKO)."""

    class Level(models.TextChoices):
        POLRES = "polres", "Polres"
        POLSEK = "polsek", "Polsek"
        KODIM = "kodim", "Kodim"
        KORAMIL = "koramil", "Koramil"
        VILLAGE = "village", "Desa/kelurahan (Linmas)"
        RESERVE = "reserve", "Cadangan (Brimob/BKO)"

    code = models.CharField("unit id", max_length=60, unique=True)
    name = models.CharField(max_length=150)
    force = models.CharField(max_length=10, choices=Force.choices)
    level = models.CharField(max_length=10, choices=Level.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    lat = models.FloatField("HQ lat")
    lon = models.FloatField("HQ lon")
    districts = models.ManyToManyField(District, blank=True, related_name="units",
                                       help_text="Districts of jurisdiction; none = the parent's whole area.")
    synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = "satuan"
        verbose_name_plural = "satuan"
        constraints = [
            models.CheckConstraint(condition=Q(force__in=list(FORCES)), name="unit_force_valid"),
            models.CheckConstraint(condition=Q(level__in=list(UNIT_LEVELS)), name="unit_level_valid"),
            models.CheckConstraint(condition=inside_indonesia(), name="unit_hq_inside_indonesia"),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="unit_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name


def _rank_valid() -> Q:
    condition = Q()
    for force, ranks in RANKS_BY_FORCE.items():
        condition |= Q(force=force, rank__in=[r.code for r in ranks])
    return condition


class Personnel(models.Model):
    """A member of Polri, TNI or Linmas. ``code`` is the NRP (or the Linmas register number)."""

    class Status(models.TextChoices):
        AVAILABLE = "available", "Siap"
        LEAVE = "leave", "Cuti"
        SICK = "sick", "Sakit"
        TRAINING = "training", "Pendidikan/latihan"

    code = models.CharField("NRP / id", max_length=40, unique=True)
    name = models.CharField("nama", max_length=150)
    force = models.CharField(max_length=10, choices=Force.choices)
    rank = models.CharField("pangkat", max_length=20)
    rank_order = models.PositiveSmallIntegerField(default=0, help_text="Position in the force's rank table (higher = senior).")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="personnel")
    home_village = models.ForeignKey(Village, null=True, blank=True, on_delete=models.PROTECT, related_name="residents")
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.AVAILABLE)
    can_lead = models.BooleanField("dapat memimpin pos", default=False)
    synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = "personel"
        verbose_name_plural = "personel"
        indexes = [models.Index(fields=["unit", "force", "status"])]
        constraints = [
            models.CheckConstraint(condition=Q(force__in=list(FORCES)), name="personnel_force_valid"),
            models.CheckConstraint(condition=Q(status__in=list(PERSONNEL_STATUSES)), name="personnel_status_valid"),
            models.CheckConstraint(condition=_rank_valid(), name="personnel_rank_valid_for_force"),
            models.CheckConstraint(condition=~Q(force="linmas") | Q(home_village__isnull=False),
                                   name="linmas_has_home_village"),
            models.CheckConstraint(condition=(Q(lat__isnull=True) & Q(lon__isnull=True)) | inside_indonesia(),
                                   name="personnel_base_inside_indonesia"),
        ]

    def __str__(self) -> str:
        return f"{self.rank} {self.name} ({self.code})"


class PartnerAgency(models.Model):
    """A partner of the operation (KPU, Bawaslu, Pemda, Satpol PP, BPBD) with its contact."""

    class Kind(models.TextChoices):
        KPU = "kpu", "KPU"
        BAWASLU = "bawaslu", "Bawaslu"
        PEMDA = "pemda", "Pemerintah daerah"
        SATPOL_PP = "satpol_pp", "Satpol PP"
        BPBD = "bpbd", "BPBD"
        OTHER = "other", "Lainnya"

    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    regency = models.ForeignKey(Regency, null=True, blank=True, on_delete=models.PROTECT, related_name="partners")
    contact_name = models.CharField(max_length=150, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = "instansi mitra"
        verbose_name_plural = "instansi mitra"
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=list(PARTNER_KINDS)), name="partner_kind_valid"),
            models.UniqueConstraint(fields=["name", "regency"], name="partner_unique_per_regency"),
        ]

    def __str__(self) -> str:
        return self.name
