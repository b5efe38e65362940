"""TPS status reports over the API: idempotency, who may report for which TPS, the timeline."""

from __future__ import annotations

import pytest

from siaga.operations.models import OpsEvent, StatusReport
from tests.api.conftest import assert_error
from tests.operations.conftest import post_status, wib

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_role(as_sender):
    """Every test here runs twice: session through Django, and Bearer token through the lean path (production)."""
    return as_sender


def test_first_report_201_replay_200_same_body(as_role):
    """The same Idempotency-Key answers 201 once, then 200 with the identical body, and stores one row."""
    c = as_role("field_officer")
    first = post_status(c, "T1", "arrived", wib("06:10"), key="k-1")
    assert first.status_code == 201, first.content
    again = post_status(c, "T1", "arrived", wib("06:10"), key="k-1")
    assert again.status_code == 200 and again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert StatusReport.objects.count() == 1 and OpsEvent.objects.filter(kind="tps_status").count() == 1
    body = first.json()
    assert body["tps"] == "T1" and body["status"] == "arrived" and body["step"] == 1
    assert body["at"] == "2024-11-26T23:10:00Z" and body["reported_by"] == "field"


def test_same_key_other_body_is_409(as_role):
    """A replay with the same key but another step or time is refused with 409 and stores nothing."""
    c = as_role("field_officer")
    assert post_status(c, "T1", "arrived", wib("06:10"), key="k-2").status_code == 201
    assert_error(post_status(c, "T1", "opened", wib("06:10"), key="k-2"), 409, "conflict")
    assert_error(post_status(c, "T1", "arrived", wib("06:11"), key="k-2"), 409, "conflict")
    assert StatusReport.objects.count() == 1


def test_keys_are_per_user(as_role):
    """Two users may use the same key: it identifies a report of one sender."""
    assert post_status(as_role("field_officer"), "T1", "arrived", wib("06:10"), key="same").status_code == 201
    assert post_status(as_role("commander"), "T1", "arrived", wib("06:10"), key="same").status_code == 201
    assert StatusReport.objects.count() == 2


def test_missing_or_bad_key_is_400(as_role):
    """Without an Idempotency-Key (or with a malformed one) the report is refused in the error shape."""
    c = as_role("field_officer")
    err = assert_error(post_status(c, "T1", "arrived", wib("06:10"), key=""), 400, "bad_request")
    assert "Idempotency-Key" in err["message"]
    assert_error(post_status(c, "T1", "arrived", wib("06:10"), key="bad key with spaces"), 400, "bad_request")
    assert not StatusReport.objects.exists()


def test_bad_step_and_future_time_are_400(as_role):
    """An unknown step or a time far in the future names the field."""
    from django.utils import timezone

    c = as_role("field_officer")
    assert "status" in assert_error(post_status(c, "T1", "lunch", wib("06:10")), 400, "bad_request")["message"]
    future = timezone.now() + timezone.timedelta(hours=2)
    assert "at" in assert_error(post_status(c, "T1", "arrived", future), 400, "bad_request")["message"]
    assert_error(post_status(c, "T1", "arrived", "yesterday"), 422, "validation_error")


def test_field_officer_only_its_posts_tps(as_role):
    """A field officer reports for its post's TPS; another TPS of its area is 403, one outside it 404."""
    c = as_role("field_officer")
    assert post_status(c, "T1", "arrived", wib("06:10")).status_code == 201
    assert_error(post_status(c, "T1B", "arrived", wib("06:10")), 403, "forbidden")
    assert_error(post_status(c, "T2", "arrived", wib("06:10")), 404, "not_found")
    assert_error(post_status(c, "T3", "arrived", wib("06:10")), 404, "not_found")
    assert_error(post_status(c, "NOPE", "arrived", wib("06:10")), 404, "not_found")


def test_field_officer_without_person_may_not_report(as_role, world):
    """A field officer login not tied to a person has no post, so no TPS to report for (403)."""
    from siaga.accounts.models import Profile

    Profile.objects.filter(user=world.users["field_officer"]).update(personnel=None)
    assert_error(post_status(as_role("field_officer"), "T1", "arrived", wib("06:10")), 403, "forbidden")


def test_published_plan_decides_the_post(as_role, world):
    """The post comes from the published plan, not a newer draft."""
    from siaga.deployments.models import Plan
    from siaga.operations.context import context_cache_clear

    doc = dict(world.plan_a.document)
    doc["posts"] = [{**p, "tps": ["T1B"] if p["id"] == "P-D1" else p["tps"]} for p in doc["posts"]]
    Plan.objects.create(operation=world.op_a, version=2, pattern="uji", summary={}, document=doc, created_by="t")
    c = as_role("field_officer")
    assert post_status(c, "T1B", "arrived", wib("06:10")).status_code == 201  # latest version: T1B
    Plan.objects.filter(pk=world.plan_a.pk).update(status="published")
    context_cache_clear()  # the operation (and its plan) is cached OPERATION_TTL s: see test_hot_path_caches
    assert_error(post_status(c, "T1B", "opened", wib("07:00")), 403, "forbidden")  # published v1: T1 only
    assert post_status(c, "T1", "opened", wib("07:00")).status_code == 201


@pytest.mark.parametrize("role,tps,status", [("commander", "T1B", 201), ("commander", "T2", 404),
                                             ("planner", "T2", 201), ("planner", "T3", 404), ("admin", "T3", 201),
                                             ("partner", "T1", 403), ("planner_b", "T1", 404)])
def test_roles_and_areas(as_role, role, tps, status):
    """Commanders and planners report for any TPS of their area, admins anywhere, partners never."""
    response = post_status(as_role(role), tps, "arrived", wib("06:10"))
    assert response.status_code == status, response.content


def test_token_auth_and_no_auth(client, world):
    """A Bearer token works without CSRF; no credentials answer 401."""
    from siaga.accounts.services import token_create

    _, raw = token_create(user=world.users["field_officer"], actor="test")
    ok = client.post("/api/v1/tps/T1/status", {"status": "arrived", "at": wib("06:10").isoformat()},
                     content_type="application/json", headers={"Authorization": f"Bearer {raw}",
                                                               "Idempotency-Key": "tok-1"})
    assert ok.status_code == 201, ok.content
    assert_error(post_status(client, "T1", "arrived", wib("06:10")), 401, "not_authenticated")


def test_timeline_orders_by_time_and_flags_corrections(as_role):
    """The timeline is in reported-time order (late arrivals slot in), marks skipped steps and corrections."""
    c = as_role("field_officer")
    for status, hhmm in (("arrived", "06:05"), ("voting", "07:10"), ("closed", "13:00"), ("voting", "13:02")):
        assert post_status(c, "T1", status, wib(hhmm)).status_code == 201
    assert post_status(c, "T1", "opened", wib("07:00")).status_code == 201  # queued offline, sent late
    body = c.get("/api/v1/tps/T1/status").json()
    assert [i["status"] for i in body["items"]] == ["arrived", "opened", "voting", "closed", "voting"]
    assert [i["correction"] for i in body["items"]] == [False, False, False, False, True]
    assert body["current"]["status"] == "voting" and body["current"]["correction"] is True
    assert body["items"][2]["skipped"] == []
    c2 = as_role("commander")
    assert post_status(c2, "T1B", "counting", wib("14:00")).status_code == 201
    only = c2.get("/api/v1/tps/T1B/status").json()["items"][0]
    assert only["skipped"] == ["arrived", "opened", "voting", "closed"]


def test_timeline_scoped_and_partner_without_names(as_role):
    """Partners read the timeline without reporter names; other areas are 404."""
    assert post_status(as_role("field_officer"), "T1", "arrived", wib("06:05")).status_code == 201
    item = as_role("partner").get("/api/v1/tps/T1/status").json()["items"][0]
    assert item["reported_by"] == "" and item["note"] == ""
    assert_error(as_role("commander").get("/api/v1/tps/T2/status"), 404, "not_found")
    assert_error(as_role("planner_b").get("/api/v1/tps/T1/status"), 404, "not_found")


def test_every_report_writes_one_event(as_role, world):
    """Each stored report appends one event (kind tps_status) for its operation and district, no personal data."""
    c = as_role("field_officer")
    post_status(c, "T1", "arrived", wib("06:05"), key="e-1")
    post_status(c, "T1", "arrived", wib("06:05"), key="e-1")
    post_status(c, "T1", "opened", wib("07:01"))
    events = list(OpsEvent.objects.order_by("id"))
    assert [e.kind for e in events] == ["tps_status", "tps_status"]
    assert {e.operation_id for e in events} == {world.op_a.pk} and {e.district_id for e in events} == {world.d1.pk}
    assert events[1].payload["status"] == "opened" and "reported_by" not in events[1].payload


def test_hot_path_query_budget(client, world):
    """A field officer's status POST with a token: with the per-process caches warm (docs/operations.md
    "Performance") only the writes (one statement on PostgreSQL, two INSERTs elsewhere); cold, 3 reads first."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from siaga.accounts.services import token_cache_clear, token_create
    from siaga.operations.context import context_cache_clear

    _, raw = token_create(user=world.users["field_officer"], actor="test")
    headers = {"Authorization": f"Bearer {raw}"}

    def send(key, hhmm):
        with CaptureQueriesContext(connection) as queries:
            assert client.post("/api/v1/tps/T1/status", {"status": "arrived", "at": wib(hhmm).isoformat()},
                               content_type="application/json",
                               headers={**headers, "Idempotency-Key": key}).status_code == 201
        return [q["sql"].split()[0].upper() for q in queries.captured_queries
                if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE"))]

    send("warm", "06:00")  # parses the plan, marks the token used
    writes = ["WITH"] if connection.vendor == "postgresql" else ["INSERT"] * 2
    assert send("hot", "06:01") == writes
    token_cache_clear()
    context_cache_clear()
    assert send("cold", "06:02") == ["SELECT"] * 3 + writes  # token+user+profile, TPS, operation+plan


def test_no_operation_is_400_only_inside_the_area(as_role, world):
    """A TPS without an operation answers 400 to users of its area, but 404 to others (no probing)."""
    from siaga.elections.models import Operation

    Operation.objects.filter(pk=world.op_b.pk).delete()
    assert "operasi" in assert_error(post_status(as_role("planner_b"), "T3", "arrived", wib("06:10")), 400,
                                     "bad_request")["message"]
    assert_error(post_status(as_role("commander"), "T3", "arrived", wib("06:10")), 404, "not_found")
