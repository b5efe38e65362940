"""Schemathesis over the served OpenAPI schema (/api/v1/openapi.json), called in-process through Django's
WSGI app on the Kediri Kota scenario (synthetic people) with one stored plan.

The generated requests run in the test's thread, on the test's database connection, so they stay inside
pytest-django's per-test transaction (SQLite and PostgreSQL alike); ``test_calls_share_the_test_transaction``
pins that.

Each operation is fuzzed with ``@given(operation.as_strategy(...))`` inside one test per role (a pytest subtest per
operation), not with ``schemathesis.pytest.from_fixture``: schemathesis 4.32.5's lazy loader sets
``request.node._nodeid``, which pytest 9.2 no longer has (AttributeError). Loading the scenario once per role
keeps the module fast.
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from siaga.accounts.services import token_create
from siaga.core.models import AuditEvent
from siaga.dataio.scenario_load import scenario_load
from siaga.deployments.services import plan_create
from siaga.forces.models import Personnel, Unit
from siaga.regions.models import TPS
from siaga.risk.services import catalogue_sync
from siaga.scenarios import load_scenario
from tests.accounts.world import make_user

pytestmark = pytest.mark.django_db

SCHEMA_PATH = "/api/v1/openapi.json"
POLRES = "POLRES-KEDIRI-KOTA"

#: Bounded, reproducible generation (25 examples per operation, fixed seed): the module runs in ~30 s on two cores.
#: The examples of one test share its function-scoped fixtures (database, token, schema) on purpose, since loading
#: the scenario per example would take minutes; hence the suppressed function_scoped_fixture health check.
#: too_slow / filter_too_much: each example is a full request, and negative draws with nothing to negate are
#: rejected by schemathesis (operations whose only input is a free string path parameter).
SETTINGS = settings(max_examples=25, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.filter_too_much])


#: Statuses docs/api.md lists; 409 only where something is written.
READ_STATUSES = frozenset({200, 400, 401, 403, 404, 405, 422})
WRITE_STATUSES = READ_STATUSES | {201, 202, 204, 409}


def error_shape(ctx, response, case) -> None:
    """Custom check: only documented statuses, and every 4xx/5xx answer is JSON {"error": {"code", "message",
    "details"}}."""
    allowed = READ_STATUSES if case.method.upper() == "GET" else WRITE_STATUSES
    assert response.status_code in allowed, (case.method, case.formatted_path, response.status_code)
    if response.status_code < 400:
        return None
    assert response.headers.get("content-type", [""])[0].startswith("application/json"), response.headers
    body = json.loads(response.content)
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "message", "details"}, body
    assert isinstance(error["code"], str) and error["code"], body
    assert isinstance(error["message"], str) and error["message"], body
    assert isinstance(error["details"], list), body
    return None


CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance, error_shape]


@pytest.fixture(scope="module")
def kediri():
    return load_scenario("kediri-kota-pilkada-2024")


@pytest.fixture
def kediri_db(kediri):
    """The Kediri Kota scenario loaded with one plan version."""
    catalogue_sync()
    _, operation = scenario_load(scenario=kediri, actor="test")
    plan = plan_create(operation=operation, actor="test")
    return operation, plan


@pytest.fixture
def wsgi_app():
    """Django's WSGI handler, without closing the connection at each request's start and end (as Django's test
    client does), so the generated calls stay inside the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _bearer(role: str) -> str:
    user = make_user(f"st-{role}", role, unit=Unit.objects.get(code=POLRES))
    return token_create(user=user, actor="test")[1]


def _real_path_parameters(operation, plan) -> dict[str, list[dict]]:
    """Ids that exist in the planner's area, so detail and write routes are exercised past their 404."""
    tps = list(TPS.objects.order_by("code").values_list("code", flat=True)[:3])
    units = list(Unit.objects.order_by("code").values_list("code", flat=True)[:3])
    people = list(Personnel.objects.order_by("code").values_list("code", flat=True)[:3])
    ops = [{"operation_id": operation.pk}]
    return {
        "/api/v1/tps/{code}": [{"code": c} for c in tps],
        "/api/v1/tps/{code}/category": [{"code": c} for c in tps],
        "/api/v1/units/{code}": [{"code": c} for c in units],
        "/api/v1/personnel/{code}": [{"code": c} for c in people],
        "/api/v1/personnel/{code}/status": [{"code": c} for c in people],
        "/api/v1/operations/{operation_id}": ops,
        "/api/v1/operations/{operation_id}/plans": ops,
        "/api/v1/plans/{operation_id}/{version}": [{"operation_id": operation.pk, "version": plan.version}],
    }


def _same_types(generated: dict, real: dict) -> bool:
    """Only swap in real ids for values of the declared type (negative cases keep their wrong-typed values)."""
    return set(generated) == set(real) and all(type(generated[k]) is type(real[k]) for k in real)


def _load(app, token: str, operation, plan):
    """The served schema (fetching it needs the token too), with the token on every generated call and real ids
    mixed into path parameters."""
    config = schemathesis.Config.from_dict({"headers": {"Authorization": f"Bearer {token}"}})
    schema = schemathesis.openapi.from_wsgi(SCHEMA_PATH, app, config=config,
                                            headers={"Authorization": f"Bearer {token}"})
    real = _real_path_parameters(operation, plan)

    @schema.hook
    def flatmap_path_parameters(context, path_parameters):
        choices = [p for p in real.get(context.operation.path, []) if _same_types(path_parameters, p)]
        return st.sampled_from([path_parameters, *choices]) if choices else st.just(path_parameters)

    return schema


@pytest.fixture
def planner_api(kediri_db, wsgi_app):
    operation, plan = kediri_db
    return _load(wsgi_app, _bearer("planner"), operation, plan)


@pytest.fixture
def partner_api(kediri_db, wsgi_app):
    operation, plan = kediri_db
    return _load(wsgi_app, _bearer("partner"), operation, plan)


def _operations(schema, methods: tuple[str, ...] | None = None) -> list:
    """Every operation of the loaded schema (optionally only some methods); a schema error fails the test."""
    found = []
    for result in schema.get_all_operations():
        operation = result.ok()  # raises on an operation schemathesis cannot read
        if methods is None or operation.method.upper() in methods:
            found.append(operation)
    return found


def _fuzz(operation, check) -> None:
    """Generated cases for one operation, valid and invalid mixed (as schemathesis' own runner does: negative
    draws with nothing to negate are rejected, so operations without negatable inputs get positive cases only)."""
    cases = st.one_of(operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
                      operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))

    @SETTINGS
    @given(case=cases)
    def run(case):
        check(case)

    run()


def test_planner_api_conforms(planner_api, subtests):
    """As a planner: no 5xx on any operation, 2xx bodies match the schema, every error has the one shape."""
    operations = _operations(planner_api)
    assert len(operations) >= 15
    for operation in operations:
        with subtests.test(operation=operation.label):
            _fuzz(operation, lambda case: case.call_and_validate(checks=CHECKS))


def test_partner_writes_are_refused(partner_api, subtests):
    """As a partner: writes answer 403 (or 400/422 for a malformed body) in the error shape, never 2xx or 5xx."""
    before = AuditEvent.objects.count()

    def check(case):
        response = case.call_and_validate(checks=CHECKS)
        assert response.status_code in (400, 403, 422), response.content
        if response.status_code == 403:
            assert json.loads(response.content)["error"]["code"] == "forbidden"

    operations = _operations(partner_api, methods=("PATCH", "POST", "PUT", "DELETE"))
    assert len(operations) >= 2
    for operation in operations:
        with subtests.test(operation=operation.label):
            _fuzz(operation, check)
    assert AuditEvent.objects.count() == before


def test_partner_write_with_valid_body_is_403(partner_api):
    """A schema-valid partner write on a real TPS gets 403 "forbidden", not a validation error."""
    code = TPS.objects.order_by("code").values_list("code", flat=True).first()
    case = partner_api["/api/v1/tps/{code}/category"]["PATCH"].Case(
        path_parameters={"code": code}, headers=dict(partner_api.config.headers),
        body={"category": "rawan", "reason": "uji"}, media_type="application/json")
    response = case.call_and_validate(checks=CHECKS)
    assert response.status_code == 403
    assert json.loads(response.content)["error"]["code"] == "forbidden"


def test_calls_share_the_test_transaction(planner_api):
    """The in-process calls use the test's connection: they see its uncommitted rows, and it sees their writes."""
    first, second = TPS.objects.order_by("code").values_list("code", flat=True)[:2]
    TPS.objects.filter(code=first).update(manual_category="khusus", manual_category_reason="belum di-commit")
    headers = dict(planner_api.config.headers)
    read = planner_api["/api/v1/tps/{code}"]["GET"].Case(path_parameters={"code": first}, headers=headers)
    response = read.call_and_validate(checks=CHECKS)
    assert response.status_code == 200 and json.loads(response.content)["manual_category"] == "khusus"
    write = planner_api["/api/v1/tps/{code}/category"]["PATCH"].Case(
        path_parameters={"code": second}, headers=headers,
        body={"category": "rawan", "reason": "uji transaksi"}, media_type="application/json")
    response = write.call_and_validate(checks=CHECKS)
    assert response.status_code == 200, response.content
    assert TPS.objects.get(code=second).manual_category == "rawan"


#: Requests past what the databases take: NUL characters (PostgreSQL refuses them in text) and integers past bigint.
EDGE_CASES = [
    ("/api/v1/personnel", {"query": {"q": "a\x00b"}}, (200, 400)),
    ("/api/v1/tps", {"query": {"district": "\x00"}}, (200, 400)),
    ("/api/v1/audit", {"query": {"actor": "\x00"}}, (200, 400)),
    ("/api/v1/tps/{code}", {"path_parameters": {"code": "a\x00b"}}, (400, 404)),
    ("/api/v1/units/{code}", {"path_parameters": {"code": "\x00"}}, (400, 404)),
    ("/api/v1/personnel", {"query": {"offset": 2**64}}, (422,)),
    ("/api/v1/operations/{operation_id}", {"path_parameters": {"operation_id": 2**70}}, (422,)),
    ("/api/v1/plans/{operation_id}/{version}", {"path_parameters": {"operation_id": 2**70, "version": 1}}, (422,)),
]


def test_edge_values_are_client_errors(planner_api, subtests):
    """NUL characters and integers past bigint answer 200 or a 4xx in the error shape, never 5xx (nor 409)."""
    headers = dict(planner_api.config.headers)
    for path, parameters, status in EDGE_CASES:
        with subtests.test(path=path, parameters=repr(parameters)):
            response = planner_api[path]["GET"].Case(headers=headers, **parameters).call_and_validate(checks=CHECKS)
            assert response.status_code in status, response.content
