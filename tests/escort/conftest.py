"""Escort test data: the small two-Polres world of tests/api (fast, per test) and Kota Kediri loaded and planned
once per module (tests/web/conftest.py's fixture)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.api import conftest as api_fixtures
from tests.web.conftest import kediri  # noqa: F401 - the module-scoped Kota Kediri fixture

world = api_fixtures.world      # the two-Polres world of tests/accounts/world.py, per test
as_role = api_fixtures.as_role  # a test client logged in as one of the world's users
TZ = timezone.get_fixed_timezone(7 * 60)  # WIB, the server's zone in the default settings


def wib(day: dt.date, hhmm: str, days: int = 0) -> dt.datetime:
    """An aware time on ``day`` + ``days`` at ``hhmm`` WIB."""
    return dt.datetime.combine(day + dt.timedelta(days=days), dt.time.fromisoformat(hhmm), TZ)


@pytest.fixture
def legs_a(world):
    """Operation A of the world with its escort legs generated (2 districts, 2 villages, 2 TPS: 12 legs)."""
    from siaga.escort.services import escort_plan_generate

    escort_plan_generate(operation=world.op_a, actor="test")
    return world


def leg(operation, key: str):
    from siaga.escort.models import Leg

    return Leg.objects.get(operation=operation, key=key)


def checkin(leg_obj, point: str, at: dt.datetime, seals=("S-1",), boxes: int = 1, client_id: str | None = None):
    """Record a hand-over as the test actor (client id derived from the leg and point unless given)."""
    from siaga.escort.services import handover_checkin

    return handover_checkin(leg_id=leg_obj.pk, point=point, seal_numbers=list(seals), box_count=boxes, at=at,
                            client_id=client_id or f"{leg_obj.key}/{point}", actor="test")
