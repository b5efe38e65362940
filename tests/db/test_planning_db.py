"""Planning an operation stored in the database: versions, the Kediri demo figures, sick people,
pins, manual categories, and equality with planning the same data from files."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from siaga.core.models import AuditEvent
from siaga.dataio.scenario_load import scenario_load
from siaga.deployments.services import pin_add, plan_create, plan_publish
from siaga.forces.services import personnel_set_status
from siaga.planning.config import parse_plan_config
from siaga.planning.run import plan_dataset
from siaga.risk.services import catalogue_sync, tps_set_category
from siaga.scenarios import load_scenario

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def kediri():
    return load_scenario("kediri-kota-pilkada-2024")


@pytest.fixture
def operation(kediri):
    catalogue_sync()
    _, op = scenario_load(scenario=kediri, actor="test")
    return op


def _posts_of(document):
    return {a["personnel"]: a["post"] for a in document["assignments"]}


def test_kediri_demo_plan_meets_the_published_figures(operation):
    """Kediri Kota with its plan.toml: 839 TPS, 1,678 Linmas required and assigned, Polri within the
    576 published, nothing unmet, reserves formed, voting-day share met."""
    plan = plan_create(operation=operation, actor="test")
    s = plan.summary
    assert plan.version == 1 and plan.pattern == "kediri-kota-2024"
    assert s["tps"] == 839
    assert s["required"]["linmas"] == 1678 and s["assigned"]["linmas"] == 1678
    assert s["required"]["polri"] <= 576 and s["strength"]["polri"] == 576
    assert all(v == 0 for v in s["unmet"].values())
    assert s["reserve_squads"] > 0 and s["reserve_strength"] >= 10 * s["reserve_squads"] // 2
    assert s["stage_check"]["ok"]
    assert plan.document["synthetic"] is True


def test_replan_after_sickness_moves_few_and_never_uses_the_sick(operation):
    """Marking three assigned people sick and re-planning moves only a few people."""
    first = plan_create(operation=operation, actor="test")
    assigned = [a["personnel"] for a in first.document["assignments"] if a["force"] == "polri"][:3]
    for code in assigned:
        personnel_set_status(code=code, status="sick", actor="test", reason="demam")
    second = plan_create(operation=operation, actor="test")
    assert second.version == 2
    posts = _posts_of(second.document)
    assert not set(assigned) & set(posts)
    assert 3 <= second.summary["moved"] <= 20
    assert AuditEvent.objects.filter(action="personnel.status").count() == 3


def test_pins_hold_in_the_next_version(operation):
    """A person pinned to another post of the same Polsek stands there in the next plan."""
    first = plan_create(operation=operation, actor="test")
    doc = first.document
    posts = {p["id"]: p for p in doc["posts"]}
    person = next(a for a in doc["assignments"] if a["role"] == "polri")
    here = posts[person["post"]]
    other = next(p for p in doc["posts"] if p["unit"] == here["unit"] and p["id"] != here["id"]
                 and p["village"] != here["village"])
    pin_add(operation=operation, post_id=other["id"], actor="test", personnel_code=person["personnel"],
            reason="kenal medan")
    second = plan_create(operation=operation, actor="test")
    assert _posts_of(second.document)[person["personnel"]] == other["id"]
    with pytest.raises(ValidationError, match="tidak ada dalam rencana"):
        pin_add(operation=operation, post_id="P-NOWHERE", actor="test", personnel_code=person["personnel"])


def test_manual_category_needs_reason_and_shows_in_plan(operation, kediri):
    """Overriding a TPS to sangat rawan needs a reason; the plan shows it as the first reason."""
    code = kediri.dataset.tps[0].tps_id
    with pytest.raises(ValidationError):
        tps_set_category(code=code, category="sangat_rawan", reason=" ", actor="test")
    tps_set_category(code=code, category="sangat_rawan", reason="Riwayat bentrok pendukung 2018", actor="test")
    plan = plan_create(operation=operation, actor="test")
    row = next(t for t in plan.document["tps"] if t["id"] == code)
    assert row["category"] == "sangat_rawan" and row["category_source"] == "override"
    assert row["reasons"][0] == "Kategori ditetapkan manual"
    assert row["category_reason"] == "Riwayat bentrok pendukung 2018"  # typed text travels apart (withheld from partners)
    assert plan.summary["tps_by_category"]["sangat_rawan"] == 1
    assert AuditEvent.objects.filter(action="tps.category_override", target=f"tps:{code}").exists()


def test_database_plan_equals_file_plan(operation, kediri):
    """The same data planned from the database and from the scenario's records gives the same plan."""
    stored = plan_create(operation=operation, actor="test").document
    config = parse_plan_config(kediri.plan_toml, source="plan.toml")
    from_files = plan_dataset(kediri.dataset, config, source="files")
    assert _posts_of(stored) == _posts_of(from_files)
    assert [p["tps"] for p in stored["posts"]] == [p["tps"] for p in from_files["posts"]]
    assert [(r["id"], r["personnel"]) for r in stored["reserves"]] == [(r["id"], r["personnel"])
                                                                       for r in from_files["reserves"]]


def test_publish_keeps_one_published_version(operation):
    """Publishing a version returns any earlier published version to draft."""
    v1 = plan_create(operation=operation, actor="test")
    v2 = plan_create(operation=operation, actor="test")
    plan_publish(plan=v1, actor="test")
    plan_publish(plan=v2, actor="test")
    v1.refresh_from_db()
    assert v1.status == "draft" and v2.status == "published"
