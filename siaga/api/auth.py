"""API authentication: a Bearer token (``siaga token create``) or the login session (with CSRF)."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from siaga.accounts.selectors import user_role
from siaga.accounts.services import token_user
from siaga.api.errors import error_response


def _with_role(user):
    """Authenticated users without a role are known but may do nothing: 403, not 401."""
    if user is None:
        return None
    if user_role(user) is None:
        raise HttpError(403, "pengguna belum punya peran")
    return user


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = token_user(token)
        if user is not None:
            request.user = user  # services and scoping read request.user
        return _with_role(user)


class RoleSessionAuth(SessionAuth):
    def __call__(self, request):
        """A request that sends a Bearer token is judged by its token alone: an unknown or revoked token answers
        401, not the session's "CSRF check failed" (403) that would send a field officer looking for the wrong
        fault. A request with no logged-in session answers 401 too; only a logged-in session is checked for CSRF."""
        if request.headers.get("Authorization", "")[:7].lower() == "bearer ":
            return None
        if not request.user.is_authenticated:
            return None  # nobody logged in: 401 JSON, not "CSRF check failed", and the body is never read
        return super().__call__(request)

    def authenticate(self, request, key):
        return _with_role(super().authenticate(request, key))


def authenticated_user(request):
    """The user of a request by session or Bearer token, or None (for views outside ninja's operations)."""
    if request.user.is_authenticated:
        return request.user
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return token_user(header[7:].strip())
    return None


def docs_guard(view):
    """OpenAPI JSON and docs need a login too: 401 JSON for the schema, the login page for the docs page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if authenticated_user(request) is None:
            if request.path.rstrip("/").endswith("/docs"):
                return redirect_to_login(request.get_full_path())
            return error_response(401)
        return view(request, *args, **kwargs)

    return wrapper
