"""Election-day test data: the small two-Polres world (tests/accounts/world.py), its field officer tied to the
person standing at post P-D1 (TPS T1), and one more TPS (T1B) in the same district that no post holds."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from siaga.accounts.models import Profile
from siaga.operations.context import plan_cache_clear
from tests.accounts.world import build_world
from tests.api.conftest import as_role  # noqa: F401 - a logged-in client per world user (this world)
from tests.db.factories import TPSFactory

WIB = timezone.get_fixed_timezone(7 * 60)
VOTING_DAY = dt.date(2024, 11, 27)  # the world's operation A


def wib(hhmm: str, day: dt.date = VOTING_DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.fromisoformat(hhmm), WIB)


@pytest.fixture
def world(db):
    plan_cache_clear()
    w = build_world()
    Profile.objects.filter(user=w.users["field_officer"]).update(personnel=w.people["p1"])
    w.users["field_officer"].refresh_from_db()
    w.tps["t1b"] = TPSFactory(code="T1B", village=w.tps["t1"].village, number=2, lat=-7.80, lon=112.01)
    yield w
    plan_cache_clear()


def post_status(client: Client, tps: str, status: str, at: dt.datetime | str, key: str | None = None,
                **extra):
    """POST /api/v1/tps/{tps}/status with an Idempotency-Key (a fresh one unless given)."""
    body = {"status": status, "at": at if isinstance(at, str) else at.isoformat(), **extra}
    headers = {} if key == "" else {"Idempotency-Key": key or str(uuid.uuid4())}
    return client.post(f"/api/v1/tps/{tps}/status", body, content_type="application/json", headers=headers)


def post_incident(client: Client, key: str | None = None, **body):
    data = {"type": "intimidation", "severity": "medium", "text": "Sekelompok orang mengintimidasi pemilih",
            "tps": "T1", **body}
    headers = {"Idempotency-Key": key or str(uuid.uuid4())}
    return client.post("/api/v1/incidents", data, content_type="application/json", headers=headers)
