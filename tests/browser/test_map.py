"""In Chromium: a commander logs in, opens the vulnerability map, filters it, opens a TPS; phone width works."""

from __future__ import annotations

import re

import pytest

from siaga.accounts.services import user_create
from siaga.dataio.scenario_load import scenario_load
from siaga.deployments.services import plan_create
from siaga.forces.models import Unit
from siaga.regions.models import TPS
from siaga.risk.services import catalogue_sync
from siaga.scenarios import load_scenario
from tests.browser.support import login, wait_js

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "uji-peramban-123"


@pytest.fixture
def kediri_planned():
    catalogue_sync()
    _, operation = scenario_load(scenario=load_scenario("kediri-kota-pilkada-2024"), actor="test")
    plan = plan_create(operation=operation, actor="test")
    for role, unit in (("planner", "POLRES-KEDIRI-KOTA"), ("commander", "POLSEK-MOJOROTO")):
        user_create(username=f"pw-{role}", role=role, actor="test", password=PASSWORD,
                    unit=Unit.objects.get(code=unit))
    return operation, plan


def map_count(page) -> int:
    """The TPS count the map shows once its data requests have settled."""
    page.wait_for_load_state("networkidle")
    wait_js(page, "() => /^\\d+ TPS/.test(document.getElementById('map-status').textContent)")
    return int(page.locator("#map-status").text_content().split()[0])


def test_commander_filters_the_map_and_opens_a_tps(new_page, kediri_planned, screenshots):
    """Login, the map shows the commander's TPS only, a category filter narrows them, a TPS panel opens."""
    page = new_page()
    login(page, "pw-commander", PASSWORD)
    page.goto("/peta/")
    own = TPS.objects.filter(village__district__code="35.71.01").count()
    assert map_count(page) == own
    assert page.locator(".leaflet-container").count() == 1
    page.screenshot(path=str(screenshots / "map-commander.png"), full_page=True)

    page.select_option("#map-filters select[name=category]", "khusus")
    page.click("#map-filters button[type=submit]")
    page.wait_for_url(re.compile(r"category=khusus"))
    assert 0 <= map_count(page) < own

    code = TPS.objects.filter(village__district__code="35.71.01").order_by("code").first().code
    page.goto(f"/peta/?tps={code}")
    page.wait_for_selector("#panel:not([hidden])")
    assert code in page.locator("#panel-body").inner_text()
    page.screenshot(path=str(screenshots / "map-tps-panel.png"), full_page=True)
    assert page.outside_requests == []


def test_map_on_a_phone(new_page, kediri_planned, screenshots):
    """At phone width the map page fits the screen (no horizontal scroll) and still loads its data."""
    page = new_page(390, 844)
    login(page, "pw-planner", PASSWORD)
    page.goto("/peta/")
    assert map_count(page) > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    page.screenshot(path=str(screenshots / "map-phone.png"), full_page=True)


@pytest.mark.parametrize("path", ["/", "/personel/", "/satuan/"])
def test_pages_fit_a_phone(new_page, kediri_planned, screenshots, path):
    """Overview, personnel and units pages have no horizontal scroll at phone width (390 px)."""
    page = new_page(390, 844)
    login(page, "pw-planner", PASSWORD)
    page.goto(path)
    width = page.evaluate("document.documentElement.scrollWidth")
    page.screenshot(path=str(screenshots / f"phone{path.strip('/').replace('/', '-') or '-overview'}.png"),
                    full_page=True)
    assert width <= 391, f"{path} is {width} px wide on a 390 px phone"
