"""Election-day test data: the small two-Polres world (tests/accounts/world.py), its field officer tied to the
person standing at post P-D1 (TPS T1), and one more TPS (T1B) in the same district that no post holds."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from siaga.accounts.models import Profile
from siaga.accounts.services import token_create
from siaga.api.fastpath import lean_response
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


class LeanFirstHandler:
    """The test client's handler behind the production WSGI stack's lean path (siaga.wsgi: StatusFastPath in front
    of Django): a status report the lean path accepts never reaches Django; anything else does, as in production.
    Counts what each side served."""

    def __init__(self, django_handler) -> None:
        self.django_handler = django_handler
        self.served = {"lean": 0, "django": 0}

    def __call__(self, environ):
        answer = lean_response(environ)
        if answer is None:
            self.served["django"] += 1
            return self.django_handler(environ)
        self.served["lean"] += 1
        status, headers, body = answer
        response = HttpResponse(body, status=status)
        for name, value in headers:
            response[name] = value
        response.wsgi_request = WSGIRequest(environ)
        return response


def token_client(user) -> Client:
    """A client that sends the user's new API token (no session) through the production stack (LeanFirstHandler)."""
    _, raw = token_create(user=user, actor="test")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    client.handler = LeanFirstHandler(client.handler)
    return client


@pytest.fixture(params=["session", "token"])
def as_sender(request, world):
    """as_sender("field_officer") -> a client for that world user, once logged in by session (Django's stack) and
    once with a Bearer token through the production stack (lean path first): the same rules must hold on both."""

    def make(role: str) -> Client:
        if request.param == "token":
            return token_client(world.users[role])
        client = Client()
        client.force_login(world.users[role])
        return client

    return make
