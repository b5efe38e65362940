"""The lean WSGI path for status reports (siaga.api.fastpath): it serves plain reports without Django's stack,
answers like the ninja route, and hands everything else to Django with the body intact. The rules themselves run
on both paths in test_status_api.py (the ``as_sender`` fixture)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.signals import request_finished, request_started
from django.db import OperationalError, close_old_connections

from siaga import wsgi
from siaga.accounts.services import token_create
from siaga.api import fastpath
from siaga.api.fastpath import COMMON_HEADERS, StatusFastPath, lean_response
from siaga.operations.models import StatusReport
from tests.api.conftest import assert_error
from tests.operations.conftest import post_status, token_client, wib

pytestmark = pytest.mark.django_db
SECURITY_HEADERS = ("Content-Type", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy",
                    "Cross-Origin-Opener-Policy")


def test_plain_reports_never_reach_django(world, as_role):
    """A first report (201) and its replay (200, same bytes) are served by the lean path alone, with the answer
    and the security headers Django's route gives for the same report."""
    lean = token_client(world.users["field_officer"])
    first = post_status(lean, "T1", "arrived", wib("06:10"), key="lean-1")
    again = post_status(lean, "T1", "arrived", wib("06:10"), key="lean-1")
    assert lean.handler.served == {"lean": 2, "django": 0}
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.content == first.content and again["Idempotent-Replayed"] == "true"
    assert StatusReport.objects.filter(client_id="lean-1").count() == 1

    by_django = post_status(as_role("field_officer"), "T1", "arrived", wib("06:10"), key="django-1")
    assert by_django.status_code == 201
    differ = {"id", "client_id", "received_at"}
    assert {k: v for k, v in first.json().items() if k not in differ} == {
        k: v for k, v in by_django.json().items() if k not in differ}
    for name in SECURITY_HEADERS:
        assert first[name] == by_django[name], name


@pytest.mark.parametrize("case", ["no-key", "conflict", "other-tps", "unknown-tps", "bad-json", "bad-step",
                                  "partner"])
def test_refusals_are_answered_by_django(world, case):
    """Whatever the shared checks refuse goes to Django (with the body it read put back) and gets the API's one
    error shape; nothing is stored."""
    role = "partner" if case == "partner" else "field_officer"
    client = token_client(world.users[role])
    if case == "conflict":
        assert post_status(client, "T1", "arrived", wib("06:10"), key="k").status_code == 201
    before = StatusReport.objects.count()
    expected = {"no-key": (400, "bad_request"), "conflict": (409, "conflict"), "other-tps": (403, "forbidden"),
                "unknown-tps": (404, "not_found"), "bad-json": (400, "bad_request"),
                "bad-step": (400, "bad_request"), "partner": (403, "forbidden")}[case]
    if case == "bad-json":
        response = client.post("/api/v1/tps/T1/status", b"{not json", content_type="application/json",
                               headers={"Idempotency-Key": "k2"})
    else:
        tps = {"other-tps": "T1B", "unknown-tps": "NOPE"}.get(case, "T1")
        step = "lunch" if case == "bad-step" else ("opened" if case == "conflict" else "arrived")
        response = post_status(client, tps, step, wib("06:10"), key={"no-key": "", "conflict": "k"}.get(case))
    assert_error(response, *expected)
    assert client.handler.served["django"] == 1
    assert StatusReport.objects.count() == before


def test_other_requests_pass_through(world):
    """GETs, sessions, other routes, a body without a JSON type or beyond MAX_BODY: the lean path does not look."""
    client = token_client(world.users["field_officer"])
    client.get("/api/v1/tps/T1/status")
    client.post("/api/v1/tps/T1/status", "status=arrived", content_type="application/x-www-form-urlencoded",
                headers={"Idempotency-Key": "form"})
    big = json.dumps({"status": "arrived", "at": wib("06:10").isoformat(), "note": "x" * fastpath.MAX_BODY})
    client.post("/api/v1/tps/T1/status", big, content_type="application/json", headers={"Idempotency-Key": "big"})
    assert client.handler.served == {"lean": 0, "django": 3}


def _environ(raw: str | None, body: bytes, key: str, **extra) -> dict:
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/api/v1/tps/T1/status", "CONTENT_TYPE": "application/json",
               "CONTENT_LENGTH": str(len(body)), "HTTP_HOST": "localhost", "SERVER_NAME": "localhost",
               "SERVER_PORT": "80", "HTTP_IDEMPOTENCY_KEY": key, "wsgi.input": io.BytesIO(body),
               "wsgi.url_scheme": "http", "QUERY_STRING": ""}
    if raw is not None:
        environ["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    return {**environ, **extra}


class StalledBody:
    """A request body whose client sent the headers and stopped: reading it would hold the thread (issue 10)."""

    def __init__(self) -> None:
        self.reads = 0

    def read(self, *args):
        self.reads += 1
        raise AssertionError("the body of a request that cannot be served was read")

    readline = read


def test_database_error_answers_503_in_the_error_shape(world, monkeypatch):
    """A database error on the lean path answers 503 in the one error shape (the phone resends the same report
    later) and closes the connection (a broken one is reopened by the next request); it was handed to Django, whose
    stack failed on the same database with a traceback page."""
    closed = []

    class Connection:
        connection = None
        in_atomic_block = False

        def close(self):
            closed.append(True)

    def broken(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("siaga.api.operations.status_submit", broken)
    monkeypatch.setattr(fastpath, "connection", Connection())
    _, raw = token_create(user=world.users["field_officer"], actor="test")
    body = json.dumps({"status": "arrived", "at": wib("06:10").isoformat()}).encode()
    status, headers, payload = lean_response(_environ(raw, body, "db-1"))
    assert status == 503 and dict(headers)["Retry-After"]
    assert json.loads(payload)["error"]["code"] == "unavailable"
    assert closed == [True]


def test_no_token_no_body_read(world):
    """Without a live token the body is never read, by the lean path or by the API behind it, which answers 401 in
    the error shape: a client that sends headers and stalls its body holds no thread (it held one per connection)."""
    app = StatusFastPath(wsgi.django_application)
    # Django closes the connection at a request's start and end, which on PostgreSQL ends the test's transaction
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        _no_body_read(app)
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def _no_body_read(app) -> None:
    for raw in (None, "sg_not_a_token"):
        stalled = StalledBody()
        started: list[str] = []
        answer = b"".join(app(_environ(raw, b"", "stall", CONTENT_LENGTH="2000", **{"wsgi.input": stalled}),
                              lambda status, headers, *a, seen=started: seen.append(status)))
        assert started == ["401 Unauthorized"], (raw, started, answer)
        assert json.loads(answer)["error"]["code"] == "not_authenticated"
        assert stalled.reads == 0


def test_unknown_host_is_not_served_by_the_lean_path(world):
    """A Host outside ALLOWED_HOSTS never reaches the token check or the body: Django refuses it (400)."""
    _, raw = token_create(user=world.users["field_officer"], actor="test")
    stalled = StalledBody()
    environ = _environ(raw, b"", "host", CONTENT_LENGTH="200", HTTP_HOST="evil.example", **{"wsgi.input": stalled})
    assert lean_response(environ) is None and stalled.reads == 0


def test_one_token_reads_at_most_its_share_of_bodies(world):
    """While READS_PER_TOKEN bodies of one token are being read (stalled), a further report of that token answers
    429 unread instead of taking another thread; other tokens and, once the reads end, the same token are served."""
    _, raw = token_create(user=world.users["field_officer"], actor="test")
    _, other = token_create(user=world.users["field_officer"], actor="test")
    body = json.dumps({"status": "arrived", "at": wib("06:10").isoformat()}).encode()
    for _ in range(fastpath.READS_PER_TOKEN):
        assert fastpath.TOKEN_READS.claim(raw)  # as the threads reading two stalled bodies do
    try:
        stalled = StalledBody()
        status, headers, payload = lean_response(_environ(raw, b"", "share-1", CONTENT_LENGTH="200",
                                                          **{"wsgi.input": stalled}))
        assert (status, json.loads(payload)["error"]["code"], stalled.reads) == (429, "throttled", 0)
        assert lean_response(_environ(other, body, "share-2"))[0] == 201
    finally:
        for _ in range(fastpath.READS_PER_TOKEN):
            fastpath.TOKEN_READS.release(raw)
    assert lean_response(_environ(raw, body, "share-3"))[0] == 201


def test_wsgi_entry_point_puts_the_lean_path_in_front(world):
    """siaga.wsgi serves Django behind StatusFastPath; the middleware answers a report itself and passes the rest
    on with the body unread."""
    assert isinstance(wsgi.application, StatusFastPath)
    assert wsgi.application.django_app is wsgi.django_application
    passed, started = [], []
    app = StatusFastPath(lambda environ, start_response: passed.append(environ["wsgi.input"].read()) or [b"django"])
    _, raw = token_create(user=world.users["field_officer"], actor="test")
    body = json.dumps({"status": "opened", "at": wib("07:00").isoformat()}).encode()
    environ = _environ(raw, body, "wsgi-1")
    answer = app(environ, lambda status, headers: started.append((status, dict(headers))))
    assert started[0][0] == "201 Created" and json.loads(b"".join(answer))["status"] == "opened"
    assert all(started[0][1][name] == value for name, value in COMMON_HEADERS)
    assert passed == []
    unknown = {**environ, "HTTP_AUTHORIZATION": "Bearer sg_not_a_token", "HTTP_IDEMPOTENCY_KEY": "wsgi-2",
               "wsgi.input": io.BytesIO(body)}
    assert app(unknown, lambda *a: None) == [b"django"] and passed == [body]
