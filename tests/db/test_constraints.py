"""The database itself refuses invalid rows, whatever code path writes them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from siaga.elections.models import Election, Operation, Stage
from tests.db.factories import PersonnelFactory, TPSFactory, UnitFactory, VillageFactory

pytestmark = pytest.mark.django_db


def _refused(make) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_tps_voters_cannot_be_negative():
    """A TPS with negative voters is refused by the database."""
    _refused(lambda: TPSFactory(voters=-1))


def test_tps_must_lie_inside_indonesia():
    """Coordinates outside Indonesia's box are refused (latitude and longitude)."""
    _refused(lambda: TPSFactory(lat=48.85))
    _refused(lambda: TPSFactory(lon=2.35))


def test_tps_number_unique_within_village():
    """Two TPS of one village cannot share a number."""
    village = VillageFactory()
    TPSFactory(village=village, number=1)
    _refused(lambda: TPSFactory(village=village, number=1))


def test_tps_manual_category_needs_reason_and_valid_value():
    """A manual category needs a reason, and only the four categories are allowed."""
    _refused(lambda: TPSFactory(manual_category="rawan", manual_category_reason=""))
    _refused(lambda: TPSFactory(manual_category="gawat", manual_category_reason="x"))
    assert TPSFactory(manual_category="rawan", manual_category_reason="Riwayat bentrok 2019").pk


def test_unit_force_and_level_are_closed_lists():
    """A unit's force and level must come from the vocabularies."""
    _refused(lambda: UnitFactory(force="navy"))
    _refused(lambda: UnitFactory(level="battalion"))


def test_personnel_rank_must_belong_to_force():
    """A Polri member cannot carry a TNI rank, and an unknown rank is refused."""
    _refused(lambda: PersonnelFactory(rank="Serda"))
    _refused(lambda: PersonnelFactory(rank="Captain"))
    assert PersonnelFactory(force="tni", rank="Serda", unit=UnitFactory(force="tni", level="koramil")).pk


def test_linmas_requires_home_village():
    """A Linmas member must have the village it serves."""
    unit = UnitFactory(force="linmas", level="village")
    _refused(lambda: PersonnelFactory(force="linmas", rank="Anggota", unit=unit, home_village=None))
    assert PersonnelFactory(force="linmas", rank="Anggota", unit=unit, home_village=VillageFactory()).pk


def test_personnel_status_closed_list():
    """Status must be available, leave, sick or training."""
    _refused(lambda: PersonnelFactory(status="missing"))


def test_stage_and_operation_dates_and_share():
    """Stages end after they start and their share lies between 0 and 1; operations too end after start."""
    election = Election.objects.create(name="Pilkada Uji", kind="pilkada", voting_day=dt.date(2024, 11, 27))
    _refused(lambda: Stage.objects.create(election=election, code="voting", name="x",
                                          start=dt.date(2024, 11, 27), end=dt.date(2024, 11, 26)))
    _refused(lambda: Stage.objects.create(election=election, code="voting", name="x", start=dt.date(2024, 11, 27),
                                          end=dt.date(2024, 11, 27), min_share_numerator=3, min_share_denominator=2))
    _refused(lambda: Operation.objects.create(name="Op", election=election, start=dt.date(2024, 12, 1),
                                              end=dt.date(2024, 8, 1)))
    _refused(lambda: Election.objects.create(name="E2", kind="referendum", voting_day=dt.date(2024, 1, 1)))


def test_stage_share_defaults_to_the_telegram_table():
    """A stage created without a share gets the Kapolri telegram's minimum (voting 2/3, campaign 1/2)."""
    from fractions import Fraction

    from siaga.elections.services import stage_upsert

    election = Election.objects.create(name="Pilkada Bawaan", kind="pilkada", voting_day=dt.date(2024, 11, 27))
    day = dt.date(2024, 11, 27)
    assert stage_upsert(election=election, code="voting", name="Pemungutan", start=day, end=day).min_share == Fraction(2, 3)
    assert stage_upsert(election=election, code="campaign", name="Kampanye", start=dt.date(2024, 9, 25),
                        end=dt.date(2024, 11, 23)).min_share == Fraction(1, 2)
    assert stage_upsert(election=election, code="rakor", name="Rakor", start=day, end=day).min_share == Fraction(1, 3)
