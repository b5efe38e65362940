"""Every API route per role: allowed or refused, scoped to the user's area, 404 for other areas."""

from __future__ import annotations

import json

import pytest

from siaga.core.models import AuditEvent
from siaga.forces.models import Personnel
from siaga.regions.models import TPS
from tests.api.conftest import assert_error

pytestmark = pytest.mark.django_db

ROLES = ("admin", "planner", "commander", "field_officer", "partner")
READ_ROUTES = ("/api/v1/tps", "/api/v1/tps/T1", "/api/v1/districts", "/api/v1/villages", "/api/v1/units",
               "/api/v1/units/POLSEK-1", "/api/v1/personnel", "/api/v1/personnel/11111111", "/api/v1/operations",
               "/api/v1/operations/{op}", "/api/v1/operations/{op}/plans", "/api/v1/plans/{op}/1")


def _items(response) -> list:
    assert response.status_code == 200, response.content
    return response.json()["items"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", READ_ROUTES)
def test_every_role_reads_its_area(as_role, world, role, route):
    """Every role may read every read route for an object of its area (partners: no people at all)."""
    response = as_role(role).get(route.format(op=world.op_a.pk))
    if role == "partner" and route.startswith("/api/v1/personnel"):
        assert_error(response, 403, "forbidden")
        return
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("role", ("commander", "field_officer", "partner"))
def test_audit_only_for_admin_and_planner(as_role, role):
    """The audit trail is refused (403) to commanders, field officers and partners."""
    assert_error(as_role(role).get("/api/v1/audit"), 403, "forbidden")


def test_anonymous_gets_401_json_never_a_redirect(client, world):
    """Without a session or token every API route answers 401 in the error shape."""
    for route in READ_ROUTES + ("/api/v1/audit", "/api/v1/openapi.json"):
        assert_error(client.get(route.format(op=world.op_a.pk)), 401, "not_authenticated")
    assert_error(client.patch("/api/v1/tps/T1/category", {}, content_type="application/json"), 401,
                 "not_authenticated")


def test_commander_lists_hold_only_its_districts(as_role):
    """A commander's lists show only its district's TPS, villages, districts and people."""
    c = as_role("commander")
    assert [t["code"] for t in _items(c.get("/api/v1/tps"))] == ["T1"]
    assert [d["code"] for d in _items(c.get("/api/v1/districts"))] == ["35.71.01"]
    assert [v["code"] for v in _items(c.get("/api/v1/villages"))] == ["35.71.01.1001"]
    assert {p["code"] for p in _items(c.get("/api/v1/personnel"))} == {"11111111", "55555555"}
    assert "POLSEK-2" not in {u["code"] for u in _items(c.get("/api/v1/units"))}


def test_planner_and_admin_lists(as_role):
    """A planner sees its Polres's TPS; an admin sees all."""
    assert {t["code"] for t in _items(as_role("planner").get("/api/v1/tps"))} == {"T1", "T2"}
    assert {t["code"] for t in _items(as_role("admin").get("/api/v1/tps"))} == {"T1", "T2", "T3"}


def test_other_area_ids_give_404_like_missing_ones(as_role, world):
    """Ids of another area answer exactly like ids that do not exist, so they cannot be probed."""
    c = as_role("commander")
    pairs = [("/api/v1/tps/T2", "/api/v1/tps/NOPE"), ("/api/v1/tps/T3", "/api/v1/tps/NOPE"),
             ("/api/v1/personnel/22222222", "/api/v1/personnel/00000000"),
             ("/api/v1/units/POLSEK-3", "/api/v1/units/NOPE"),
             (f"/api/v1/operations/{world.op_b.pk}", "/api/v1/operations/999999"),
             (f"/api/v1/operations/{world.op_b.pk}/plans", "/api/v1/operations/999999/plans"),
             (f"/api/v1/plans/{world.op_b.pk}/1", f"/api/v1/plans/{world.op_a.pk}/99")]
    for other, missing in pairs:
        a, b = c.get(other), c.get(missing)
        assert_error(a, 404, "not_found")
        assert a.json() == b.json(), (other, missing)
    assert_error(c.patch("/api/v1/tps/T2/category", {"category": "rawan", "reason": "x"},
                         content_type="application/json"), 404, "not_found")
    assert_error(c.post("/api/v1/personnel/22222222/status", {"status": "sick"},
                        content_type="application/json"), 404, "not_found")


def test_commander_sets_category_in_its_area_and_audit_names_it(as_role, world):
    """A commander's category override is applied via the service and recorded with its user."""
    response = as_role("commander").patch("/api/v1/tps/T1/category", {"category": "rawan", "reason": "bentrok 2019"},
                                          content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["manual_category"] == "rawan"
    assert TPS.objects.get(code="T1").manual_category == "rawan"
    event = AuditEvent.objects.get(action="tps.category_override")
    assert event.actor == "commander" and event.user == world.users["commander"]
    response = as_role("commander").patch("/api/v1/tps/T1/category", {"category": None, "reason": ""},
                                          content_type="application/json")
    assert response.json()["manual_category"] == ""


@pytest.mark.parametrize("role", ("partner", "field_officer"))
def test_read_only_roles_cannot_write(as_role, role):
    """Partners and field officers get 403 on write routes, whatever the object."""
    c = as_role(role)
    assert_error(c.patch("/api/v1/tps/T1/category", {"category": "rawan", "reason": "x"},
                         content_type="application/json"), 403, "forbidden")
    assert_error(c.post("/api/v1/personnel/11111111/status", {"status": "sick"},
                        content_type="application/json"), 403, "forbidden")
    assert TPS.objects.get(code="T1").manual_category == ""


def test_planner_marks_personnel_sick(as_role, world):
    """A planner changes the status of someone of its Polres; the audit names the planner."""
    response = as_role("planner").post("/api/v1/personnel/22222222/status", {"status": "sick", "reason": "demam"},
                                       content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "sick"
    assert Personnel.objects.get(code="22222222").status == "sick"
    assert AuditEvent.objects.get(action="personnel.status").user == world.users["planner"]
    assert_error(as_role("planner_b").post("/api/v1/personnel/22222222/status", {"status": "available"},
                                           content_type="application/json"), 404, "not_found")


def test_partner_sees_no_person(as_role, world):
    """Partners read no person: the personnel routes answer 403 and plan documents carry no NRP and no name."""
    c = as_role("partner")
    assert_error(c.get("/api/v1/personnel"), 403, "forbidden")
    assert_error(c.get("/api/v1/personnel/11111111"), 403, "forbidden")
    text = json.dumps(c.get(f"/api/v1/plans/{world.op_a.pk}/1").json())
    assert all(p.code not in text and p.name not in text for p in world.people.values())
    assert '"status"' not in text.replace('"status": "', "")  # no personnel status field


def test_full_personnel_for_planner(as_role):
    """Non-partner roles see the full personnel record."""
    body = as_role("planner").get("/api/v1/personnel/11111111").json()
    assert body["code"] == "11111111" and body["home_village"] == "35.71.01.1001" and body["status"] == "available"


def test_commander_plan_document_is_filtered(as_role, world):
    """The plan document a commander gets holds only its district's posts and TPS."""
    doc = as_role("commander").get(f"/api/v1/plans/{world.op_a.pk}/1").json()
    assert [p["id"] for p in doc["posts"]] == ["P-D1"] and [t["id"] for t in doc["tps"]] == ["T1"]
    full = as_role("admin").get(f"/api/v1/plans/{world.op_a.pk}/1").json()
    assert len(full["posts"]) == 2


def test_plan_versions_summary_by_role(as_role, world):
    """Planners get each version's whole-plan summary; commanders get the list without it."""
    planner = _items(as_role("planner").get(f"/api/v1/operations/{world.op_a.pk}/plans"))
    commander = _items(as_role("commander").get(f"/api/v1/operations/{world.op_a.pk}/plans"))
    assert planner[0]["version"] == 1 and planner[0]["summary"]["tps"] == 2
    assert commander[0]["summary"] is None


def test_audit_for_planner(as_role, world):
    """A planner reads its area's audit events, not another Polres's."""
    AuditEvent.objects.create(actor="x", action="a", target="tps:T1")
    AuditEvent.objects.create(actor="y", action="a", target="tps:T3")
    assert [e["actor"] for e in _items(as_role("planner").get("/api/v1/audit"))] == ["x"]
    assert len(_items(as_role("admin").get("/api/v1/audit"))) == 2


def test_filters(as_role):
    """TPS filters (district, village, category, q) and personnel filters narrow the scoped list."""
    c = as_role("planner")
    assert [t["code"] for t in _items(c.get("/api/v1/tps?district=35.71.02"))] == ["T2"]
    assert [t["code"] for t in _items(c.get("/api/v1/tps?village=35.71.01.1001"))] == ["T1"]
    assert [t["code"] for t in _items(c.get("/api/v1/tps?district=35.06.01"))] == []
    assert len(_items(c.get("/api/v1/tps?category=auto"))) == 2
    assert _items(c.get("/api/v1/tps?category=rawan")) == []
    assert [p["code"] for p in _items(c.get("/api/v1/personnel?force=tni"))] == ["55555555"]
    assert [p["code"] for p in _items(c.get("/api/v1/personnel?unit=BRIMOB-A"))] == ["44444444"]
    assert [p["code"] for p in _items(c.get("/api/v1/personnel?q=budi"))] == ["22222222"]
