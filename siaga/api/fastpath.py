"""A lean WSGI path for the election-day hot route, ``POST /api/v1/tps/{code}/status`` with a Bearer token.

On voting day thousands of phones send status steps at once; through Django's whole stack (ten middlewares, URL
resolving, ninja's signature binding) one report cost more CPU than the report itself. This WSGI middleware sits in
front of Django (siaga.wsgi) and serves that one route when the request is plain: a Bearer token, a JSON body, a
report the shared checks accept. It runs exactly the checks and the write of the ninja route
(``siaga.api.operations.status_submit``: the same token cache, scoping, services and answer), only without the
stack around them. Anything else (no token, a bad body, a refusal, a conflict, a database error) is handed to
Django unchanged, with the body it read put back, so every error answer comes from one place: the API's own
handlers. A request the lean path refused is checked again by Django; a refusal writes nothing, so this is safe.

Measured by benchmarks/ops_load_bench.py; see docs/performance.md "Election-day load".
"""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Callable, Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection
from django.http import Http404
from ninja.errors import HttpError
from pydantic import ValidationError as SchemaError

logger = logging.getLogger("siaga.api")

STATUS_ROUTE = re.compile(r"^/api/v1/tps/([^/]+)/status$")
#: A status report is a few hundred bytes; a larger body goes to Django (which applies its own size limit).
MAX_BODY = 4096
#: What Django's middleware (security, clickjacking, locale) adds to an API answer: the lean answer carries the
#: same headers, so a client cannot tell which path served it (tests/api/test_fastpath.py compares them).
COMMON_HEADERS = [("Content-Type", "application/json"), ("X-Frame-Options", "DENY"),
                  ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "same-origin"),
                  ("Cross-Origin-Opener-Policy", "same-origin")]
#: Refusals the shared checks raise; the lean path hands these requests to Django, which answers them.
REFUSALS = (HttpError, Http404, PermissionDenied, ValidationError, SchemaError, ValueError)

StartResponse = Callable[..., object]


def status_answer(environ: dict, body: bytes) -> tuple[int, bytes] | None:
    """(HTTP status, JSON body) when the lean path can answer this status report, else None (Django answers).

    ``environ`` is the WSGI environment of a ``POST`` whose path matched STATUS_ROUTE; ``body`` its whole body.
    """
    from siaga.accounts.selectors import user_role
    from siaga.accounts.services import token_user
    from siaga.api.operations import status_submit
    from siaga.api.operations_schemas import StatusIn

    match = STATUS_ROUTE.match(environ.get("PATH_INFO", ""))
    header = environ.get("HTTP_AUTHORIZATION", "")
    if match is None or header[:7].lower() != "bearer ":
        return None
    if not environ.get("CONTENT_TYPE", "").startswith("application/json"):
        return None
    user = token_user(header[7:].strip())
    if user is None or user_role(user) is None:
        return None
    _fresh_connection()
    try:
        data = json.loads(body)
        if not isinstance(data, dict):
            return None
        answer, replayed = status_submit(user, match.group(1), StatusIn.model_validate(data),
                                         environ.get("HTTP_IDEMPOTENCY_KEY"))
    except REFUSALS:
        return None
    except DatabaseError:
        logger.warning("lean status path: database error; handing the request to Django", exc_info=True)
        connection.close()  # a broken connection is reopened by the next request
        return None
    return (200 if replayed else 201), json.dumps(answer, cls=DjangoJSONEncoder).encode()


def _fresh_connection() -> None:
    """What Django does at the start of each request (close_old_connections): drop a connection that is broken or
    past CONN_MAX_AGE, so the lean path recycles connections like the rest of the server. Skipped inside a
    transaction (tests wrap each test in one)."""
    if connection.connection is not None and not connection.in_atomic_block:
        connection.close_if_unusable_or_obsolete()


def lean_response(environ: dict) -> tuple[int, list[tuple[str, str]], bytes] | None:
    """(status, headers, body) when the lean path answers this request, else None, with ``wsgi.input`` put back
    so Django reads the same body."""
    if environ.get("REQUEST_METHOD") != "POST" or not STATUS_ROUTE.match(environ.get("PATH_INFO", "")):
        return None
    try:
        length = int(environ.get("CONTENT_LENGTH") or -1)
    except ValueError:
        return None
    if not 0 <= length <= MAX_BODY:
        return None
    body = environ["wsgi.input"].read(length)
    answer = status_answer(environ, body)
    if answer is None:
        environ["wsgi.input"] = io.BytesIO(body)
        return None
    status, payload = answer
    headers = [*COMMON_HEADERS, ("Content-Length", str(len(payload)))]
    if status == 200:
        headers.append(("Idempotent-Replayed", "true"))
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
        start_response("201 Created" if status == 201 else "200 OK", headers)
        return [payload]
