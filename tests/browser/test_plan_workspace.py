"""In Chromium: a planner moves a person to another post, re-plans (a background job with progress), sees the
person at the new post in the new version, publishes it and downloads the Sprin annex (plan.xlsx)."""

from __future__ import annotations

import openpyxl
import pytest

from siaga.deployments.models import Pin, Plan
from tests.browser.support import login
from tests.browser.test_map import PASSWORD, kediri_planned  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)


def test_planner_moves_a_person_replans_and_downloads_the_annex(new_page, kediri_planned, screenshots):  # noqa: F811
    """Move (pin) -> re-plan job -> person at the new post in v2 -> publish -> plan.xlsx download."""
    operation, plan = kediri_planned
    posts = [p for p in plan.document["posts"] if p["district"] == "35.71.01" and len(p["personnel"]) >= 2]
    source, target = posts[0], next(p for p in posts[1:] if p["category"] == posts[0]["category"])
    page = new_page()
    login(page, "pw-planner", PASSWORD)
    page.goto(f"/rencana/?operation={operation.pk}&post={source['id']}")
    page.wait_for_selector("[data-testid=post-panel]:not([hidden])")
    page.screenshot(path=str(screenshots / "workspace-post.png"), full_page=True)

    form = page.locator("[data-testid=move-person-form]")
    person = form.locator("select[name=personnel]").input_value()
    form.locator("select[name=post]").select_option(target["id"])
    form.locator("input[name=reason]").fill("Dekat rumah (uji peramban)")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=pin-row]")
    assert Pin.objects.filter(operation=operation, personnel__code=person, post_id=target["id"]).exists()

    page.click("[data-testid=replan]")
    page.wait_for_selector("[data-testid=job-done-link]:visible", timeout=120_000)
    assert float(page.get_attribute("[data-testid=job-progress]", "value")) == pytest.approx(1.0)
    page.screenshot(path=str(screenshots / "workspace-replanned.png"), full_page=True)
    page.click("[data-testid=job-done-link]")
    page.wait_for_selector("[data-testid=plan-version][data-version='2']")
    v2 = Plan.objects.get(operation=operation, version=2)
    assert person in next(p for p in v2.document["posts"] if p["id"] == target["id"])["personnel"]

    page.locator("[data-testid=version-row][data-version='2'] [data-testid=publish]").click()
    page.wait_for_selector("[data-testid=plan-status].status-published")  # the redirect after publishing has landed
    page.wait_for_load_state("networkidle")
    v2.refresh_from_db()
    assert v2.status == Plan.Status.PUBLISHED

    with page.expect_download(timeout=90_000) as download:
        page.click("[data-testid=download-xlsx]")
    assert download.value.suggested_filename.endswith("plan.xlsx")
    with open(download.value.path(), "rb") as handle:  # the saved download has no .xlsx suffix
        workbook = openpyxl.load_workbook(handle, read_only=True)
        names = workbook.sheetnames
    assert {"Ringkasan", "Cadangan"} <= set(names)
    assert any("MOJOROTO" in name.upper() for name in names), names
    page.screenshot(path=str(screenshots / "workspace-published.png"), full_page=True)
    assert page.outside_requests == []
