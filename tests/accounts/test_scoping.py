"""Region scoping: unit areas, what each role sees, who may edit, and plan documents per role."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from siaga.accounts.policy import can_edit, require_edit
from siaga.accounts.scoping import scope, unit_areas, user_area
from siaga.core.models import AuditEvent
from siaga.deployments.access import plan_document_for
from siaga.deployments.models import Plan
from siaga.elections.models import Operation
from siaga.forces.models import Personnel, Unit
from siaga.regions.models import TPS, District, Village
from siaga.risk.models import Indicator, IndicatorValue
from tests.accounts.world import build_world, make_user
from tests.db.factories import UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _codes(qs, field="code"):
    return set(qs.values_list(field, flat=True))


def test_unit_area_rules(world):
    """Own districts first, else the nearest ancestor's, else what the top unit's descendants cover."""
    u, areas = world.units, unit_areas()
    assert areas[u["polsek1"].pk] == {world.d1.pk}
    assert areas[u["polres_a"].pk] == {world.d1.pk, world.d2.pk}  # descendants' districts
    assert areas[u["reserve_a"].pk] == {world.d1.pk, world.d2.pk}  # no own, none up the chain: the top's cover
    child = UnitFactory(code="POS-1", parent=u["polsek1"])
    assert unit_areas()[child.pk] == {world.d1.pk}  # the parent's districts


def test_commander_sees_only_own_districts(world):
    """A Polsek commander's lists hold only its district's rows, of every scoped model."""
    user = world.users["commander"]
    assert _codes(scope(user, District.objects.all())) == {"35.71.01"}
    assert _codes(scope(user, Village.objects.all())) == {"35.71.01.1001"}
    assert _codes(scope(user, TPS.objects.all())) == {"T1"}
    assert _codes(scope(user, Personnel.objects.all())) == {"11111111", "55555555"}
    assert _codes(scope(user, Unit.objects.all())) == {"POLRES-A", "POLSEK-1", "KORAMIL-1", "BRIMOB-A"}
    assert _codes(scope(user, Operation.objects.all()), "name") == {"Operasi A"}
    assert _codes(scope(user, Plan.objects.all()), "operation__name") == {"Operasi A"}


def test_planner_sees_its_polres_and_admin_everything(world):
    """A Polres planner sees all its Polsek's districts but not another Polres's; an admin sees all."""
    planner, admin = world.users["planner"], world.users["admin"]
    assert _codes(scope(planner, TPS.objects.all())) == {"T1", "T2"}
    assert _codes(scope(planner, Personnel.objects.all())) == {"11111111", "22222222", "44444444", "55555555"}
    assert _codes(scope(admin, TPS.objects.all())) == {"T1", "T2", "T3"}
    assert user_area(admin).everything


def test_indicator_values_scoped_by_tps(world):
    """Evidence rows follow their TPS's district."""
    ind = Indicator.objects.create(code="uji", name_id="uji", name_en="test", group="g", source="s")
    for t in world.tps.values():
        IndicatorValue.objects.create(tps=t, indicator=ind, value=1)
    assert _codes(scope(world.users["commander"], IndicatorValue.objects.all()), "tps__code") == {"T1"}


def test_user_without_role_or_unit_sees_nothing(world):
    """A user with no profile (and not superuser) gets empty querysets, not everything."""
    from django.contrib.auth import get_user_model

    nobody = get_user_model().objects.create(username="nobody")
    assert not scope(nobody, TPS.objects.all()).exists()


def test_unknown_model_is_refused(world):
    """Scoping a model without a rule raises rather than leaking the whole table."""
    with pytest.raises(LookupError):
        scope(world.users["planner"], Indicator.objects.all())


def test_can_edit_and_require_edit(world):
    """Commanders edit their own TPS; other areas are 404; partners and field officers are 403."""
    t1, t2 = world.tps["t1"], world.tps["t2"]
    assert can_edit(world.users["commander"], t1)
    assert not can_edit(world.users["commander"], t2)
    with pytest.raises(Http404):
        require_edit(world.users["commander"], t2)
    for role in ("partner", "field_officer"):
        with pytest.raises(PermissionDenied):
            require_edit(world.users[role], t1)
    assert can_edit(world.users["planner"], world.people["p2"])
    assert not can_edit(world.users["planner_b"], world.people["p2"])


def test_commander_plan_document_holds_only_its_districts(world):
    """The commander's plan.json keeps only D1's TPS, posts, assignments, people and areas."""
    doc = plan_document_for(world.users["commander"], world.plan_a.document)
    assert [t["id"] for t in doc["tps"]] == ["T1"]
    assert [p["id"] for p in doc["posts"]] == ["P-D1"]
    assert {a["post"] for a in doc["assignments"]} == {"P-D1"}
    assert {p["id"] for p in doc["personnel"]} == {"11111111", "55555555"}
    assert doc["reserves"] == [] and [u["post"] for u in doc["unmet"]] == ["P-D1"]
    assert doc["summary"]["tps"] == 1 and doc["summary"]["posts"] == 1
    assert [b["district"] for b in doc["summary"]["bko_needed"]] == ["35.71.01"]
    assert [d["code"] for d in doc["areas"]["districts"]] == ["35.71.01"]
    assert "22222222" not in json.dumps(doc)
    assert len(world.plan_a.document["tps"]) == 2  # the stored document is untouched


def test_partner_plan_document_has_no_personal_data(world):
    """A partner's plan.json holds no person at all (no NRP, no name): posts and reserves keep their counts."""
    doc = plan_document_for(world.users["partner"], world.plan_a.document)
    text = json.dumps(doc)
    for person in world.people.values():
        assert person.code not in text
        assert person.name not in text
    assert doc["personnel"] == [] and all(not a["personnel"] for a in doc["assignments"])
    assert all(p["personnel"] == [] and not p["commander"] for p in doc["posts"])
    full = {p["id"]: len(p["personnel"]) for p in world.plan_a.document["posts"]}
    assert {p["id"]: p["staffed"] for p in doc["posts"]} == full
    assert all(r["personnel"] == [] for r in doc["reserves"])


def test_audit_events_scoped_for_planner(world):
    """A planner sees events about its area's TPS and by its area's users, not another Polres's."""
    AuditEvent.objects.create(actor="x", action="tps.category_override", target="tps:T1")
    AuditEvent.objects.create(actor="y", action="tps.category_override", target="tps:T3")
    AuditEvent.objects.create(actor="commander", action="x", user=world.users["commander"])
    seen = set(scope(world.users["planner"], AuditEvent.objects.all()).values_list("actor", flat=True))
    assert seen == {"x", "commander"}
    assert not scope(world.users["commander"], AuditEvent.objects.all()).exists()
    assert scope(world.users["admin"], AuditEvent.objects.all()).count() == 3


def test_partner_area_is_its_unit_jurisdiction(world):
    """A partner at Polres A reads the same districts as its planner."""
    partner = make_user("kpu", "partner", world.units["polres_a"])
    assert _codes(scope(partner, District.objects.all())) == {"35.71.01", "35.71.02"}
