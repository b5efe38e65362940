"""The per-process caches of the status POST (docs/operations.md "Performance"): how stale each may be, and when
it lets go. Time is a fake clock handed to the caches, never a sleep."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404
from django.test import Client
from django.utils import timezone

from siaga.accounts import services as accounts
from siaga.accounts.models import ApiToken
from siaga.deployments.models import Plan
from siaga.operations import context
from siaga.regions.models import TPS
from tests.db.factories import TPSFactory
from tests.operations.conftest import VOTING_DAY, post_status, wib

pytestmark = pytest.mark.django_db


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    for cache in (accounts._TOKENS, context._TPS, context._OPERATIONS):
        monkeypatch.setattr(cache, "clock", fake)
    return fake


def bearer(raw: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_token_revoked_elsewhere_stops_within_ttl(world, clock):
    """A token revoked by another process (`siaga token revoke`) keeps working at most TOKEN_TTL s, then 401."""
    _, raw = accounts.token_create(user=world.users["field_officer"], actor="t")
    c = bearer(raw)
    assert post_status(c, "T1", "arrived", wib("06:10")).status_code == 201
    ApiToken.objects.update(revoked_at=timezone.now())  # as the CLI does, without touching this process's cache
    clock.now += accounts.TOKEN_TTL - 1
    assert post_status(c, "T1", "opened", wib("07:00")).status_code == 201
    clock.now += 2
    assert post_status(c, "T1", "voting", wib("07:30")).status_code == 401


def test_token_revoked_in_process_stops_at_once(world, clock):
    """token_revoke in the serving process forgets the cached token at once, and so does a user reset."""
    user = world.users["field_officer"]
    token, raw = accounts.token_create(user=user, actor="t")
    assert accounts.token_user(raw) == user
    accounts.token_revoke(prefix_or_username=token.prefix, actor="t")
    assert accounts.token_user(raw) is None
    _, raw2 = accounts.token_create(user=user, actor="t")
    assert accounts.token_user(raw2).siaga_profile.role == "field_officer"
    accounts.user_create(username=user.username, role="commander", unit=world.units["polsek1"], actor="t",
                         reset=True)
    assert accounts.token_user(raw2).siaga_profile.role == "commander"


def test_cached_user_is_a_copy_per_call(world, clock):
    """Each call returns its own user object: what one request sets on it does not reach the next."""
    _, raw = accounts.token_create(user=world.users["commander"], actor="t")
    first = accounts.token_user(raw)
    first.area_note = "request one"
    second = accounts.token_user(raw)
    assert second == first and second is not first and not hasattr(second, "area_note")


def test_new_published_plan_is_picked_up_within_ttl(world, clock):
    """operation_for_regency keeps an operation's current plan OPERATION_TTL s; a newly published one shows after."""
    regency = world.d1.regency_id
    assert context.operation_for_regency(regency, VOTING_DAY).plan_id == world.plan_a.pk
    v2 = Plan.objects.create(operation=world.op_a, version=2, pattern="uji", summary={},
                             document=world.plan_a.document, created_by="test", status=Plan.Status.PUBLISHED)
    clock.now += context.OPERATION_TTL - 1
    assert context.operation_for_regency(regency, VOTING_DAY).plan_id == world.plan_a.pk
    clock.now += 2
    got = context.operation_for_regency(regency, VOTING_DAY)
    assert got.plan_id == v2.pk and got.plan_key == (v2.pk, v2.created_at)


def test_tps_row_change_shows_within_ttl_and_unknown_codes_are_not_cached(world, clock):
    """A TPS row changed by an import shows within TPS_TTL s; a code not found is looked up again every time."""
    assert context.tps_for_report("T1").lat == world.tps["t1"].lat
    TPS.objects.filter(code="T1").update(lat=-7.5)
    clock.now += context.TPS_TTL - 1
    assert context.tps_for_report("T1").lat == world.tps["t1"].lat
    clock.now += 2
    assert context.tps_for_report("T1").lat == -7.5
    with pytest.raises(Http404):
        context.tps_for_report("T9")
    TPSFactory(code="T9", village=world.tps["t1"].village, number=9, lat=-7.8, lon=112.0)
    assert context.tps_for_report("T9").code == "T9"


def test_cached_tps_loads_unread_fields_from_the_database(world, clock):
    """A TPS built from the cache has the real values of the fields it did not keep (deferred, not defaults)."""
    context.tps_for_report("T1")
    tps = context.tps_for_report("T1")
    assert tps.village.district.code == world.d1.code and tps.village.district.regency_id == world.d1.regency_id
    assert tps.get_deferred_fields() and tps.kind == world.tps["t1"].kind
    assert tps.village.code == world.tps["t1"].village.code


def test_expired_entries_leave_the_cache(clock):
    """TTLCache: an entry lives ttl seconds, the least recently used goes beyond maxsize."""
    from siaga.core.cache import TTLCache

    cache = TTLCache(5, 2, clock=clock)
    cache.put("a", 1)
    cache.put("b", 2)
    cache.put("c", 3)
    assert cache.get("a") is None and cache.get("b") == 2
    clock.now += 5
    assert cache.get("b") is None and cache.get("c") is None


def test_status_insert_is_one_statement_with_its_event(world, clock):
    """The stored report and its event agree (the event payload carries the report's id), on either database."""
    from siaga.operations.models import OpsEvent, StatusReport

    _, raw = accounts.token_create(user=world.users["field_officer"], actor="t")
    body = post_status(bearer(raw), "T1", "opened", wib("07:01")).json()
    report = StatusReport.objects.get()
    event = OpsEvent.objects.get(kind="tps_status")
    assert body["id"] == report.pk == event.payload["id"] and event.payload["status"] == "opened"
    assert event.operation_id == report.operation_id and event.district_id == report.district_id
    assert report.at == dt.datetime(2024, 11, 27, 0, 1, tzinfo=dt.UTC)


def test_plans_warm_parses_the_latest_operations_plans_once(world, django_assert_num_queries):
    """At server start (siaga.wsgi with SIAGA_WARMUP=1) the current plans of the latest operations are parsed, so
    the first field report of a fresh process needs no parse; a later call finds them cached."""
    context.plan_cache_clear()
    assert sorted(context.plans_warm()) == [1, 1]  # the world's two operations, one plan (v1) each
    key = context.operation_context(world.op_a).plan_key
    with django_assert_num_queries(0):
        assert context.plan_facts(key).version == 1
    assert context.plans_warm(limit=1) == [1]
