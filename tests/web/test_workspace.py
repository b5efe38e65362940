"""Plan workspace pages (/rencana/) per role on Kota Kediri: scoping, 403/404, moves as pins, marking sick,
re-planning as a background job in a thread, publishing and comparing versions.

The page tests run in pytest-django's per-test transaction on Kota Kediri; the job tests at the bottom are
``transaction=True`` tests on a small synthetic area, because the job's thread has its own database connection
and must see committed rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.test import Client

from siaga.core.jobs import job_create, job_wait
from siaga.core.models import AuditEvent, Job
from siaga.deployments.models import Pin, Plan
from siaga.forces.models import Personnel
from siaga.web.views import DOWNLOADS
from siaga.web.workspace import DOWNLOAD_TESTIDS
from tests.web.conftest import COMMANDER_UNIT, ROLES

MOJOROTO = "35.71.01"
READ_ONLY = ("field_officer", "partner")


def _posts(plan, inside: bool = True) -> list[dict]:
    return [p for p in plan.document["posts"] if (p["district"] == MOJOROTO) == inside]


def person_move(document: dict, unit: str = COMMANDER_UNIT) -> tuple[str, str, str]:
    """(NRP, from post, to post): a Polri of ``unit`` standing at a post, and another post of the same district that
    needs Polri and holds no TPS of the person's home village, so the planner accepts the pin."""
    people = {p.code: p for p in Personnel.objects.filter(unit__code=unit).select_related("home_village")}
    posts = {p["id"]: p for p in document["posts"]}
    for a in document["assignments"]:
        person = people.get(a["personnel"])
        if person is None or a["role"] != "polri":
            continue
        here = posts[a["post"]]
        home = person.home_village.code if person.home_village_id else None
        for target in sorted(posts.values(), key=lambda p: p["id"]):
            if (target["district"] == here["district"] and target["id"] != here["id"]
                    and target["required"]["polri"] > 0 and target.get("village") != home):
                return person.code, here["id"], target["id"]
    raise AssertionError("no movable person in the fixture")


def tps_bad_move(document: dict, district: str = MOJOROTO) -> tuple[str, str]:
    """(TPS id, post id): a TPS of ``district`` and a post there of another village (the planner refuses the pin)."""
    tps = next(t for t in document["tps"] if t["district"] == district)
    post = next(p for p in document["posts"] if p["district"] == district and p["village"] != tps["village"])
    return tps["id"], post["id"]


# --- pages and scoping (per-test transaction) -------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_role_opens_the_workspace(as_role, kediri, role):
    """Each role opens the workspace, its map data, a post panel of its area and the compare page."""
    client = as_role(role)
    op = kediri.operation.pk
    post = _posts(kediri.plan)[0]["id"]
    page = client.get("/rencana/")
    assert page.status_code == 200 and 'data-testid="ws-map"' in page.content.decode()
    data = client.get(f"/rencana/data.json?operation={op}").json()
    assert data["posts"] and data["tps"] and len(data["posts"][0]) == 6
    assert client.get(f"/rencana/pos/{post}/?operation={op}&partial=1").status_code == 200
    assert client.get(f"/rencana/?operation={op}&post={post}").status_code == 200
    assert client.get(f"/rencana/{op}/banding/?a=1&b=1").status_code == 200


@pytest.mark.django_db
def test_commander_sees_only_its_posts(as_role, kediri):
    """A commander's map data holds only Mojoroto posts; a post of another district, an unknown operation,
    version or job answer 404."""
    client = as_role("commander")
    op = kediri.operation.pk
    data = client.get(f"/rencana/data.json?operation={op}").json()
    assert {p[0] for p in data["posts"]} == {p["id"] for p in _posts(kediri.plan)}
    outside = _posts(kediri.plan, inside=False)[0]["id"]
    assert client.get(f"/rencana/pos/{outside}/?operation={op}").status_code == 404
    assert client.get(f"/rencana/?operation={op}&post={outside}").status_code == 404
    assert client.get("/rencana/?operation=999999").status_code == 404
    assert client.get(f"/rencana/?operation={op}&version=99").status_code == 404
    assert client.get("/api/v1/jobs/999999").status_code == 404
    assert client.get(f"/rencana/{op}/banding/?a=1&b=99").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", READ_ONLY)
def test_read_only_roles_get_403_before_any_lookup(as_role, kediri, role):
    """Field officers and partners get 403 on every workspace POST, even for ids that do not exist; no forms."""
    client = as_role(role)
    for op in (kediri.operation.pk, 999999):
        for url in (f"/rencana/{op}/patok/", f"/rencana/{op}/patok/hapus/", f"/rencana/{op}/status/",
                    f"/rencana/{op}/susun-ulang/", f"/rencana/{op}/1/terbitkan/"):
            assert client.post(url, {"personnel": "x", "post": "y", "target": "z"}).status_code == 403, url
    post = _posts(kediri.plan)[0]["id"]
    body = client.get(f"/rencana/?operation={kediri.operation.pk}&post={post}").content.decode()
    for testid in ("replan", "publish", "move-person-form", "move-tps-form", "sick-form"):
        assert f'data-testid="{testid}"' not in body, testid


@pytest.mark.django_db
def test_commander_may_pin_inside_its_districts_only(as_role, kediri):
    """A commander pins its own person to its own post (audited with its user); a post or person of another
    district is 404; re-plan and publish are 403."""
    client = as_role("commander")
    op = kediri.operation.pk
    nrp, here, there = person_move(kediri.plan.document)
    outside_post = _posts(kediri.plan, inside=False)[0]["id"]
    outside_person = Personnel.objects.filter(unit__code="POLSEK-KOTA").first().code
    assert client.post(f"/rencana/{op}/patok/", {"personnel": nrp, "post": outside_post}).status_code == 404
    assert client.post(f"/rencana/{op}/patok/", {"personnel": outside_person, "post": there}).status_code == 404
    response = client.post(f"/rencana/{op}/patok/", {"personnel": nrp, "post": there, "reason": "dekat rumah",
                                                     "from_post": here})
    assert response.status_code == 302 and f"post={here}" in response["Location"]
    pin = Pin.objects.get(operation=kediri.operation, personnel__code=nrp)
    assert pin.post_id == there and pin.reason == "dekat rumah"
    event = AuditEvent.objects.get(action="pin.add", target=f"pin:{nrp}")
    assert event.user == kediri.users["commander"]
    assert client.post(f"/rencana/{op}/susun-ulang/").status_code == 403
    assert client.post(f"/rencana/{op}/1/terbitkan/").status_code == 403
    pins = client.get(f"/rencana/?operation={op}").content.decode()
    assert 'data-testid="pin-row"' in pins and there in pins
    assert client.post(f"/rencana/{op}/patok/hapus/", {"target": nrp}).status_code == 302
    assert not Pin.objects.filter(personnel__code=nrp).exists()
    assert client.post(f"/rencana/{op}/patok/hapus/", {"target": nrp}).status_code == 404


@pytest.mark.django_db
def test_bad_pin_shows_the_service_error(as_role, kediri):
    """A pin to a post id that is not in the latest plan is refused with the service's message, nothing stored."""
    client = as_role("planner")
    nrp, here, _ = person_move(kediri.plan.document)
    response = client.post(f"/rencana/{kediri.operation.pk}/patok/", {"personnel": nrp, "post": "P-NOPE"},
                           follow=True)
    assert "pos &#x27;P-NOPE&#x27; tidak ada dalam rencana versi 1" in response.content.decode()
    assert not Pin.objects.exists()


@pytest.mark.django_db
def test_mark_sick_changes_status_and_drops_the_pin(as_role, kediri):
    """Marking a pinned person sick from a post's panel sets the status (audited) and removes the pin."""
    client = as_role("planner")
    op = kediri.operation.pk
    nrp, here, there = person_move(kediri.plan.document)
    client.post(f"/rencana/{op}/patok/", {"personnel": nrp, "post": there})
    response = client.post(f"/rencana/{op}/status/", {"personnel": nrp, "status": "sick", "reason": "demam",
                                                      "from_post": here})
    assert response.status_code == 302
    assert Personnel.objects.get(code=nrp).status == "sick"
    assert not Pin.objects.filter(personnel__code=nrp).exists()
    assert AuditEvent.objects.filter(action="personnel.status", target=f"personnel:{nrp}").exists()
    refused = client.post(f"/rencana/{op}/status/", {"personnel": nrp, "status": "available"}, follow=True)
    assert "tidak boleh di sini" in refused.content.decode()


@pytest.mark.django_db
def test_planner_controls_carry_stable_test_ids(as_role, kediri):
    """The planner's workspace and panel carry the data-testids the browser suite uses."""
    post = _posts(kediri.plan)[0]["id"]
    body = as_role("planner").get(f"/rencana/?operation={kediri.operation.pk}&post={post}").content.decode()
    for testid in ("replan", "job-progress", "publish", "download-xlsx", "download-geojson", "download-brief",
                   "download-json", "move-person-form", "move-tps-form", "sick-form", "versions", "post-panel",
                   "version-select"):
        assert f'data-testid="{testid}"' in body, testid
    assert set(DOWNLOAD_TESTIDS) == set(DOWNLOADS)


@pytest.mark.django_db
def test_partner_sees_no_nrp_in_the_workspace(as_role, kediri):
    """No NRP appears on the partner's workspace, post panel, map data or compare page."""
    client = as_role("partner")
    op = kediri.operation.pk
    nrps = set(Personnel.objects.values_list("code", flat=True))
    post = _posts(kediri.plan)[0]["id"]
    for url in (f"/rencana/?operation={op}&post={post}", f"/rencana/pos/{post}/?operation={op}",
                f"/rencana/data.json?operation={op}", f"/rencana/{op}/banding/?a=1&b=1"):
        body = client.get(url).content.decode()
        found = nrps & set(re.findall(r"[A-Za-z0-9-]{6,}", body))
        assert not found, (url, sorted(found)[:3])


@pytest.mark.django_db
def test_a_second_replan_is_refused_while_one_runs(as_role, kediri):
    """While a re-plan of the operation is queued, another answers 409 (JSON) or an error message (form)."""
    op = kediri.operation
    job_create(kind="replan", subject=f"operation:{op.pk}", params={"operation": op.pk}, actor="x")
    client = as_role("planner")
    response = client.post(f"/rencana/{op.pk}/susun-ulang/", HTTP_ACCEPT="application/json")
    assert response.status_code == 409 and "masih menunggu" in response.json()["error"]["message"]
    page = client.post(f"/rencana/{op.pk}/susun-ulang/", follow=True).content.decode()
    assert "masih menunggu" in page and 'data-testid="job"' in page
    assert Job.objects.count() == 1


@pytest.mark.django_db
def test_no_outside_urls_in_the_workspace(as_role, kediri, settings):
    """Without SIAGA_TILE_URL the workspace and compare pages hold no http(s) URL."""
    settings.SIAGA_TILE_URL = ""
    client = as_role("planner")
    for url in ("/rencana/", f"/rencana/{kediri.operation.pk}/banding/"):
        body = client.get(url).content.decode()
        assert "http://" not in body and "https://" not in body, url


# --- background jobs (committed rows: the job's thread has its own connection) -----------------------

@dataclass
class Area:
    operation: object
    plan: object
    planner: object
    unit: str
    district: str

    def client(self) -> Client:
        client = Client()
        client.force_login(self.planner)
        return client


@pytest.fixture
def small_area(settings):
    """The synthetic 60-TPS area of seed 3 (POLRES-9901, one Polsek) loaded and planned, with a planner; jobs run
    in a thread. For
    ``django_db(transaction=True)`` tests, whose rows are committed so a job's own connection sees them."""
    from siaga.accounts.services import user_create
    from siaga.dataio.scenario_load import scenario_load
    from siaga.deployments.services import plan_create
    from siaga.forces.models import Unit
    from siaga.risk.services import catalogue_sync
    from siaga.scenarios.synthetic import generate_scenario

    settings.SIAGA_BROKER_URL = ""
    catalogue_sync()
    _, operation = scenario_load(scenario=generate_scenario(60, seed=3), actor="test")
    plan = plan_create(operation=operation, actor="test")
    planner = user_create(username="ws-planner", role="planner", actor="test",
                          unit=Unit.objects.get(code="POLRES-9901"))[0]
    polsek = Unit.objects.get(code="POLSEK-990101")
    return Area(operation, plan, planner, polsek.code, polsek.districts.get().code)


@pytest.mark.django_db(transaction=True)
def test_replan_job_keeps_the_pin_then_compare_and_publish(small_area):
    """A planner's move (pin) then 'Susun ulang': the job runs in a thread to done, version 2 has the person at the
    pinned post, the job-status JSON links to it, the compare page lists the move, and v2 can be published."""
    client = small_area.client()
    op = small_area.operation.pk
    nrp, here, there = person_move(small_area.plan.document, small_area.unit)
    assert client.post(f"/rencana/{op}/patok/", {"personnel": nrp, "post": there}).status_code == 302
    response = client.post(f"/rencana/{op}/susun-ulang/", HTTP_ACCEPT="application/json")
    assert response.status_code == 202, response.content
    job = job_wait(response.json()["id"])
    assert job.state == "done", job.message
    assert response.json()["id"] == job.pk and response.json()["operation"] == op
    status = client.get(f"/api/v1/jobs/{job.pk}").json()  # job status is served once, by the API
    assert status["state"] == "done" and status["progress"] == 1.0 and status["version"] == 2
    v2 = Plan.objects.get(operation_id=op, version=2)
    placed = {a["personnel"]: a for a in v2.document["assignments"]}
    assert placed[nrp]["post"] == there and placed[nrp]["pinned"] is True
    assert AuditEvent.objects.filter(action="plan.replan_start", user=small_area.planner).exists()

    body = client.get(f"/rencana/{op}/banding/?a=1&b=2").content.decode()
    moved = body.split('data-testid="people-moved"')[1].split("</table>")[0]
    assert Personnel.objects.get(code=nrp).name in moved and here in moved and there in moved

    assert client.post(f"/rencana/{op}/2/terbitkan/").status_code == 302
    assert dict(Plan.objects.filter(operation_id=op).values_list("version", "status")) == {1: "draft",
                                                                                           2: "published"}
    assert "Diterbitkan" in client.get(f"/rencana/?operation={op}&version=2").content.decode()


@pytest.mark.django_db(transaction=True)
def test_failing_job_is_recorded_as_failed(small_area):
    """A TPS pinned into a post of another village makes the planner refuse: the job ends failed with the planner's
    message, no version is added, and the workspace shows the message."""
    client = small_area.client()
    op = small_area.operation.pk
    tps, post = tps_bad_move(small_area.plan.document, small_area.district)
    assert client.post(f"/rencana/{op}/patok/", {"tps": tps, "post": post}).status_code == 302
    response = client.post(f"/rencana/{op}/susun-ulang/")
    assert response.status_code == 302 and "job=" in response["Location"]
    job = job_wait(int(response["Location"].rsplit("job=", 1)[1]))
    assert job.state == "failed" and f"Pin TPS {tps}" in job.message and job.finished_at is not None
    assert Plan.objects.filter(operation_id=op).count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Pin TPS" in page and 'data-testid="job-error"' in page
