"""Ballot-logistics escort: the legs of the chain and the hand-over check-ins at their ends.

A leg moves the boxes of one district (KPU warehouse <-> PPK), one village (PPK <-> PPS) or one TPS
(PPS <-> TPS) in one direction, with planned times and escorting personnel. Rules that must always hold
(arrival after departure, state consistent with the recorded times, one check-in per end of a leg, a client
id stored once) are database constraints.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from siaga.elections.models import Operation
from siaga.escort.schedule import OUTBOUND, PPK, PPS, RETURN, TPS, WAREHOUSE
from siaga.forces.models import Personnel
from siaga.regions.models import TPS as TPSModel
from siaga.regions.models import District, Village


class PointKind(models.TextChoices):
    WAREHOUSE = WAREHOUSE, "Gudang KPU"
    PPK = PPK, "PPK (kecamatan)"
    PPS = PPS, "PPS (desa/kelurahan)"
    TPS = TPS, "TPS"


class Leg(models.Model):
    """One escorted move of ballot boxes between two points of the chain."""

    class Direction(models.TextChoices):
        OUTBOUND = OUTBOUND, "Berangkat (distribusi)"
        RETURN = RETURN, "Kembali (setelah penghitungan)"

    class State(models.TextChoices):
        PLANNED = "planned", "Direncanakan"
        DEPARTED = "departed", "Berangkat"
        ARRIVED = "arrived", "Tiba, diserahterimakan"
        MISSING = "missing", "Hilang / tidak ada kabar"

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="escort_legs")
    key = models.CharField(max_length=80, help_text="Natural key within the operation, e.g. '3:3571011001-001'.")
    seq = models.PositiveSmallIntegerField("urutan", help_text="1 warehouse->PPK ... 3 PPS->TPS, 4 TPS->PPS ... 6 PPK->warehouse.")
    direction = models.CharField(max_length=10, choices=Direction.choices)
    from_kind = models.CharField(max_length=10, choices=PointKind.choices)
    from_name = models.CharField(max_length=150)
    from_code = models.CharField(max_length=40)
    to_kind = models.CharField(max_length=10, choices=PointKind.choices)
    to_name = models.CharField(max_length=150)
    to_code = models.CharField(max_length=40)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="escort_legs")
    village = models.ForeignKey(Village, null=True, blank=True, on_delete=models.PROTECT, related_name="escort_legs")
    tps = models.ManyToManyField(TPSModel, related_name="escort_legs", help_text="The TPS whose boxes this leg carries.")
    planned_departure = models.DateTimeField("rencana berangkat")
    planned_arrival = models.DateTimeField("rencana tiba")
    escorts = models.ManyToManyField(Personnel, blank=True, related_name="escort_legs")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PLANNED)
    departed_at = models.DateTimeField(null=True, blank=True)
    arrived_at = models.DateTimeField(null=True, blank=True)
    missing_at = models.DateTimeField(null=True, blank=True)
    missing_note = models.CharField(max_length=300, blank=True, default="")
    plan_version = models.PositiveIntegerField(null=True, blank=True, help_text="Plan version the escorts came from.")
    note = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["operation", "district__code", "seq", "key"]
        verbose_name = "kaki pengawalan"
        verbose_name_plural = "kaki pengawalan"
        indexes = [models.Index(fields=["operation", "state", "planned_arrival"]),
                   models.Index(fields=["operation", "district", "seq"])]
        constraints = [
            models.UniqueConstraint(fields=["operation", "key"], name="escort_leg_key_unique"),
            models.CheckConstraint(condition=Q(planned_arrival__gt=F("planned_departure")),
                                   name="escort_leg_arrival_after_departure"),
            models.CheckConstraint(condition=Q(direction=OUTBOUND, seq__gte=1, seq__lte=3)
                                   | Q(direction=RETURN, seq__gte=4, seq__lte=6), name="escort_leg_seq_matches_direction"),
            models.CheckConstraint(condition=Q(from_kind__in=PointKind.values) & Q(to_kind__in=PointKind.values)
                                   & ~Q(from_kind=F("to_kind")), name="escort_leg_points_valid"),
            models.CheckConstraint(condition=Q(state__in=["planned", "departed", "arrived", "missing"]),
                                   name="escort_leg_state_valid"),
            models.CheckConstraint(condition=Q(state="planned", departed_at__isnull=True, arrived_at__isnull=True)
                                   | Q(state="departed", departed_at__isnull=False, arrived_at__isnull=True)
                                   | Q(state="arrived", departed_at__isnull=False, arrived_at__isnull=False)
                                   | Q(state="missing", arrived_at__isnull=True, missing_at__isnull=False),
                                   name="escort_leg_state_matches_times"),
            models.CheckConstraint(condition=Q(arrived_at__isnull=True) | Q(arrived_at__gte=F("departed_at")),
                                   name="escort_leg_arrives_after_departing"),
            models.CheckConstraint(condition=Q(seq__in=[2, 3, 4, 5]) | Q(village__isnull=True),
                                   name="escort_leg_district_hops_have_no_village"),
            models.CheckConstraint(condition=Q(seq__in=[1, 6]) | Q(village__isnull=False),
                                   name="escort_leg_village_hops_have_village"),
        ]

    def __str__(self) -> str:
        return f"{self.from_name} → {self.to_name}"

    @property
    def next_point(self) -> str | None:
        """Which end the next check-in is for: 'from' (departure), 'to' (arrival), or None (done)."""
        if self.departed_at is None:
            return Checkin.Point.FROM
        if self.arrived_at is None:
            return Checkin.Point.TO
        return None


class Checkin(models.Model):
    """A hand-over at one end of a leg: the escort takes the boxes (``from``) or hands them over (``to``)."""

    class Point(models.TextChoices):
        FROM = "from", "Serah terima di asal (berangkat)"
        TO = "to", "Serah terima di tujuan (tiba)"

    leg = models.ForeignKey(Leg, on_delete=models.CASCADE, related_name="checkins")
    point = models.CharField(max_length=4, choices=Point.choices)
    at = models.DateTimeField("waktu serah terima")
    received_at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="escort_checkins")
    actor = models.CharField(max_length=150)
    seal_numbers = models.JSONField(default=list, help_text="Seal numbers on the boxes, as read at the hand-over.")
    box_count = models.PositiveIntegerField("jumlah kotak")
    note = models.CharField(max_length=500, blank=True, default="")
    client_id = models.CharField(max_length=64,
                                 help_text="Sender's idempotency key, per actor: a resend with the same key is "
                                           "stored once (siaga.core.idempotency).")
    discrepancies = models.JSONField(default=list, blank=True,
                                     help_text="Differences to the departure hand-over (seals, box count).")

    class Meta:
        ordering = ["leg", "at", "id"]
        verbose_name = "serah terima"
        verbose_name_plural = "serah terima"
        constraints = [
            models.UniqueConstraint(fields=["leg", "point"], name="escort_checkin_once_per_point"),
            models.UniqueConstraint(fields=["actor", "client_id"], name="escort_checkin_key_per_actor"),
            models.CheckConstraint(condition=Q(point__in=["from", "to"]), name="escort_checkin_point_valid"),
            models.CheckConstraint(condition=Q(box_count__gte=1), name="escort_checkin_has_boxes"),
            models.CheckConstraint(condition=~Q(client_id=""), name="escort_checkin_client_id_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.leg} [{self.point}] {self.at:%Y-%m-%d %H:%M}"
