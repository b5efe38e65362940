"""Build the NinjaAPI for /api/v1 and its URL patterns (auth, error shape, login-middleware exemption)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, path

from siaga.api import audit, deployments, errors, escort, forces, imports, operations, regions
from siaga.api.auth import RoleSessionAuth, TokenAuth, docs_guard


def build_api():
    """A fresh NinjaAPI with every router, the token/session auth and the one error shape."""
    from ninja import NinjaAPI

    api = NinjaAPI(
        title="Siaga API", version="1", urls_namespace="api-v1",
        description="Election security data of your area. Auth: session cookie or `Authorization: Bearer <token>`. "
                    "Errors: {\"error\": {\"code\", \"message\", \"details\"}}. See docs/api.md.",
        auth=[TokenAuth(), RoleSessionAuth()],
        openapi_url="/openapi.json", docs_url="/docs", docs_decorator=docs_guard,
    )
    errors.register(api)
    for router in (regions.router, forces.router, deployments.router, audit.router, imports.router):
        api.add_router("", router)
    api.add_router("", escort.router)
    api.add_router("", operations.router)
    return api


def api_urls(api=None):
    """(patterns, app_name, namespace) of the API; ``include(api_urls()[:2], namespace=...)``: every view shaped (405) and exempt from the login redirect
    (the API answers 401 JSON itself), plus a JSON 404 for unknown paths."""
    api = api or build_api()
    patterns, app_name, namespace = api.urls
    wrapped = []
    for pattern in patterns:
        if not isinstance(pattern, URLPattern):  # ninja 1.x yields flat patterns; refuse anything else
            raise TypeError(f"unexpected URL entry from ninja: {pattern!r}")
        view = login_not_required(errors.shaped(pattern.callback))
        wrapped.append(URLPattern(pattern.pattern, view, pattern.default_args, pattern.name))
    wrapped.append(path("<path:rest>", login_not_required(errors.not_found_view), name="unknown"))
    return wrapped, app_name, namespace
