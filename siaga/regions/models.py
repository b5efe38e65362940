"""Administrative hierarchy (province -> regency/city -> district -> village) and polling stations (TPS).

Codes are Kemendagri codes, dotted (``35.71.01.1001``). Rules that must always hold are database
constraints, so no code path (admin, import, shell) can store a TPS outside Indonesia or with
negative voters.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from siaga.domain.vocab import CATEGORIES, INDONESIA_LAT, INDONESIA_LON, TPS_KINDS


def inside_indonesia() -> Q:
    """The check-constraint condition: a row's lat/lon lie inside Indonesia's bounding box."""
    return Q(lat__gte=INDONESIA_LAT[0], lat__lte=INDONESIA_LAT[1], lon__gte=INDONESIA_LON[0], lon__lte=INDONESIA_LON[1])


class Province(models.Model):
    code = models.CharField(max_length=2, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = "provinsi"
        verbose_name_plural = "provinsi"

    def __str__(self) -> str:
        return self.name


class Regency(models.Model):
    class Kind(models.TextChoices):
        KABUPATEN = "kabupaten", "Kabupaten"
        KOTA = "kota", "Kota"

    code = models.CharField(max_length=5, unique=True)
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="regencies")

    class Meta:
        ordering = ["code"]
        verbose_name = "kabupaten/kota"
        verbose_name_plural = "kabupaten/kota"
        constraints = [models.CheckConstraint(condition=Q(kind__in=["kabupaten", "kota"]), name="regency_kind_valid")]

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    code = models.CharField(max_length=8, unique=True)
    name = models.CharField(max_length=100)
    regency = models.ForeignKey(Regency, on_delete=models.PROTECT, related_name="districts")

    class Meta:
        ordering = ["code"]
        verbose_name = "kecamatan"
        verbose_name_plural = "kecamatan"

    def __str__(self) -> str:
        return self.name


class Village(models.Model):
    class Kind(models.TextChoices):
        DESA = "desa", "Desa"
        KELURAHAN = "kelurahan", "Kelurahan"

    code = models.CharField(max_length=13, unique=True)
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="villages")

    class Meta:
        ordering = ["code"]
        verbose_name = "desa/kelurahan"
        verbose_name_plural = "desa/kelurahan"
        constraints = [models.CheckConstraint(condition=Q(kind__in=["desa", "kelurahan"]), name="village_kind_valid")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


class TPS(models.Model):
    """A polling station (tempat pemungutan suara)."""

    class Kind(models.TextChoices):
        REGULAR = "regular", "Reguler"
        KHUSUS = "khusus", "Khusus (lapas, rutan, pesantren, ...)"

    class Category(models.TextChoices):
        KURANG_RAWAN = "kurang_rawan", "Kurang rawan"
        RAWAN = "rawan", "Rawan"
        SANGAT_RAWAN = "sangat_rawan", "Sangat rawan"
        KHUSUS = "khusus", "Khusus"

    code = models.CharField("TPS id", max_length=40, unique=True)
    village = models.ForeignKey(Village, on_delete=models.PROTECT, related_name="tps")
    number = models.PositiveIntegerField("nomor")
    voters = models.IntegerField("pemilih (DPT)")
    lat = models.FloatField()
    lon = models.FloatField()
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.REGULAR)
    manual_category = models.CharField(
        "kategori manual", max_length=16, choices=Category.choices, blank=True, default="",
        help_text="Manual override of the computed vulnerability category; needs a reason.",
    )
    manual_category_reason = models.CharField("alasan kategori manual", max_length=300, blank=True, default="")
    synthetic = models.BooleanField(default=False, help_text="Coordinates or figures are invented (demo data).")

    class Meta:
        ordering = ["code"]
        verbose_name = "TPS"
        verbose_name_plural = "TPS"
        constraints = [
            models.UniqueConstraint(fields=["village", "number"], name="tps_number_unique_in_village"),
            models.CheckConstraint(condition=Q(voters__gte=0), name="tps_voters_not_negative"),
            models.CheckConstraint(condition=Q(number__gte=1), name="tps_number_positive"),
            models.CheckConstraint(condition=inside_indonesia(), name="tps_inside_indonesia"),
            models.CheckConstraint(condition=Q(kind__in=list(TPS_KINDS)), name="tps_kind_valid"),
            models.CheckConstraint(condition=Q(manual_category="") | Q(manual_category__in=list(CATEGORIES)),
                                   name="tps_manual_category_valid"),
            models.CheckConstraint(condition=Q(manual_category="") | ~Q(manual_category_reason=""),
                                   name="tps_manual_category_has_reason"),
        ]

    def __str__(self) -> str:
        return f"TPS {self.number:03d} {self.village.name}"
