"""The password backend: Django's ModelBackend with a lock-out after repeated failures.

Every password check (login page, admin login, ``client.login``) goes through ``authenticate()`` and so
through here: attempts are recorded, and a locked username is refused even with the right password.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from siaga.accounts.selectors import login_locked
from siaga.accounts.services import login_attempt_record


def _ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


class LockoutModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        if login_locked(username):
            login_attempt_record(username=username, success=False, blocked=True, ip=_ip(request))
            raise PermissionDenied("akun terkunci sementara")  # authenticate() stops trying other backends
        user = super().authenticate(request, username=username, password=password, **kwargs)
        login_attempt_record(username=username, success=user is not None, ip=_ip(request))
        return user
