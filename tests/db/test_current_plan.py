"""'The current plan' has one definition (Plan.objects.current): published, else the newest version.

Election day, escorts, the map and the overview work from it; the workspace and a re-plan build on the newest
version (Plan.objects.latest_draft). Pages say which version they show."""

from __future__ import annotations

import pytest
from django.test import Client

from siaga.deployments.models import Plan
from siaga.deployments.services import plan_publish
from siaga.escort.chain import plan_for
from siaga.operations.context import operation_context, plan_cache_clear
from siaga.web import selectors as web_sel
from tests.accounts.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    plan_cache_clear()
    w = build_world()
    yield w
    plan_cache_clear()


def _new_draft(plan: Plan) -> Plan:
    return Plan.objects.create(operation=plan.operation, version=plan.version + 1, pattern=plan.pattern,
                               summary=plan.summary, document=plan.document, created_by="test")


def test_without_a_published_version_the_newest_is_current(world):
    v2 = _new_draft(world.plan_a)
    assert Plan.objects.current(world.op_a) == v2 == Plan.objects.latest_draft(world.op_a)


def test_a_published_version_stays_current_while_newer_drafts_exist(world):
    plan_publish(plan=world.plan_a, actor="test")
    v2 = _new_draft(world.plan_a)
    op = world.op_a
    assert Plan.objects.current(op) == world.plan_a
    assert Plan.objects.latest_draft(op) == v2
    # every reader of "the current plan" agrees: election day, escorts, the web's map and overview
    assert operation_context(op).plan_id == world.plan_a.pk
    assert plan_for(op) == world.plan_a
    admin = world.users["admin"]
    assert web_sel.plan_current_ref(admin, op) == world.plan_a
    assert web_sel.plan_current(admin, op).plan == world.plan_a
    client = Client()
    client.force_login(admin)
    page = client.get(f"/?operation={op.pk}").content.decode()
    assert "rencana versi 1, diterbitkan" in page
    assert "versi 1 (diterbitkan)" in client.get(f"/peta/?operation={op.pk}").content.decode()
