"""Small helpers shared by the routers: the authenticated user, and the redaction every GET route declares."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from siaga.accounts.policy import redact, require_personal_access


def user_of(request):
    """The authenticated user (session or token); ninja stores it in request.auth."""
    return getattr(request, "auth", None) or request.user


def redacted(kind: str) -> Callable:
    """Declare the kind of record a GET route hands out; its answer goes through the partner policy of ``kind``
    (``siaga.accounts.policy.redact``): a withheld kind answers 403 to partners before the route runs; a page
    (``{"count", "items", ...}``) is redacted item by item. tests/api hold every GET route to declaring one."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(request, *args: Any, **kwargs: Any) -> Any:
            user = user_of(request)
            require_personal_access(user, kind)
            answer = view(request, *args, **kwargs)
            if isinstance(answer, dict) and "items" in answer and "count" in answer:
                return {**answer, "items": redact(user, kind, answer["items"])}
            return redact(user, kind, answer)

        # ninja reads the route's parameters from the signature; resolve the view's (string) annotations in the
        # view's own module, since the wrapper lives here
        wrapper.__signature__ = inspect.signature(view, eval_str=True)  # type: ignore[attr-defined]
        wrapper.siaga_redaction = kind  # type: ignore[attr-defined]
        return wrapper

    return decorate
