"""A lean WSGI path for the election-day hot route, ``POST /api/v1/tps/{code}/status`` with a Bearer token.

On voting day thousands of phones send status steps at once; through Django's whole stack (ten middlewares, URL
resolving, ninja's signature binding) one report cost more CPU than the report itself. This WSGI middleware sits in
front of Django (siaga.wsgi) and serves that one route when the request is plain: a Bearer token, a JSON body, a
report the shared checks accept. It runs exactly the checks and the write of the ninja route
(``siaga.api.operations.status_submit``: the same token cache, scoping, services and answer), only without the
stack around them. Anything else (no token, a bad body, a refusal, a conflict, a database error) is handed to
Django unchanged, with the body it read put back, so every error answer comes from one place: the API's own
handlers. A request the lean path refused is checked again by Django; a refusal writes nothing, so this is safe.

Before it reads a body, the lean path checks the Host header against ALLOWED_HOSTS and the Bearer token: a
request without a live token is handed to Django unread (the API answers 401 before it reads a body), so a client
that sends headers and stalls its body holds no thread for it. Granian's WSGI body has no read timeout, so a token
holder's body is bounded another way: at most READS_PER_TOKEN bodies of one token are read at once (more answer
429 unread). The time limit on slow bodies belongs to the reverse proxy, which buffers them (docs/web.md). With the
database down, the lean path answers 503 in the one error shape; the phone resends the same report later.

Measured by benchmarks/ops_load_bench.py; see docs/performance.md "Election-day load".
"""

from __future__ import annotations

import io
import json
import logging
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, IntegrityError, connection
from django.http import Http404
from django.http.request import split_domain_port, validate_host
from ninja.errors import HttpError
from pydantic import ValidationError as SchemaError

logger = logging.getLogger("siaga.api")

STATUS_ROUTE = re.compile(r"^/api/v1/tps/([^/]+)/status$")
#: A status report is a few hundred bytes; a larger body goes to Django (which applies its own size limit).
MAX_BODY = 4096
#: Bodies of one token read at once: a phone sends one report at a time (two while a resend overlaps).
READS_PER_TOKEN = 2
#: What Django's middleware (security, clickjacking, locale) adds to an API answer: the lean answer carries the
#: same headers, so a client cannot tell which path served it (tests/api/test_fastpath.py compares them).
COMMON_HEADERS = [("Content-Type", "application/json"), ("X-Frame-Options", "DENY"),
                  ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "same-origin"),
                  ("Cross-Origin-Opener-Policy", "same-origin")]
#: Refusals the shared checks raise; the lean path hands these requests to Django, which answers them.
REFUSALS = (HttpError, Http404, PermissionDenied, ValidationError, SchemaError, ValueError)

StartResponse = Callable[..., object]


class TokenReads:
    """How many bodies of each token are being read now, so one token cannot hold every thread with stalled bodies."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._reading: Counter[str] = Counter()
        self._lock = threading.Lock()

    def claim(self, token: str) -> bool:
        with self._lock:
            if self._reading[token] >= self.limit:
                return False
            self._reading[token] += 1
            return True

    def release(self, token: str) -> None:
        with self._lock:
            self._reading[token] -= 1
            if self._reading[token] <= 0:
                del self._reading[token]


TOKEN_READS = TokenReads(READS_PER_TOKEN)


def _error(status: int, message: str | None = None) -> tuple[int, bytes]:
    from siaga.core.errors import error_body

    return status, json.dumps(error_body(status, message)).encode()


def _host_allowed(environ: dict) -> bool:
    host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
    domain, _port = split_domain_port(host)
    return bool(domain) and validate_host(domain, settings.ALLOWED_HOSTS)


def token_of(environ: dict):
    """(raw token, user) of a live Bearer token whose user has a role, else None. Reads no body."""
    from siaga.accounts.selectors import user_role
    from siaga.accounts.services import token_user

    header = environ.get("HTTP_AUTHORIZATION", "")
    if header[:7].lower() != "bearer ":
        return None
    raw = header[7:].strip()
    user = token_user(raw)
    if user is None or user_role(user) is None:
        return None
    return raw, user


def status_answer(environ: dict, user, body: bytes) -> tuple[int, bytes] | None:
    """(HTTP status, JSON body) when the lean path can answer this status report of ``user``, else None (Django
    answers). ``environ`` is the WSGI environment of a ``POST`` whose path matched STATUS_ROUTE."""
    from siaga.api.operations import status_submit
    from siaga.api.operations_schemas import StatusIn

    match = STATUS_ROUTE.match(environ.get("PATH_INFO", ""))
    if match is None:
        return None
    try:
        data = json.loads(body)
        if not isinstance(data, dict):
            return None
        answer, replayed = status_submit(user, match.group(1), StatusIn.model_validate(data),
                                         environ.get("HTTP_IDEMPOTENCY_KEY"))
    except REFUSALS:
        return None
    return (200 if replayed else 201), json.dumps(answer, cls=DjangoJSONEncoder).encode()


def _fresh_connection() -> None:
    """What Django does at the start of each request (close_old_connections): drop a connection that is broken or
    past CONN_MAX_AGE, so the lean path recycles connections like the rest of the server. Skipped inside a
    transaction (tests wrap each test in one)."""
    if connection.connection is not None and not connection.in_atomic_block:
        connection.close_if_unusable_or_obsolete()


def _lean_status(environ: dict) -> tuple[int, bytes] | None:
    """The checks in the order that keeps threads free: method, path, size, host, content type, token (no body
    read yet), then the body of a token within its share of reads."""
    if environ.get("REQUEST_METHOD") != "POST" or not STATUS_ROUTE.match(environ.get("PATH_INFO", "")):
        return None
    try:
        length = int(environ.get("CONTENT_LENGTH") or -1)
    except ValueError:
        return None
    if not 0 <= length <= MAX_BODY or not _host_allowed(environ):
        return None
    if not environ.get("CONTENT_TYPE", "").startswith("application/json"):
        return None
    _fresh_connection()
    try:
        found = token_of(environ)
        if found is None:
            return None  # Django answers 401 (or serves a session) without reading the body first
        raw, user = found
        if not TOKEN_READS.claim(raw):
            return _error(429, "Laporan lain dari token ini masih dikirim; kirim ulang sebentar lagi.")
        try:
            body = environ["wsgi.input"].read(length)
        finally:
            TOKEN_READS.release(raw)
        environ["wsgi.input"] = io.BytesIO(body)  # Django reads the same body when the lean path declines
        return status_answer(environ, user, body)
    except IntegrityError:
        connection.close()
        return None  # a race the ninja route settles (it answers the replay or the conflict)
    except DatabaseError:
        logger.warning("lean status path: database error; answered 503", exc_info=True)
        connection.close()  # a broken connection is reopened by the next request
        return _error(503)


def lean_response(environ: dict) -> tuple[int, list[tuple[str, str]], bytes] | None:
    """(status, headers, body) when the lean path answers this request, else None, with ``wsgi.input`` holding the
    body (read or not) so Django reads the same one."""
    answer = _lean_status(environ)
    if answer is None:
        return None
    status, payload = answer
    headers = [*COMMON_HEADERS, ("Content-Length", str(len(payload)))]
    if status == 200:
        headers.append(("Idempotent-Replayed", "true"))
    if status in (429, 503):
        headers.append(("Retry-After", "5"))
    return status, headers, payload


class StatusFastPath:
    """WSGI middleware: the lean path for status reports, Django for everything else."""

    def __init__(self, django_app: Callable[[dict, StartResponse], Iterable[bytes]]) -> None:
        self.django_app = django_app

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        answer = lean_response(environ)
        if answer is None:
            return self.django_app(environ, start_response)
        status, headers, payload = answer
        start_response(f"{status} {HTTPStatus(status).phrase}", headers)
        return [payload]
