"""One error shape for every API error: {"error": {"code", "message", "details"}}."""

from __future__ import annotations

import logging
from functools import wraps

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404, HttpResponseNotAllowed
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

logger = logging.getLogger("siaga.api")

from siaga.core.errors import CODES, MESSAGES, error_body, error_response  # noqa: E402,F401 - the one home


def _clean_validation(errors: list[dict]) -> list[dict]:
    """Pydantic errors without the parts that do not serialise (ctx objects, input echoes)."""
    return [{"loc": [str(x) for x in e.get("loc", ())], "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
            for e in errors]


def _first(exc: Exception, fallback: str) -> str:
    text = str(exc.args[0]) if exc.args and exc.args[0] else ""
    return text or fallback


def register(api) -> None:
    """Register the handlers on a NinjaAPI; more specific classes win by MRO."""

    def on_validation(request, exc: NinjaValidationError):
        return error_response(422, details=_clean_validation(exc.errors))

    def on_auth(request, exc: AuthenticationError):
        return error_response(401)

    def on_http(request, exc: HttpError):
        status = exc.status_code
        return error_response(status, message=str(exc) if status != 500 else None)

    def on_404(request, exc: Http404):
        return error_response(404, message=_first(exc, MESSAGES[404]))

    def on_403(request, exc: PermissionDenied):
        return error_response(403, message=_first(exc, MESSAGES[403]))

    def on_django_validation(request, exc: DjangoValidationError):
        messages = exc.messages
        return error_response(400, message="; ".join(messages) or MESSAGES[400], details=messages)

    def on_integrity(request, exc: IntegrityError):
        logger.warning("integrity error on %s %s: %s", request.method, request.path, exc)
        return error_response(409)

    def on_data(request, exc: DataError):
        """Values the database cannot hold (PostgreSQL: NUL characters in text, numbers out of range)."""
        logger.warning("data error on %s %s: %s", request.method, request.path, exc)
        return error_response(400, message="Nilai yang dikirim tidak dapat diproses basis data "
                                           "(mis. karakter NUL atau angka di luar batas).")

    def on_too_big(request, exc: RequestDataTooBig):
        return error_response(413)

    def on_any(request, exc: Exception):
        logger.exception("API error on %s %s", request.method, request.path)
        return error_response(500)

    api.add_exception_handler(NinjaValidationError, on_validation)
    api.add_exception_handler(AuthenticationError, on_auth)
    api.add_exception_handler(HttpError, on_http)
    api.add_exception_handler(Http404, on_404)
    api.add_exception_handler(PermissionDenied, on_403)
    api.add_exception_handler(DjangoValidationError, on_django_validation)
    api.add_exception_handler(IntegrityError, on_integrity)
    api.add_exception_handler(DataError, on_data)
    api.add_exception_handler(RequestDataTooBig, on_too_big)
    api.add_exception_handler(Exception, on_any)


def shaped(view):
    """Wrap a URL view so a 405 from ninja's dispatcher also has the error shape (Allow header kept)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            shaped_response = error_response(405, details=[{"allow": response["Allow"]}])
            shaped_response["Allow"] = response["Allow"]
            return shaped_response
        return response

    return wrapper


def not_found_view(request, rest: str = ""):
    """Any path under /api/v1/ that is no route."""
    return error_response(404, message=f"Rute API tidak dikenal: /{request.path.lstrip('/')}")
