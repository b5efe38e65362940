"""Lock-out after repeated password failures, by django-axes: per username *and* client address together.

A lock by username alone let anyone lock any account (a field officer's, on voting day) by typing wrong passwords
for it. Now 5 failures within 15 minutes lock that username for that address only: the officer on their own phone
still gets in, and the attacker's address is refused for that name. Every password check that carries a request
(login page, admin login) goes through axes; ``siaga user unlock`` and the admin's "Access attempts" clear a lock.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend

from siaga import conf


class LockoutBackend(AxesStandaloneBackend):
    """Axes' check, first in AUTHENTICATION_BACKENDS; Django's ModelBackend checks the password after it.

    A password check without a request (a script calling ``authenticate()`` in-process) comes from no network
    address and is not throttled; axes would refuse it outright."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request) -> str | None:
    """The address a lock counts: REMOTE_ADDR, or behind Siaga's HTTPS proxy (SIAGA_HTTPS_PROXY) the last address
    of X-Forwarded-For, the one the proxy itself appended (earlier entries come from the client and can be forged)."""
    if conf.env_bool("SIAGA_HTTPS_PROXY", False):
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR")
