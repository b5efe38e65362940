"""Escort API: shapes, filters, pagination, idempotent check-ins (201 then 200), roles and areas (401/403/404)."""

from __future__ import annotations

import pytest
from django.test import Client

from siaga.escort.models import Checkin
from tests.api.conftest import assert_error
from tests.escort.conftest import leg

pytestmark = pytest.mark.django_db
API = "/api/v1/escort/legs"
BODY = {"point": "from", "seal_numbers": ["KPU-001", "KPU-002"], "box_count": 2, "at": "2024-11-24T08:05:00+07:00"}
LEG_KEYS = {"id", "operation", "key", "seq", "direction", "from", "to", "district", "district_name", "village", "tps",
            "planned_departure", "planned_arrival", "state", "departed_at", "arrived_at", "missing_at", "missing_note",
            "late", "escorts", "plan_version", "note"}


def _post(client, leg_id, body=BODY, key="key-1", **extra):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(f"{API}/{leg_id}/checkins", body, content_type="application/json", **headers, **extra)


def test_list_shape_filters_and_pages(legs_a, as_role):
    """The list is paginated, each leg has the documented keys; operation, district, state and late filter it."""
    client = as_role("planner")
    op = legs_a.op_a.pk
    body = client.get(f"{API}?operation={op}&limit=5").json()
    assert (body["count"], body["limit"], body["offset"], len(body["items"])) == (12, 5, 0, 5)
    item = body["items"][0]
    assert set(item) == LEG_KEYS and set(item["from"]) == {"kind", "name", "code"}
    assert item["key"] == "1:35.71.01" and item["from"]["kind"] == "warehouse" and item["tps"] == ["T1"]
    assert item["escorts"] == [{"code": "44444444", "name": "Dewi", "rank": "Bripka"}]
    assert client.get(f"{API}?operation={op}&district=35.71.02").json()["count"] == 6
    late = client.get(f"{API}?operation={op}&late=true&at=2024-11-24T08:30:00%2B07:00").json()
    assert [(i["key"], i["late"]) for i in late["items"]] == [("1:35.71.01", "departure"), ("1:35.71.02", "departure")]
    assert client.get(f"{API}?operation={op}&state=arrived").json()["count"] == 0
    assert client.get(f"{API}?operation={op}&tps=T2").json()["count"] == 6
    assert_error(client.get(f"{API}?state=lost"), 400, "bad_request")
    assert_error(client.get(f"{API}?late=maybe"), 422, "validation_error")


def test_detail_with_checkins(legs_a, as_role):
    """One leg answers with its check-ins."""
    convoy = leg(legs_a.op_a, "1:35.71.01")
    client = as_role("commander")
    assert _post(client, convoy.pk).status_code == 201
    body = client.get(f"{API}/{convoy.pk}").json()
    assert set(body) == LEG_KEYS | {"checkins"} and body["state"] == "departed"
    assert body["checkins"][0]["seal_numbers"] == ["KPU-001", "KPU-002"] and body["checkins"][0]["by"] == "commander"


def test_checkin_201_then_200_same_body(legs_a, as_role):
    """The first check-in answers 201; a replay with the same Idempotency-Key answers 200 with the same body."""
    convoy = leg(legs_a.op_a, "1:35.71.01")
    client = as_role("field_officer")
    first = _post(client, convoy.pk)
    assert first.status_code == 201
    replay = _post(client, convoy.pk)
    assert replay.status_code == 200 and replay.json() == first.json()
    assert first.json()["at"] == "2024-11-24T01:05:00Z" and first.json()["client_id"] == "key-1"
    assert Checkin.objects.count() == 1
    body_key = _post(client, leg(legs_a.op_a, "1:35.71.01").pk, body={**BODY, "client_id": "key-1"}, key=None)
    assert body_key.status_code == 200 and body_key.json() == first.json()


def test_checkin_errors(legs_a, as_role):
    """No key, two different keys, empty seals and out-of-order points are 400 with the one error shape."""
    convoy = leg(legs_a.op_a, "1:35.71.01")
    client = as_role("commander")
    assert "Idempotency-Key" in assert_error(_post(client, convoy.pk, key=None), 400, "bad_request")["message"]
    assert_error(_post(client, convoy.pk, body={**BODY, "client_id": "b"}, key="a"), 400, "bad_request")
    err = assert_error(_post(client, convoy.pk, body={**BODY, "seal_numbers": []}), 400, "bad_request")
    assert "seal_numbers" in err["message"]
    err = assert_error(_post(client, convoy.pk, body={**BODY, "point": "to"}, key="k2"), 400, "bad_request")
    assert "urutan" in err["message"]
    assert_error(_post(client, convoy.pk, body={**BODY, "box_count": 0}, key="k3"), 422, "validation_error")
    assert not Checkin.objects.exists()


def test_roles_and_areas(legs_a, as_role):
    """Anonymous 401; partners 403 on writes and see escorts without NRP; other areas 404; field officers may not
    mark missing (403) but commanders may."""
    w = legs_a
    own, other = leg(w.op_a, "1:35.71.01"), leg(w.op_a, "1:35.71.02")
    assert_error(Client().get(API), 401, "not_authenticated")
    partner = as_role("partner")
    assert_error(_post(partner, own.pk), 403, "forbidden")
    escorts = partner.get(f"{API}/{own.pk}").json()["escorts"]
    assert escorts == []  # partners read no person: how many escorts is on the page, never who
    commander = as_role("commander")
    assert commander.get(f"{API}?operation={w.op_a.pk}").json()["count"] == 6
    assert_error(commander.get(f"{API}/{other.pk}"), 404, "not_found")
    assert_error(_post(commander, other.pk), 404, "not_found")
    assert_error(as_role("planner_b").get(f"{API}?operation={w.op_a.pk}"), 404, "not_found")
    assert as_role("planner_b").get(API).json()["count"] == 0
    missing = {"note": "tidak ada kabar"}
    assert_error(as_role("field_officer").post(f"{API}/{own.pk}/missing", missing, content_type="application/json"),
                 403, "forbidden")
    response = commander.post(f"{API}/{own.pk}/missing", missing, content_type="application/json")
    assert response.status_code == 200 and response.json()["state"] == "missing"
    assert_error(commander.post(f"{API}/{other.pk}/missing", missing, content_type="application/json"), 404, "not_found")
    assert_error(commander.get(f"{API}/0"), 422, "validation_error")
