"""In Chromium: the field officer's phone page stores every report exactly once through its browser queue: a
tap, a double tap, an offline period and a response lost after the server stored the report."""

from __future__ import annotations

import pytest

from siaga.accounts.models import Profile
from siaga.operations.models import Incident, StatusReport
from tests.accounts.world import build_world
from tests.browser.support import login, wait_js

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "uji-lapangan-123"


@pytest.fixture
def field_user():
    from siaga.operations.context import plan_cache_clear

    plan_cache_clear()
    world = build_world()
    user = world.users["field_officer"]
    user.set_password(PASSWORD)
    user.save()
    Profile.objects.filter(user=user).update(personnel=world.people["p1"])
    yield user
    plan_cache_clear()


def _settled(page) -> None:
    """Wait until the queue is empty (every report acknowledged)."""
    wait_js(page, "() => document.querySelector('[data-testid=queue-indicator]').dataset.pending === '0'"
                 " && !document.querySelector('[data-testid=queue-item][data-state=sending]')")


def _steps() -> list[str]:
    return list(StatusReport.objects.order_by("at", "id").values_list("status", flat=True))


def test_field_queue_stores_each_report_once(new_page, field_user):
    """Tap, double tap, offline and a lost response: the server holds each report once, in order."""
    page = new_page(390, 844)
    login(page, field_user.username, PASSWORD)
    page.goto("/lapangan/")
    button = page.get_by_test_id("step-next-T1")
    assert "Personel tiba" in button.inner_text()

    button.click()
    _settled(page)
    assert _steps() == ["arrived"]

    button.dblclick()  # a double tap is one report
    _settled(page)
    page.wait_for_timeout(1700)  # the tap lock ends
    assert _steps() == ["arrived", "opened"]

    page.context.set_offline(True)
    button.click()
    wait_js(page, "() => document.querySelector('[data-testid=queue-indicator]').dataset.pending === '1'")
    assert _steps() == ["arrived", "opened"]
    assert "Pemungutan suara berjalan" in page.get_by_test_id("tps-step-T1").inner_text()
    page.context.set_offline(False)
    _settled(page)
    assert _steps() == ["arrived", "opened", "voting"]

    lost = []

    def store_then_drop(route):  # the server stores the report, the phone never hears back
        if not lost:
            lost.append(route.fetch().status)
            route.abort()
        else:
            route.continue_()

    page.wait_for_timeout(1700)
    page.route("**/api/v1/tps/T1/status", store_then_drop)
    button.click()
    _settled(page)
    assert lost == [201] and _steps() == ["arrived", "opened", "voting", "closed"]

    page.get_by_test_id("incident-text").fill("Ada pembagian amplop di dekat TPS")
    page.get_by_test_id("incident-type").select_option("money_politics")
    page.get_by_test_id("incident-submit").click()
    _settled(page)
    assert Incident.objects.filter(type="money_politics", tps__code="T1").count() == 1
    assert page.locator("[data-testid=queue-item][data-state=failed]").count() == 0
    assert page.outside_requests == []
