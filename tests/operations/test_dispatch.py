"""Dispatch of reserve squads: the nearest free squad is proposed, who accepted is recorded, squads follow the
incident (on scene, back) and are free again when they report at base."""

from __future__ import annotations

import pytest

from siaga.deployments.models import Plan
from siaga.operations.models import Dispatch, OpsEvent
from siaga.operations.squads import rank_squads
from tests.api.conftest import assert_error
from tests.operations.conftest import post_incident

pytestmark = pytest.mark.django_db

RESERVES = [{"id": "R-01", "lat": -7.80, "lon": 112.00, "unit": "BRIMOB-A", "personnel": ["44444444"], "kind": "bko"},
            {"id": "R-02", "lat": -7.90, "lon": 112.10, "unit": "POLRES-A", "personnel": [], "kind": "own"},
            {"id": "R-03", "lat": -7.75, "lon": 111.95, "unit": "POLRES-A", "personnel": [], "kind": "own"}]


@pytest.fixture
def reserves(world):
    """Operation A's published plan v2 with three squads around T1 (-7.82, 112.00): R-01 nearest, then R-03."""
    doc = {**world.plan_a.document, "reserves": RESERVES, "params": {"road_factor": 1.3}}
    return Plan.objects.create(operation=world.op_a, version=2, status="published", pattern="uji", summary={},
                               document=doc, created_by="test")


def _verified(as_role, **body) -> int:
    incident = post_incident(as_role("field_officer"), **body).json()
    c = as_role("commander")
    assert c.post(f"/api/v1/incidents/{incident['id']}/transitions", {"to": "verified"},
                  content_type="application/json").status_code == 200
    return incident["id"]


def _dispatch(client, incident_id, **body):
    return client.post(f"/api/v1/incidents/{incident_id}/dispatch", body, content_type="application/json")


def test_rank_is_nearest_by_road_distance():
    """Ranking uses great-circle km times the road factor, nearest first, busy squads left out."""
    from siaga.operations.context import Squad

    squads = [Squad("A", -7.80, 112.0, "", "own", ()), Squad("B", -7.82, 112.05, "", "own", ())]
    ranked = rank_squads(-7.82, 112.0, squads, 1.3)
    assert [r.squad.id for r in ranked] == ["A", "B"]
    assert ranked[0].distance_km == pytest.approx(2.22 * 1.3, abs=0.02)
    assert [r.squad.id for r in rank_squads(-7.82, 112.0, squads, 1.3, busy={"A"})] == ["B"]


def test_proposal_then_accept_records_who(as_role, reserves):
    """GET proposes the nearest free squad; POST without a squad accepts it, records the user, and moves the
    incident to 'dispatched'; the next incident gets the next nearest squad."""
    first = _verified(as_role)
    c = as_role("commander")
    proposal = c.get(f"/api/v1/incidents/{first}/dispatch").json()
    assert [o["squad"] for o in proposal["options"]] == ["R-01", "R-03", "R-02"]
    assert proposal["proposed"]["squad"] == "R-01" and proposal["plan_version"] == 2
    accepted = _dispatch(c, first)
    assert accepted.status_code == 201, accepted.content
    body = accepted.json()
    assert body["squad"] == "R-01" and body["accepted_by"] == "commander" and body["proposed_squad"] == "R-01"
    assert c.get(f"/api/v1/incidents/{first}").json()["state"] == "dispatched"
    second = _verified(as_role)
    assert c.get(f"/api/v1/incidents/{second}/dispatch").json()["proposed"]["squad"] == "R-03"


def test_choosing_another_squad_and_busy_squads(as_role, reserves):
    """A commander may pick another squad (the proposal is still recorded); a busy squad is 409; the same squad
    again on the same incident is 200 and changes nothing."""
    first, second = _verified(as_role), _verified(as_role)
    c = as_role("commander")
    picked = _dispatch(c, first, squad="R-02").json()
    assert picked["squad"] == "R-02" and picked["proposed_squad"] == "R-01"
    assert _dispatch(c, first, squad="R-02").status_code == 200
    assert_error(_dispatch(c, second, squad="R-02"), 409, "conflict")
    assert_error(_dispatch(c, second, squad="R-99"), 400, "bad_request")
    assert Dispatch.objects.count() == 1


def test_dispatch_needs_verification_and_a_manager(as_role, reserves):
    """An unverified incident cannot get a squad (400); field officers and partners may not dispatch (403)."""
    incident = post_incident(as_role("field_officer")).json()["id"]
    assert_error(_dispatch(as_role("commander"), incident), 400, "bad_request")
    assert_error(_dispatch(as_role("field_officer"), incident), 403, "forbidden")
    assert_error(_dispatch(as_role("partner"), incident), 403, "forbidden")
    assert_error(_dispatch(as_role("planner_b"), incident), 404, "not_found")


def test_squad_follows_incident_and_is_freed(as_role, reserves, world):
    """On scene, resolved (back) and free again: every squad state is in the reserve list and in the event log."""
    incident = _verified(as_role)
    c = as_role("commander")
    _dispatch(c, incident)

    def state():
        squads = {s["id"]: s for s in c.get(f"/api/v1/operations/{world.op_a.pk}/reserves").json()}
        return squads["R-01"]["state"], squads["R-01"]["incident"]

    assert state() == ("dispatched", incident)
    c.post(f"/api/v1/incidents/{incident}/transitions", {"to": "on_scene"}, content_type="application/json")
    assert state() == ("on_scene", incident)
    c.post(f"/api/v1/incidents/{incident}/transitions", {"to": "resolved"}, content_type="application/json")
    assert state() == ("back", incident)
    assert c.get(f"/api/v1/incidents/{_verified(as_role)}/dispatch").json()["proposed"]["squad"] == "R-03"
    freed = c.post(f"/api/v1/operations/{world.op_a.pk}/reserves/R-01/free", {}, content_type="application/json")
    assert freed.status_code == 200 and freed.json()["state"] == "done"
    assert state() == ("free", None)
    squad_events = [e.payload["state"] for e in OpsEvent.objects.filter(kind="squad").order_by("id")]
    assert squad_events == ["dispatched", "on_scene", "back", "free"]


def test_free_refused_while_on_duty(as_role, reserves, world):
    """A squad still dispatched cannot be freed (400); a free one is 404; partners 403."""
    incident = _verified(as_role)
    c = as_role("commander")
    _dispatch(c, incident)
    url = f"/api/v1/operations/{world.op_a.pk}/reserves/R-01/free"
    assert_error(c.post(url, {}, content_type="application/json"), 400, "bad_request")
    assert_error(c.post(url.replace("R-01", "R-02"), {}, content_type="application/json"), 404, "not_found")
    assert_error(as_role("partner").post(url, {}, content_type="application/json"), 403, "forbidden")


def test_partner_sees_reserves_without_people(as_role, reserves, world):
    """Partners see squads and their state but no personnel ids."""
    squads = as_role("partner").get(f"/api/v1/operations/{world.op_a.pk}/reserves").json()
    assert {s["id"] for s in squads} == {"R-01", "R-02", "R-03"} and all(s["personnel"] == [] for s in squads)
    assert as_role("planner").get(f"/api/v1/operations/{world.op_a.pk}/reserves").json()[0]["personnel"] == ["44444444"]
    assert_error(as_role("planner_b").get(f"/api/v1/operations/{world.op_a.pk}/reserves"), 404, "not_found")


def test_squad_without_point_uses_its_unit_hq(as_role, world):
    """A reserve without coordinates in the plan is based at its unit's HQ (world plan v1: R-01 at BRIMOB-A)."""
    incident = _verified(as_role)
    proposal = as_role("commander").get(f"/api/v1/incidents/{incident}/dispatch").json()
    assert proposal["proposed"]["squad"] == "R-01" and proposal["proposed"]["lat"] == -7.82


@pytest.mark.parametrize("route", ["/api/v1/incidents/{i}", "/api/v1/incidents/{i}/dispatch",
                                   "/api/v1/operations/{op}/reserves", "/api/v1/operations/{op}/events"])
def test_other_areas_get_404_on_every_read(as_role, world, route):
    """Every election-day read of another area answers 404 like a missing id; every role of the area reads it."""
    incident = _verified(as_role)
    url = route.format(i=incident, op=world.op_a.pk)
    assert as_role("planner_b").get(url).status_code == 404
    for role in ("admin", "planner", "commander", "field_officer", "partner"):
        assert as_role(role).get(url).status_code == 200, role
