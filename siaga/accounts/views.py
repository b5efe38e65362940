"""The login page: Django's LoginView with an Indonesian form, and the page a lock-out answers (django-axes)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.shortcuts import render

LOCKED_MESSAGE = (f"Akun ini dikunci sementara dari alamat ini karena {settings.AXES_FAILURE_LIMIT} kali gagal "
                  f"masuk dalam {int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)} menit. Coba lagi nanti, "
                  "atau minta administrator membukanya (siaga user unlock).")


class SiagaAuthenticationForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Nama pengguna atau kata sandi salah.",
        "inactive": "Akun ini tidak aktif.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Nama pengguna"
        self.fields["password"].label = "Kata sandi"


class SiagaLoginView(LoginView):
    """Login page (exempt from LoginRequiredMiddleware, as Django's LoginView is)."""

    template_name = "registration/login.html"
    authentication_form = SiagaAuthenticationForm
    redirect_authenticated_user = True


def locked_out(request, original_response=None, credentials=None):
    """What axes answers while a username is locked for this address: the login page saying so, status 429."""
    form = SiagaAuthenticationForm(request, initial={"username": (credentials or {}).get("username", "")})
    return render(request, "registration/login.html", {"form": form, "locked_message": LOCKED_MESSAGE,
                                                       "next": request.POST.get("next", "")}, status=429)
