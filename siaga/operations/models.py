"""Election-day records: TPS status reports, incidents with their history, dispatches of reserve squads, and
the append-only event log the command board streams.

Rules that must always hold (valid codes, a client id stored once per user, a squad busy on one incident at a
time, coordinates inside Indonesia) are database constraints, so a retry or a race cannot break them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from siaga.deployments.models import Plan
from siaga.elections.models import Operation
from siaga.operations import rules
from siaga.regions.models import TPS, District, Village, inside_indonesia


def photo_storage():
    """Incident photos live under $SIAGA_DATA_DIR/media (served only through a scoped view, never as /media/)."""
    from django.core.files.storage import FileSystemStorage

    return FileSystemStorage(location=settings.DATA_DIR / "media", base_url=None)


class Step(models.TextChoices):
    """TPS status steps in their order on voting day."""

    ARRIVED = rules.ARRIVED, _("Personel tiba")
    OPENED = rules.OPENED, _("TPS dibuka")
    VOTING = rules.VOTING, _("Pemungutan suara berjalan")
    CLOSED = rules.CLOSED, _("Pemungutan ditutup")
    COUNTING = rules.COUNTING, _("Penghitungan suara")
    COUNTED = rules.COUNTED, _("Penghitungan selesai")
    HANDED_OVER = rules.HANDED_OVER, _("Kotak diserahkan ke PPS/PPK")


class StatusReport(models.Model):
    """One step reported for one TPS. Never changed afterwards: a correction is a later report of an earlier step.

    ``at`` is the time the reporter gives (the phone's clock when the button was tapped), ``received_at`` the
    server's. The TPS's current step is the report with the latest ``at``.
    """

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="status_reports")
    tps = models.ForeignKey(TPS, on_delete=models.PROTECT, related_name="status_reports")
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+",
                                 help_text="The TPS's district, kept here for scoping without joins.")
    status = models.CharField(max_length=16, choices=Step.choices)
    at = models.DateTimeField("waktu dilaporkan")
    received_at = models.DateTimeField("waktu diterima", default=timezone.now)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    actor = models.CharField(max_length=150, help_text="The reporter's username.")
    client_id = models.CharField(max_length=64, help_text="Idempotency key; one report per user and key.")
    note = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        ordering = ["operation", "tps", "at", "id"]
        verbose_name = "laporan status TPS"
        verbose_name_plural = "laporan status TPS"
        indexes = [models.Index(fields=["operation", "tps", "at"]), models.Index(fields=["operation", "at"])]
        constraints = [
            models.UniqueConstraint(fields=["reported_by", "client_id"], name="status_report_client_once"),
            models.CheckConstraint(condition=Q(status__in=list(rules.STEPS)), name="status_report_step_valid"),
            models.CheckConstraint(condition=~Q(client_id=""), name="status_report_client_id_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.tps_id} {self.status} {self.at:%Y-%m-%d %H:%M}"


class IncidentType(models.TextChoices):
    MONEY_POLITICS = "money_politics", _("Politik uang")
    INTIMIDATION = "intimidation", _("Intimidasi")
    SUPPORTER_CLASH = "supporter_clash", _("Bentrok antar pendukung")
    LOGISTICS = "logistics", _("Logistik kurang/rusak")
    SWAPPED_BALLOTS = "swapped_ballots", _("Surat suara tertukar")
    HOAX = "hoax", _("Hoaks/provokasi")
    DISASTER = "disaster", _("Bencana")
    OBSTRUCTION = "obstruction", _("Penghalangan")
    OTHER = "other", _("Lainnya")


class Severity(models.TextChoices):
    LOW = "low", _("Rendah")
    MEDIUM = "medium", _("Sedang")
    HIGH = "high", _("Tinggi")
    CRITICAL = "critical", _("Kritis")


class IncidentState(models.TextChoices):
    NEW = rules.NEW, _("Baru")
    VERIFIED = rules.VERIFIED, _("Terverifikasi")
    DISPATCHED = rules.DISPATCHED, _("Cadangan dikerahkan")
    ON_SCENE = rules.ON_SCENE, _("Di lokasi")
    RESOLVED = rules.RESOLVED, _("Tertangani")
    CLOSED = rules.CLOSED_INCIDENT, _("Ditutup")
    REJECTED = rules.REJECTED, _("Ditolak (laporan palsu/ganda)")


class Incident(models.Model):
    """A reported incident: what, how serious, where, and where it stands in its lifecycle."""

    class LocationSource(models.TextChoices):
        GPS = "gps", "Koordinat pelapor"
        TPS = "tps", "Koordinat TPS"
        VILLAGE = "village", "Titik tengah TPS desa/kelurahan"
        DISTRICT = "district", "Titik tengah TPS kecamatan"

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="incidents")
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(Village, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    tps = models.ForeignKey(TPS, null=True, blank=True, on_delete=models.PROTECT, related_name="incidents")
    type = models.CharField("jenis", max_length=20, choices=IncidentType.choices)
    severity = models.CharField("tingkat", max_length=10, choices=Severity.choices)
    state = models.CharField(max_length=12, choices=IncidentState.choices, default=IncidentState.NEW)
    text = models.TextField("uraian", max_length=2000)
    lat = models.FloatField()
    lon = models.FloatField()
    location_source = models.CharField(max_length=10, choices=LocationSource.choices)
    at = models.DateTimeField("waktu kejadian")
    received_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    actor = models.CharField(max_length=150)
    client_id = models.CharField(max_length=64)
    photo = models.FileField(storage=photo_storage, upload_to="incidents/%Y/%m/", blank=True, max_length=200)
    photo_type = models.CharField(max_length=20, blank=True, default="")
    photo_sha256 = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "insiden"
        verbose_name_plural = "insiden"
        indexes = [models.Index(fields=["operation", "state", "severity"]), models.Index(fields=["district", "state"])]
        constraints = [
            models.UniqueConstraint(fields=["reported_by", "client_id"], name="incident_client_once"),
            models.CheckConstraint(condition=Q(type__in=list(rules.INCIDENT_TYPES)), name="incident_type_valid"),
            models.CheckConstraint(condition=Q(severity__in=list(rules.SEVERITIES)), name="incident_severity_valid"),
            models.CheckConstraint(condition=Q(state__in=list(rules.INCIDENT_STATES)), name="incident_state_valid"),
            models.CheckConstraint(condition=inside_indonesia(), name="incident_inside_indonesia"),
            models.CheckConstraint(condition=~Q(client_id=""), name="incident_client_id_not_empty"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_type_display()} ({self.get_severity_display()}, {self.get_state_display()})"


class IncidentEvent(models.Model):
    """One step of an incident's history: created, moved from one state to another, severity changed."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    actor = models.CharField(max_length=150)
    from_state = models.CharField(max_length=12, blank=True, default="", help_text="Empty when reported.")
    to_state = models.CharField(max_length=12)
    note = models.CharField(max_length=500, blank=True, default="")
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["incident", "at", "id"]
        verbose_name = "riwayat insiden"
        verbose_name_plural = "riwayat insiden"

    def __str__(self) -> str:
        return f"#{self.incident_id} {self.from_state or '-'} -> {self.to_state}"


class Dispatch(models.Model):
    """A reserve squad (an entry of the plan's ``reserves``) sent to an incident, and where it is now.

    States: dispatched -> on_scene -> back (released, returning) -> done (at its base, free again).
    """

    class State(models.TextChoices):
        DISPATCHED = rules.SQUAD_DISPATCHED, _("Dikerahkan")
        ON_SCENE = rules.SQUAD_ON_SCENE, _("Di lokasi")
        BACK = rules.SQUAD_BACK, _("Kembali ke pangkalan")
        DONE = rules.SQUAD_DONE, _("Siaga kembali")

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="dispatches")
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="dispatches")
    squad = models.CharField("regu", max_length=40, help_text="Reserve id in the plan, e.g. R-01.")
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    plan_version = models.PositiveIntegerField(null=True, blank=True)
    proposed_squad = models.CharField(max_length=40, blank=True, default="",
                                      help_text="What Siaga proposed when this was accepted (empty: none free).")
    distance_km = models.FloatField(help_text="Travel km from the squad's base (great-circle x road factor).")
    state = models.CharField(max_length=12, choices=State.choices, default=State.DISPATCHED)
    accepted_at = models.DateTimeField(default=timezone.now)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    actor = models.CharField(max_length=150)
    arrived_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    freed_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        ordering = ["operation", "-accepted_at", "-id"]
        verbose_name = "pengerahan cadangan"
        verbose_name_plural = "pengerahan cadangan"
        constraints = [
            models.UniqueConstraint(fields=["operation", "squad"], condition=Q(state__in=list(rules.SQUAD_BUSY)),
                                    name="dispatch_squad_busy_once"),
            models.CheckConstraint(condition=Q(state__in=[rules.SQUAD_DISPATCHED, rules.SQUAD_ON_SCENE,
                                                          rules.SQUAD_BACK, rules.SQUAD_DONE]),
                                   name="dispatch_state_valid"),
            models.CheckConstraint(condition=Q(distance_km__gte=0), name="dispatch_distance_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.squad} -> #{self.incident_id} ({self.state})"


class OpsEvent(models.Model):
    """Append-only log of everything that changed on election day, written in the same transaction as the change.

    The command board streams it with server-sent events; ``id`` is the cursor (Last-Event-ID). ``payload`` holds
    the changed thing's new state (applying an event twice is harmless) and no personal data.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="ops_events")
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=32)
    payload = models.JSONField(default=dict)

    class Meta:
        ordering = ["id"]
        verbose_name = "peristiwa operasi"
        verbose_name_plural = "peristiwa operasi"
        indexes = [models.Index(fields=["operation", "id"]), models.Index(fields=["district", "id"])]

    def __str__(self) -> str:
        return f"{self.pk} {self.kind}"
