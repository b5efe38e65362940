"""The web's JSON endpoints (map data, workspace data, the board's snapshot and stream) answer like the API.

``json_endpoint`` replaces ``reader`` on them: no session (or an expired one) answers 401 JSON instead of the
login redirect a page gets, a missing or foreign object 404 JSON, a refused role 403 JSON, bad input 400 JSON
— always the one error shape of ``siaga.core.errors``. So a page's script can tell "log in again" from "not
found" instead of parsing an HTML login form."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import Http404

from siaga.accounts.policy import require_reader
from siaga.core.errors import error_response


def _message(exc: Exception) -> str | None:
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    return str(exc.args[0]) if exc.args and exc.args[0] else None


def json_endpoint(view):
    """A JSON view: login and role checked here (401/403 JSON); Http404, PermissionDenied and bad input become
    JSON errors in the shared shape."""

    @login_not_required  # this view answers 401 itself rather than redirecting to the login page
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return error_response(401, "Sesi berakhir atau belum masuk; masuk lagi.")
        try:
            request.siaga_role = require_reader(request.user)
            return view(request, *args, **kwargs)
        except Http404 as exc:
            return error_response(404, _message(exc))
        except PermissionDenied as exc:
            return error_response(403, _message(exc))
        except (ValidationError, BadRequest, ValueError) as exc:
            return error_response(400, _message(exc))

    return wrapped
