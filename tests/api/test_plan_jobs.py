"""Plan workspace API on Kota Kediri: pins, re-plan jobs (in a thread, and on a real Celery worker over Redis),
job status, publish and compare, per role; plus the job machinery (progress throttling, stale jobs, failures).

The role tests run in pytest-django's per-test transaction on Kota Kediri; the real jobs are ``transaction=True``
tests on a small synthetic area (``small_area``), so the worker's own connection sees the committed rows.
"""

from __future__ import annotations

import os
import threading
import uuid

import pytest

from siaga.core import jobs
from siaga.core.models import Job
from siaga.deployments.models import Plan
from siaga.forces.models import Personnel
from tests.api.conftest import assert_error
from tests.web import conftest as web_fixtures
from tests.web import test_workspace as workspace_tests
from tests.web.conftest import ROLES
from tests.web.test_workspace import MOJOROTO, person_move, tps_bad_move

#: Fixtures shared with the workspace page tests: Kota Kediri planned once per module, and a small synthetic area.
kediri = web_fixtures.kediri
as_role = web_fixtures.as_role
small_area = workspace_tests.small_area

API = "/api/v1"
REDIS_URL = "redis://127.0.0.1:6379/15"


def _post(client, url, body=None, **extra):
    return client.post(url, body or {}, content_type="application/json", **extra)


# --- per role (per-test transaction) ------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_pins_compare_and_jobs(as_role, kediri, role):
    """Every role lists pins, compares versions and reads a job of its operation; other operations are 404."""
    op = kediri.operation.pk
    job = jobs.job_create(kind="replan", subject=f"operation:{op}", params={"operation": op}, actor="x")
    client = as_role(role)
    assert client.get(f"{API}/operations/{op}/pins").json()["count"] == 0
    diff = client.get(f"{API}/plans/{op}/compare?a=1&b=1").json()
    assert diff["a"] == diff["b"] == 1 and diff["counts"]["people_moved"] == 0
    assert client.get(f"{API}/jobs/{job.pk}").json()["state"] == "queued"
    assert_error(client.get(f"{API}/operations/999999/pins"), 404, "not_found")
    assert_error(client.get(f"{API}/plans/999999/compare?a=1&b=1"), 404, "not_found")
    assert_error(client.get(f"{API}/plans/{op}/compare?a=1&b=9"), 404, "not_found")
    assert_error(client.get(f"{API}/jobs/999999"), 404, "not_found")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ("field_officer", "partner"))
def test_read_only_roles_get_403_before_any_lookup(as_role, kediri, role):
    """Field officers and partners get 403 on every write, also for operations that do not exist."""
    client = as_role(role)
    for op in (kediri.operation.pk, 999999):
        assert_error(_post(client, f"{API}/operations/{op}/pins", {"post": "P", "personnel": "1"}), 403, "forbidden")
        assert_error(client.delete(f"{API}/operations/{op}/pins/1"), 403, "forbidden")
        assert_error(_post(client, f"{API}/operations/{op}/replan"), 403, "forbidden")
        assert_error(_post(client, f"{API}/plans/{op}/1/publish"), 403, "forbidden")
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_commander_pins_only_inside_its_districts(as_role, kediri):
    """A commander pins its person to its post (201) and removes it (204); other districts' posts and people are
    404; re-plan and publish are 403."""
    client = as_role("commander")
    op = kediri.operation.pk
    nrp, _, there = person_move(kediri.plan.document)
    outside_post = next(p["id"] for p in kediri.plan.document["posts"] if p["district"] != MOJOROTO)
    outside_person = Personnel.objects.filter(unit__code="POLSEK-KOTA").first().code
    assert_error(_post(client, f"{API}/operations/{op}/pins", {"post": outside_post, "personnel": nrp}), 404,
                 "not_found")
    assert_error(_post(client, f"{API}/operations/{op}/pins", {"post": there, "personnel": outside_person}), 404,
                 "not_found")
    created = _post(client, f"{API}/operations/{op}/pins", {"post": there, "personnel": nrp, "reason": "uji"})
    assert created.status_code == 201, created.content
    assert created.json()["target"] == nrp and created.json()["post"] == there
    assert [p["target"] for p in client.get(f"{API}/operations/{op}/pins").json()["items"]] == [nrp]
    assert client.delete(f"{API}/operations/{op}/pins/{nrp}").status_code == 204
    assert_error(client.delete(f"{API}/operations/{op}/pins/{nrp}"), 404, "not_found")
    assert_error(_post(client, f"{API}/operations/{op}/replan"), 403, "forbidden")
    assert_error(_post(client, f"{API}/plans/{op}/1/publish"), 403, "forbidden")


@pytest.mark.django_db
def test_pin_errors_and_partner_view(as_role, kediri):
    """Neither or both targets, or an unknown post, answer 400 naming the problem; a partner does not see a pin
    of a person at all (it is personal data)."""
    planner = as_role("planner")
    op = kediri.operation.pk
    nrp, _, there = person_move(kediri.plan.document)
    error = assert_error(_post(planner, f"{API}/operations/{op}/pins", {"post": there}), 400, "bad_request")
    assert "tepat satu" in error["message"]
    error = assert_error(_post(planner, f"{API}/operations/{op}/pins", {"post": "P-X", "personnel": nrp}), 400,
                         "bad_request")
    assert "P-X" in error["message"]
    assert _post(planner, f"{API}/operations/{op}/pins", {"post": there, "personnel": nrp}).status_code == 201
    assert as_role("planner").get(f"{API}/operations/{op}/pins").json()["count"] >= 1
    answer = as_role("partner").get(f"{API}/operations/{op}/pins").json()
    person = Personnel.objects.get(code=nrp)
    assert answer["items"] == [] and nrp not in str(answer) and person.name not in str(answer)


@pytest.mark.django_db
def test_replan_refusals(as_role, kediri):
    """An unknown pattern is 400 before any job; a second re-plan while one is queued is 409 and names the job."""
    planner = as_role("planner")
    op = kediri.operation.pk
    error = assert_error(_post(planner, f"{API}/operations/{op}/replan", {"pattern": "pola-x"}), 400, "bad_request")
    assert "pola-x" in error["message"] and not Job.objects.exists()
    first = jobs.job_create(kind="replan", subject=f"operation:{op}", params={"operation": op}, actor="x")
    error = assert_error(_post(planner, f"{API}/operations/{op}/replan"), 409, "conflict")
    assert f"#{first.pk}" in error["message"]


@pytest.mark.django_db
def test_publish_and_compare_shape(as_role, kediri):
    """A planner publishes version 1 (status published, audited); compare carries moves, TPS, posts and totals."""
    planner = as_role("planner")
    op = kediri.operation.pk
    body = _post(planner, f"{API}/plans/{op}/1/publish").json()
    assert body["status"] == "published" and body["version"] == 1
    assert_error(_post(planner, f"{API}/plans/{op}/7/publish"), 404, "not_found")
    diff = planner.get(f"{API}/plans/{op}/compare?a=1&b=1").json()
    assert {"people_moved", "people_added", "people_removed", "tps_moved", "posts_added", "posts_removed",
            "totals", "counts"} <= set(diff)
    assert diff["totals"]["required"]["polri"]["old"] == kediri.plan.summary["required"]["polri"]
    assert_error(planner.get(f"{API}/plans/{op}/compare?a=1"), 422, "validation_error")


# --- job machinery ---------------------------------------------------------------------------------

def test_progress_writes_are_throttled(monkeypatch):
    """The progress recorder writes the first call, then at most one per interval, and never goes backwards."""
    writes = []

    class FakeQuery:
        def filter(self, **kwargs):
            return self

        def update(self, **fields):
            writes.append((fields["stage"], fields["progress"]))

    monkeypatch.setattr(Job, "objects", FakeQuery())
    now = [0.0]
    record = jobs.ProgressRecorder(1, interval=0.5, clock=lambda: now[0])
    for t, fraction in ((0.0, 0.1), (0.1, 0.2), (0.3, 0.3), (0.6, 0.25), (0.7, 0.9), (1.2, 0.95)):
        now[0] = t
        record("posts", fraction)
    assert writes == [("posts", 0.1), ("posts", 0.3), ("posts", 0.95)]


def test_failure_messages_are_readable():
    """Service and planner errors keep their own words; anything else names its type."""
    from django.core.exceptions import ValidationError
    from django.db import OperationalError

    from siaga.planning.model import PlanInputError

    assert jobs.failure_message(ValidationError(["a", "b"])) == "a; b"
    assert jobs.failure_message(PlanInputError("Pin TPS x -> y: salah")) == "Pin TPS x -> y: salah"
    assert jobs.failure_message(KeyError("k")) == "Kesalahan tak terduga (KeyError): 'k'"
    assert "sibuk" in jobs.failure_message(OperationalError("database is locked"))


@pytest.mark.django_db
def test_stale_jobs_are_reaped(kediri):
    """A running job silent for longer than STALE_AFTER is marked failed, so a new one may start."""
    from django.utils import timezone

    op = kediri.operation.pk
    old = jobs.job_create(kind="replan", subject=f"operation:{op}", params={"operation": op}, actor="x")
    Job.objects.filter(pk=old.pk).update(state="running", updated_at=timezone.now() - jobs.STALE_AFTER * 2)
    new = jobs.job_create(kind="replan", subject=f"operation:{op}", params={"operation": op}, actor="x")
    old.refresh_from_db()
    assert old.state == "failed" and "dianggap gagal" in old.message and new.state == "queued"


@pytest.mark.django_db
def test_job_of_a_deleted_operation_fails_readably(kediri):
    """job_run on a job whose operation is gone stores failed with a message, not an exception; a job that is not
    queued is left alone."""
    job = jobs.job_create(kind="replan", subject="operation:999999", params={"operation": 999999}, actor="x")
    jobs.job_run(job.pk)
    job.refresh_from_db()
    assert job.state == "failed" and "sudah tidak ada" in job.message
    jobs.job_run(job.pk)
    assert Job.objects.get(pk=job.pk).finished_at == job.finished_at


# --- real jobs (transaction=True: a job's own connection sees the committed rows) ----------------------

@pytest.mark.django_db(transaction=True)
def test_replan_in_a_thread_keeps_the_pin(small_area):
    """POST replan answers 202 with a queued job; the thread runs it to done; GET /jobs shows version 2, whose
    plan keeps the pinned person at the pinned post; compare v1..v2 lists the move."""
    planner = small_area.client()
    op = small_area.operation.pk
    nrp, here, there = person_move(small_area.plan.document, small_area.unit)
    assert _post(planner, f"{API}/operations/{op}/pins", {"post": there, "personnel": nrp}).status_code == 201
    response = _post(planner, f"{API}/operations/{op}/replan")
    assert response.status_code == 202 and response.json()["state"] in ("queued", "running", "done")
    jobs.job_wait(response.json()["id"])
    body = planner.get(f"{API}/jobs/{response.json()['id']}").json()
    assert body["state"] == "done" and body["version"] == 2 and body["result"]["operation"] == op, body
    document = planner.get(f"{API}/plans/{op}/2").json()
    assert {a["personnel"]: a["post"] for a in document["assignments"]}[nrp] == there
    moved = planner.get(f"{API}/plans/{op}/compare?a=1&b=2").json()["people_moved"]
    assert {"personnel": nrp, "from": here, "to": there}.items() <= next(
        m for m in moved if m["personnel"] == nrp).items()


@pytest.mark.django_db(transaction=True)
def test_failing_replan_is_recorded(small_area):
    """A pin the planner refuses makes the job fail with the planner's message; no version is added."""
    planner = small_area.client()
    op = small_area.operation.pk
    tps, post = tps_bad_move(small_area.plan.document, small_area.district)
    assert _post(planner, f"{API}/operations/{op}/pins", {"post": post, "tps": tps}).status_code == 201
    job = jobs.job_wait(_post(planner, f"{API}/operations/{op}/replan").json()["id"])
    body = planner.get(f"{API}/jobs/{job.pk}").json()
    assert body["state"] == "failed" and f"Pin TPS {tps}" in body["message"] and body["version"] is None
    assert Plan.objects.filter(operation_id=op).count() == 1
    assert planner.delete(f"{API}/operations/{op}/pins/{tps}").status_code == 204


def _redis_answers() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def celery_worker(small_area, settings):
    """A real Celery worker (in this process, so it uses the test database) consuming a queue of its own on Redis
    at 127.0.0.1:6379. Skipped when Redis does not answer, except under CI (env CI set), where it must run."""
    from celery.contrib.testing.worker import start_worker

    if not _redis_answers():
        if os.environ.get("CI"):
            pytest.fail(f"Redis does not answer at {REDIS_URL}; CI must run the Celery worker test")
        pytest.skip(f"Redis does not answer at {REDIS_URL} (start redis-server to run the Celery worker test)")
    settings.SIAGA_BROKER_URL = REDIS_URL
    saved = {k: jobs.app.conf[k] for k in ("broker_url", "task_default_queue")}
    queue = f"siaga-test-{uuid.uuid4().hex[:10]}"
    jobs.app.conf.update(broker_url=REDIS_URL, task_default_queue=queue)
    try:
        with start_worker(jobs.app, perform_ping_check=False, queues=[queue], loglevel="WARNING"):
            yield
    finally:
        jobs.app.conf.update(saved)
        import redis

        redis.Redis.from_url(REDIS_URL).delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")


@pytest.mark.django_db(transaction=True)
def test_replan_on_a_celery_worker(celery_worker, small_area):
    """With SIAGA_BROKER_URL set the re-plan is sent to Celery over Redis; the worker runs it to a new version."""
    from celery.signals import task_postrun

    planner = small_area.client()
    op = small_area.operation.pk
    finished = threading.Event()
    ran: list = []

    def on_postrun(sender=None, args=None, **kwargs):
        if getattr(sender, "name", None) == jobs.run_task.name:
            ran.append(args[0])
            finished.set()

    task_postrun.connect(on_postrun, weak=False)
    try:
        versions = Plan.objects.filter(operation_id=op).count()
        response = _post(planner, f"{API}/operations/{op}/replan")
        assert response.status_code == 202, response.content
        job_id = response.json()["id"]
        assert job_id not in jobs._threads  # not run in a thread of this process
        assert finished.wait(600), "hang guard: the Celery worker never ran the job"
    finally:
        task_postrun.disconnect(on_postrun)
    assert ran == [job_id]
    job = Job.objects.get(pk=job_id)
    assert job.state == "done", job.message
    assert job.result["version"] == versions + 1
    assert Plan.objects.filter(operation_id=op, version=versions + 1).exists()
