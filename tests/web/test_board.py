"""The command board (posko) on Kota Kediri: snapshot per role, replayed moments, live events over SSE."""

from __future__ import annotations

import json
import uuid

import pytest

from siaga.regions.models import TPS
from siaga.web import sse
from tests.web.conftest import ROLES

pytestmark = pytest.mark.django_db
MOJOROTO = "35.71.01"
VOTING_0730 = "2024-11-27T07:30"


def _report(client, code: str, status: str, at: str = "2024-11-27T06:20:00+07:00"):
    response = client.post(f"/api/v1/tps/{code}/status", json.dumps({"status": status, "at": at}),
                           content_type="application/json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))
    assert response.status_code == 201, response.content
    return response.json()


def _incident(client, code: str, severity: str = "critical", text: str = "Massa dua kubu berkumpul di depan TPS"):
    response = client.post("/api/v1/incidents", json.dumps({"type": "supporter_clash", "severity": severity,
                                                            "text": text, "tps": code}),
                           content_type="application/json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))
    assert response.status_code == 201, response.content
    return response.json()


def _frames(response, count: int) -> list[str]:
    """The first ``count`` frames of an SSE response (the retry hint, then events), then the stream closed.

    Closed through the test client's own wrapper around the stream, which mutes request_finished's
    close_old_connections (it would close the test's open transaction on PostgreSQL) while the response closes.
    """
    stream = iter(response.streaming_content)
    try:
        return [next(stream).decode() for _ in range(count)]
    finally:
        response._iterator.close()  # the client's closing_iterator_wrapper: mutes the signal, closes the response


def _snapshot(client, **params) -> dict:
    response = client.get("/posko/data.json", params)
    assert response.status_code == 200, response.content
    return json.loads(response.content)


@pytest.mark.parametrize("role", ROLES)
def test_every_role_opens_the_board(as_role, kediri, role):
    """Each role gets the board page and a snapshot of exactly the TPS of its area."""
    client = as_role(role)
    assert client.get("/posko/").status_code == 200
    body = _snapshot(client)
    area = TPS.objects.all() if role in ("admin", "planner", "partner") else \
        TPS.objects.filter(village__district__code=MOJOROTO)
    assert body["counts"]["tps"] == area.count() == len(body["tps"])
    assert body["synthetic"] is True


def test_replayed_morning_shows_every_tps_not_opened_and_overdue(as_role, kediri):
    """At 07:30 on voting day with no reports, every TPS is not opened and overdue, and alerts say so."""
    body = _snapshot(as_role("commander"), at=VOTING_0730)
    n = body["counts"]["tps"]
    assert body["counts"]["not_opened"] == n and body["counts"]["overdue"] == n and body["counts"]["opened"] == 0
    assert body["alerts"] and all(a["kind"] in ("overdue", "more") for a in body["alerts"])
    assert all(point[4] & 1 for point in body["tps"])


def test_reports_and_incidents_reach_the_snapshot(as_role, kediri):
    """An 'opened' report takes a TPS off the late list; a critical incident turns its district red."""
    commander = as_role("commander")
    code = TPS.objects.filter(village__district__code=MOJOROTO).order_by("code").first().code
    _report(commander, code, "opened", "2024-11-27T06:55:00+07:00")
    incident = _incident(commander, code)
    body = _snapshot(commander, at=VOTING_0730)
    assert body["counts"]["opened"] == 1
    assert body["counts"]["not_opened"] == body["counts"]["tps"] - 1
    assert [i["id"] for i in body["incidents"]] == [incident["id"]]
    assert body["incidents"][0]["text"].startswith("Massa")
    assert {d["district"]: d["level"] for d in body["districts"]}[MOJOROTO] == "red"
    partner = _snapshot(as_role("partner"), at=VOTING_0730)
    assert partner["incidents"][0]["text"] == ""  # partners: what and where, no free text


def test_bad_moment_is_400_and_outside_operation_404(as_role, kediri):
    """A malformed ?at= answers 400 with the error shape; an unknown operation 404."""
    client = as_role("planner")
    response = client.get("/posko/data.json", {"at": "kemarin"})
    assert response.status_code == 400 and json.loads(response.content)["error"]["code"] == "bad_request"
    assert client.get("/posko/data.json", {"operation": 999999}).status_code == 404


def test_events_stream_delivers_a_report_as_sse(as_role, kediri):
    """The SSE stream sends the report's event with its id (resumable) and a ticker line."""
    commander = as_role("commander")
    code = TPS.objects.filter(village__district__code=MOJOROTO).order_by("code").first().code
    report = _report(commander, code, "arrived")
    response = commander.get("/posko/events", {"operation": kediri.operation.pk, "after": 0})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/event-stream")
    frames = _frames(response, 2)
    frame = next(f for f in frames if "event: tps_status" in f)
    data = json.loads(frame.split("data: ", 1)[1])
    assert data["tps"] == code and data["id"] == report["id"] and data["text"].startswith(f"TPS {code}")
    assert frame.startswith("id: ")


def test_sse_resumes_after_last_event_id(as_role, kediri):
    """Reconnecting with Last-Event-ID sends only what came after it."""
    commander = as_role("commander")
    codes = list(TPS.objects.filter(village__district__code=MOJOROTO).order_by("code").values_list("code", flat=True)[:2])
    _report(commander, codes[0], "arrived")
    first = commander.get("/posko/events", {"operation": kediri.operation.pk, "after": 0})
    frames = _frames(first, 2)
    last_id = int(next(f for f in frames if f.startswith("id: ")).split("\n")[0][4:])
    _report(commander, codes[1], "arrived")
    again = commander.get("/posko/events", {"operation": kediri.operation.pk}, HTTP_LAST_EVENT_ID=str(last_id))
    got = _frames(again, 2)
    tps_frames = [f for f in got if "event: tps_status" in f]
    assert tps_frames and codes[1] in tps_frames[0] and codes[0] not in tps_frames[0]


def test_escort_checkin_reaches_the_event_log(as_role, kediri):
    """A hand-over check-in appends an 'escort' event the board streams, with a ticker line."""
    from siaga.escort.models import Leg
    from siaga.escort.services import escort_plan_generate, handover_checkin
    from siaga.operations.board import describe_event
    from siaga.operations.models import OpsEvent
    from siaga.web.board import EVENT_TEXTS

    escort_plan_generate(operation=kediri.operation, actor="test")
    leg = Leg.objects.filter(operation=kediri.operation, seq=1).order_by("pk").first()
    handover_checkin(leg_id=leg.pk, point="from", seal_numbers=["S-1"], box_count=1, client_id="esc-1",
                     actor="test", at=leg.planned_departure)
    event = OpsEvent.objects.filter(kind="escort").get()
    assert event.payload["leg"] == leg.pk and event.payload["state"] == "departed"
    assert describe_event("escort", event.payload, EVENT_TEXTS)["text"].startswith(f"Pengawalan {leg.from_name}")


def test_streams_beyond_the_caps_are_told_busy_and_slots_come_back(as_role, kediri, monkeypatch):
    """One session holds at most SIAGA_STREAMS_PER_SESSION streams and the process SIAGA_STREAMS_PER_PROCESS; a
    stream beyond them answers at once with a ``busy`` event, a long retry and no id (the browser keeps its cursor).
    A closed stream gives its slot back, even one that never sent a frame."""
    monkeypatch.setattr(sse, "SLOTS", sse.StreamSlots(per_owner=2, total=3))
    commander, planner = as_role("commander"), as_role("planner")
    url, params = "/posko/events", {"operation": kediri.operation.pk, "after": 0}
    first, second = commander.get(url, params), commander.get(url, params)
    third = commander.get(url, params)
    busy = "".join(chunk.decode() for chunk in third.streaming_content)
    assert third.status_code == 200 and "event: busy" in busy and "retry: 30000" in busy and "id:" not in busy
    other = planner.get(url, params)
    assert sse.SLOTS.open_streams() == 3
    assert "event: busy" in "".join(c.decode() for c in planner.get(url, params).streaming_content)  # total cap
    for closer in first._resource_closers:  # what the server's close() of a response never read runs (less the
        closer()                            # request_finished signal, which would end the test's transaction)
    _frames(second, 1)
    assert sse.SLOTS.open_streams() == 1
    assert _frames(commander.get(url, params), 1) == ["retry: 2000\n\n"]
    _frames(other, 1)
    assert sse.SLOTS.open_streams() == 0
