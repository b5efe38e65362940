"""In Chromium: a field officer taps a step on the phone page and the command board shows it live (SSE),
without a reload; the planner then verifies an incident and dispatches the proposed reserve squad."""

from __future__ import annotations

import pytest

from siaga.accounts.models import Profile
from siaga.accounts.services import user_create
from siaga.deployments.services import plan_publish
from siaga.forces.models import Personnel
from siaga.operations.context import plan_cache_clear
from siaga.operations.models import Dispatch, Incident, StatusReport
from tests.browser.support import login, wait_js
from tests.browser.test_map import PASSWORD, kediri_planned  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def field_officer(kediri_planned):  # noqa: F811
    """A field officer tied to the commander of a Mojoroto post of the published plan; (username, TPS codes)."""
    operation, plan = kediri_planned
    plan_publish(plan=plan, actor="test")
    plan_cache_clear()
    post = next(p for p in plan.document["posts"] if p["district"] == "35.71.01" and p.get("commander"))
    person = Personnel.objects.get(code=post["commander"])
    user, _ = user_create(username="pw-petugas", role="field_officer", actor="test", password=PASSWORD,
                          unit=person.unit)
    Profile.objects.filter(user=user).update(personnel=person)
    yield user.username, post["tps"]
    plan_cache_clear()


def test_field_report_reaches_the_board_live(new_page, field_officer, screenshots):
    """Tap 'arrived' on the phone -> the board's ticker and opened count change with no reload."""
    username, tps_codes = field_officer
    board = new_page()
    login(board, "pw-planner", PASSWORD)
    board.goto("/posko/")
    board.wait_for_selector("[data-testid=board-live].on")
    wait_js(board, "() => document.getElementById('count-tps').textContent !== '–'")
    board.evaluate("window.__boardPage = 'same page'")  # survives only if the page never reloads

    phone = new_page(390, 844)
    login(phone, username, PASSWORD)
    phone.goto("/lapangan/")
    code = tps_codes[0]
    phone.get_by_test_id(f"step-next-{code}").click()
    phone.wait_for_selector("[data-testid=queue-item][data-state=sent]")
    assert StatusReport.objects.filter(tps__code=code, status="arrived").count() == 1
    phone.screenshot(path=str(screenshots / "field-phone.png"), full_page=True)

    board.wait_for_selector(f"[data-testid=ticker-item]:has-text('{code}')", timeout=30_000)
    phone.get_by_test_id(f"step-next-{code}").click()  # opened
    wait_js(board, "() => document.getElementById('count-opened').textContent === '1'", timeout=30_000)
    assert board.evaluate("window.__boardPage") == "same page"
    board.screenshot(path=str(screenshots / "board-live.png"), full_page=True)


def test_board_verifies_and_dispatches(new_page, field_officer, screenshots):
    """An incident reported from the phone appears on the board; verify, then accept the proposed squad."""
    username, tps_codes = field_officer
    phone = new_page(390, 844)
    login(phone, username, PASSWORD)
    phone.goto("/lapangan/")
    phone.select_option("[data-testid=incident-form] select[name=type]", "supporter_clash")
    phone.select_option("[data-testid=incident-form] select[name=severity]", "high")
    phone.fill("[data-testid=incident-form] textarea[name=text]", "Massa dua kubu berkumpul (uji peramban)")
    phone.get_by_test_id("incident-submit").click()
    phone.wait_for_selector("[data-testid=queue-item][data-state=sent]")
    incident = Incident.objects.get()

    board = new_page()
    login(board, "pw-planner", PASSWORD)
    board.goto("/posko/")
    card = board.locator(f"[data-testid=incident][data-id='{incident.pk}']")
    card.wait_for()
    card.get_by_test_id("to-verified").click()
    board.wait_for_selector(f"[data-testid=incident][data-id='{incident.pk}'] [data-testid=dispatch]")
    board.locator(f"[data-testid=incident][data-id='{incident.pk}'] [data-testid=dispatch]").click()
    board.locator("[data-testid=accept-dispatch]").click()
    wait_js(board, f"() => document.querySelector(\"[data-testid=incident][data-id='{incident.pk}'] .state\")"
                   "?.textContent === 'Cadangan dikerahkan'", timeout=30_000)
    dispatch = Dispatch.objects.get(incident=incident)
    assert dispatch.accepted_by.username == "pw-planner" and dispatch.squad.startswith("R-")
    board.screenshot(path=str(screenshots / "board-dispatch.png"), full_page=True)
