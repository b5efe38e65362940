"""Auth by token, the one error shape, pagination, and the OpenAPI schema."""

from __future__ import annotations

import pytest
from django.test import Client

from siaga.accounts.services import token_create, token_revoke
from tests.api.conftest import assert_error

pytestmark = pytest.mark.django_db


def test_bearer_token_works_and_revoked_token_fails(world):
    """A Bearer token authenticates as its user (scoped); after revoke it gets 401 in the error shape."""
    token, raw = token_create(user=world.users["commander"], actor="t")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = client.get("/api/v1/tps")
    assert response.status_code == 200 and [t["code"] for t in response.json()["items"]] == ["T1"]
    write = client.patch("/api/v1/tps/T1/category", {"category": "rawan", "reason": "x"},
                         content_type="application/json")
    assert write.status_code == 200  # token requests need no CSRF token
    token_revoke(prefix_or_username=token.prefix, actor="t")
    assert_error(client.get("/api/v1/tps"), 401, "not_authenticated")
    assert_error(Client(HTTP_AUTHORIZATION="Bearer sg_nonsense").get("/api/v1/tps"), 401, "not_authenticated")


def test_unknown_token_write_is_401_not_csrf(world):
    """A write with an unknown or revoked token answers 401 (as a server enforcing CSRF does), not the session's
    "CSRF check failed": the token is what is wrong."""
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION="Bearer sg_revoked_or_unknown")
    assert_error(client.patch("/api/v1/tps/T1/category", {"category": "rawan", "reason": "x"},
                              content_type="application/json"), 401, "not_authenticated")


def test_session_writes_need_csrf(world):
    """A session (cookie) write without the CSRF token is refused with the error shape."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["commander"])
    assert_error(client.patch("/api/v1/tps/T1/category", {"category": "rawan", "reason": "x"},
                              content_type="application/json"), 403, "forbidden")


def test_user_without_role_gets_403(world):
    """A logged-in user with no role is known but may do nothing."""
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.create(username="tanpa-peran"))
    assert_error(client.get("/api/v1/tps"), 403, "forbidden")


def test_every_error_status_has_the_one_shape(as_role):
    """400, 401, 403, 404, 405, 422 all answer {"error": {"code", "message", "details"}}."""
    c = as_role("commander")
    assert_error(c.patch("/api/v1/tps/T1/category", "{not json", content_type="application/json"), 400, "bad_request")
    bad = assert_error(c.patch("/api/v1/tps/T1/category", {"category": "gawat", "reason": "x"},
                               content_type="application/json"), 400, "bad_request")
    assert "gawat" in bad["message"]
    assert_error(c.patch("/api/v1/tps/T1/category", {"category": "rawan", "reason": " "},
                         content_type="application/json"), 400, "bad_request")
    assert_error(Client().get("/api/v1/tps"), 401, "not_authenticated")
    assert_error(c.get("/api/v1/audit"), 403, "forbidden")
    assert_error(c.get("/api/v1/tps/NOPE"), 404, "not_found")
    assert_error(c.get("/api/v1/no-such-route"), 404, "not_found")
    err = assert_error(c.delete("/api/v1/tps"), 405, "method_not_allowed")
    assert "GET" in err["details"][0]["allow"]
    err = assert_error(c.get("/api/v1/tps?limit=5000"), 422, "validation_error")
    assert err["details"][0]["loc"][-1] == "limit"
    assert_error(c.patch("/api/v1/tps/T1/category", {"reason": "x"}, content_type="application/json"),
                 422, "validation_error")


def test_server_error_shape_without_traceback(caplog):
    """An unexpected exception answers 500 "server_error" with no traceback, and is logged."""
    from ninja import NinjaAPI, Router
    from ninja.testing import TestClient

    from siaga.api import errors

    router = Router()

    @router.get("/boom")
    def boom(request):
        raise RuntimeError("rahasia internal")

    api = NinjaAPI(urls_namespace="test-500")
    errors.register(api)
    api.add_router("", router)
    response = TestClient(api).get("/boom")
    assert_error(response, 500, "server_error")
    assert "rahasia" not in response.content.decode() and "Traceback" not in response.content.decode()
    assert any("API error" in r.message for r in caplog.records)


def test_conflict_shape():
    """A database integrity error answers 409 "conflict"."""
    from django.db import IntegrityError
    from ninja import NinjaAPI, Router
    from ninja.testing import TestClient

    from siaga.api import errors

    router = Router()

    @router.post("/dup")
    def dup(request):
        raise IntegrityError("unique")

    api = NinjaAPI(urls_namespace="test-409")
    errors.register(api)
    api.add_router("", router)
    assert_error(TestClient(api).post("/dup"), 409, "conflict")


def test_pagination(as_role):
    """Lists answer count/limit/offset/items; limit and offset slice; limit is at most 1000."""
    c = as_role("admin")
    body = c.get("/api/v1/tps?limit=2&offset=1").json()
    assert set(body) == {"count", "limit", "offset", "items"}
    assert body["count"] == 3 and body["limit"] == 2 and body["offset"] == 1
    assert [t["code"] for t in body["items"]] == ["T2", "T3"]
    assert c.get("/api/v1/tps").json()["limit"] == 100
    assert c.get("/api/v1/tps?limit=1000").status_code == 200
    assert_error(c.get("/api/v1/tps?limit=1001"), 422, "validation_error")
    assert_error(c.get("/api/v1/tps?offset=-1"), 422, "validation_error")


def test_openapi_lists_routes_and_docs_use_no_cdn(as_role):
    """The OpenAPI JSON lists every route with the bearer scheme; the docs page loads only local assets."""
    c = as_role("partner")
    schema = c.get("/api/v1/openapi.json").json()
    paths = set(schema["paths"])
    for route in ("/api/v1/tps", "/api/v1/tps/{code}", "/api/v1/tps/{code}/category", "/api/v1/districts",
                  "/api/v1/villages", "/api/v1/units", "/api/v1/units/{code}", "/api/v1/personnel",
                  "/api/v1/personnel/{code}", "/api/v1/personnel/{code}/status", "/api/v1/operations",
                  "/api/v1/operations/{operation_id}", "/api/v1/operations/{operation_id}/plans",
                  "/api/v1/plans/{operation_id}/{version}", "/api/v1/audit"):
        assert route in paths, route
    assert "patch" in schema["paths"]["/api/v1/tps/{code}/category"]
    assert any(s.get("scheme") == "bearer" for s in schema["components"]["securitySchemes"].values())
    page = c.get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in page and "cdn" not in page.lower() and "https://" not in page


def test_every_route_is_documented(as_role):
    """Every path in the OpenAPI schema appears in docs/api.md."""
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text()
    schema = as_role("admin").get("/api/v1/openapi.json").json()
    for route, methods in schema["paths"].items():
        for method in methods:
            assert f"`{method.upper()} {route}" in text, (method, route)


def test_oversized_json_body_is_413_with_the_error_shape(as_role):
    """A JSON body above Django's 2.5 MB limit answers 413 in the one error shape, not a 500."""
    body = '{"status": "arrived", "note": "' + "x" * 3_000_000 + '"}'
    response = as_role("planner").post("/api/v1/tps/T1/status", body, content_type="application/json",
                                       HTTP_IDEMPOTENCY_KEY="big-1")
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
