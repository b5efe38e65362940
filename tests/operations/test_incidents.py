"""Incidents: reporting (idempotent, scoped, with a photo), the lifecycle and its history."""

from __future__ import annotations

import base64

import pytest

from siaga.core.models import AuditEvent
from siaga.operations.models import Incident, IncidentEvent, OpsEvent
from tests.api.conftest import assert_error
from tests.operations.conftest import post_incident, wib

pytestmark = pytest.mark.django_db

# the smallest valid PNG (1x1), as a phone would send it after shrinking
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def _transition(client, incident_id, to, **body):
    return client.post(f"/api/v1/incidents/{incident_id}/transitions", {"to": to, **body},
                       content_type="application/json")


def test_report_201_replay_200_and_history(as_role, world):
    """A new incident is stored once per key (201 then 200, same body) with its first history row and event."""
    c = as_role("field_officer")
    first = post_incident(c, key="inc-1", at=wib("08:00").isoformat())
    assert first.status_code == 201, first.content
    again = post_incident(c, key="inc-1", at=wib("08:00").isoformat())
    assert again.status_code == 200 and again.content == first.content
    body = first.json()
    assert body["state"] == "new" and body["tps"] == "T1" and body["district"] == "35.71.01"
    assert body["location_source"] == "tps" and body["operation"] == world.op_a.pk
    assert Incident.objects.count() == 1 and IncidentEvent.objects.count() == 1
    assert OpsEvent.objects.filter(kind="incident").count() == 1
    assert AuditEvent.objects.filter(action="incident.report").count() == 1
    assert_error(post_incident(c, key="inc-1", severity="critical", at=wib("08:00").isoformat()), 409, "conflict")


def test_report_checks_fields(as_role):
    """Unknown type or severity, empty text and a missing place are refused, naming the field."""
    c = as_role("commander")
    assert "type" in assert_error(post_incident(c, type="gossip"), 400, "bad_request")["message"]
    assert "severity" in assert_error(post_incident(c, severity="huge"), 400, "bad_request")["message"]
    assert "text" in assert_error(post_incident(c, text="  "), 400, "bad_request")["message"]
    assert_error(post_incident(c, tps=None), 400, "bad_request")
    assert_error(post_incident(c, tps="T1", village="35.71.02.1001"), 400, "bad_request")
    assert not Incident.objects.exists()


def test_place_without_tps(as_role):
    """A commander may report at a village or district of its area; the place's TPS give the coordinates."""
    c = as_role("commander")
    v = post_incident(c, tps=None, village="35.71.01.1001")
    assert v.status_code == 201 and v.json()["location_source"] == "village"
    g = post_incident(c, tps=None, district="35.71.01", lat=-7.81, lon=112.02)
    assert g.status_code == 201 and g.json()["location_source"] == "gps" and g.json()["lat"] == -7.81
    assert_error(post_incident(c, tps=None, district="35.71.02"), 404, "not_found")


def test_field_officer_scoping(as_role):
    """A field officer reports incidents at its post's TPS only, never by village or district."""
    c = as_role("field_officer")
    assert_error(post_incident(c, tps="T1B"), 403, "forbidden")
    assert_error(post_incident(c, tps="T2"), 404, "not_found")
    assert_error(post_incident(c, tps=None, district="35.71.01"), 403, "forbidden")
    assert_error(post_incident(as_role("partner")), 403, "forbidden")


def test_photo_stored_and_served_to_insiders_only(as_role):
    """A PNG photo is stored under the data dir and served to users of the area, never to partners."""
    c = as_role("field_officer")
    data_url = "data:image/png;base64," + base64.b64encode(PNG).decode()
    body = post_incident(c, photo=data_url).json()
    assert body["photo_url"].endswith(f"/lapangan/insiden/{body['id']}/foto/")
    photo = as_role("commander").get(body["photo_url"])
    assert photo.status_code == 200 and photo["Content-Type"] == "image/png"
    assert b"".join(photo.streaming_content) == PNG
    assert as_role("partner").get(body["photo_url"]).status_code == 403
    assert as_role("planner_b").get(body["photo_url"]).status_code == 404
    partner_view = as_role("partner").get(f"/api/v1/incidents/{body['id']}").json()
    assert not partner_view["photo_url"] and not partner_view["reported_by"] and not partner_view["text"]


def test_photo_checked(as_role):
    """A photo that is not an image, lies about its type, or is too big is refused (400), nothing stored."""
    c = as_role("field_officer")
    fake = "data:image/png;base64," + base64.b64encode(b"MZ\x90\x00 not an image").decode()
    assert "photo" in assert_error(post_incident(c, photo=fake), 400, "bad_request")["message"]
    liar = "data:image/jpeg;base64," + base64.b64encode(PNG).decode()
    assert_error(post_incident(c, photo=liar), 400, "bad_request")
    big = "data:image/png;base64," + base64.b64encode(PNG + b"\0" * 1_600_000).decode()
    assert_error(post_incident(c, photo=big), 400, "bad_request")
    assert_error(post_incident(c, photo="data:text/html;base64,PGI+"), 400, "bad_request")
    assert not Incident.objects.exists()


def test_full_lifecycle_recorded(as_role):
    """new -> verified -> resolved -> closed, each step a history row with who and the note, and an event."""
    incident = post_incident(as_role("field_officer")).json()
    c = as_role("commander")
    assert _transition(c, incident["id"], "verified", severity="high", note="dicek Bhabin").status_code == 200
    assert _transition(c, incident["id"], "resolved", note="massa bubar").status_code == 200
    detail = _transition(c, incident["id"], "closed").json()
    assert detail["state"] == "closed" and detail["severity"] == "high"
    steps = [(h["from_state"], h["to_state"], h["by"]) for h in detail["history"]]
    assert steps == [("", "new", "field"), ("new", "verified", "commander"), ("verified", "resolved", "commander"),
                     ("resolved", "closed", "commander")]
    assert detail["history"][1]["details"] == {"severity_from": "medium", "severity": "high"}
    assert OpsEvent.objects.filter(kind="incident").count() == 4
    assert AuditEvent.objects.filter(action="incident.transition").count() == 3


def test_illegal_transitions_refused(as_role):
    """Skipping verification, leaving a closed incident, going to 'dispatched' by hand or rejecting without a note
    are refused with a message naming the allowed moves; nothing changes."""
    incident = post_incident(as_role("field_officer")).json()
    c = as_role("commander")
    err = assert_error(_transition(c, incident["id"], "resolved"), 400, "bad_request")
    assert "verified" in err["message"] and "rejected" in err["message"]
    assert_error(_transition(c, incident["id"], "dispatched"), 400, "bad_request")
    assert_error(_transition(c, incident["id"], "rejected"), 400, "bad_request")
    assert_error(_transition(c, incident["id"], "flying"), 400, "bad_request")
    assert _transition(c, incident["id"], "rejected", note="hoaks, sudah dicek").json()["state"] == "rejected"
    assert_error(_transition(c, incident["id"], "verified"), 400, "bad_request")
    assert IncidentEvent.objects.count() == 2


def test_expected_state_conflict_is_409(as_role):
    """Two operators: the second, who saw an older state, gets 409 instead of overwriting."""
    incident = post_incident(as_role("field_officer")).json()
    c = as_role("commander")
    assert _transition(c, incident["id"], "verified", expected="new").status_code == 200
    assert_error(_transition(c, incident["id"], "rejected", note="x", expected="new"), 409, "conflict")


def test_transition_roles_and_areas(as_role, world):
    """Field officers and partners may not move incidents (403); other areas' incidents are 404."""
    incident = post_incident(as_role("field_officer")).json()
    assert_error(_transition(as_role("field_officer"), incident["id"], "verified"), 403, "forbidden")
    assert_error(_transition(as_role("partner"), incident["id"], "verified"), 403, "forbidden")
    assert_error(_transition(as_role("planner_b"), incident["id"], "verified"), 404, "not_found")
    other = post_incident(as_role("planner"), tps="T2").json()
    assert_error(_transition(as_role("commander"), other["id"], "verified"), 404, "not_found")
    assert_error(as_role("commander").get(f"/api/v1/incidents/{other['id']}"), 404, "not_found")
    assert _transition(as_role("planner"), other["id"], "verified").status_code == 200


def test_list_filters_and_scope(as_role):
    """The list holds only the area's incidents, most severe first, and filters by state and severity."""
    post_incident(as_role("field_officer"), severity="low")
    post_incident(as_role("field_officer"), severity="critical")
    post_incident(as_role("planner"), tps="T2", severity="high")
    items = as_role("commander").get("/api/v1/incidents").json()["items"]
    assert [i["severity"] for i in items] == ["critical", "low"]
    assert len(as_role("planner").get("/api/v1/incidents").json()["items"]) == 3
    assert [i["severity"] for i in as_role("planner").get("/api/v1/incidents?severity=high,low").json()["items"]] == [
        "high", "low"]
    assert as_role("planner").get("/api/v1/incidents?state=closed").json()["count"] == 0
    assert as_role("planner_b").get("/api/v1/incidents").json()["count"] == 0
