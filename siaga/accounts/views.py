"""The login page: Django's LoginView with an Indonesian form that explains a lock-out."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView

from siaga.accounts.selectors import LOCKOUT_FAILURES, LOCKOUT_WINDOW, login_locked

LOCKED_MESSAGE = (f"Akun ini dikunci sementara karena {LOCKOUT_FAILURES} kali gagal masuk dalam "
                  f"{int(LOCKOUT_WINDOW.total_seconds() // 60)} menit. Coba lagi nanti atau hubungi administrator.")


class SiagaAuthenticationForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Nama pengguna atau kata sandi salah.",
        "inactive": "Akun ini tidak aktif.",
        "locked": LOCKED_MESSAGE,
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Nama pengguna"
        self.fields["password"].label = "Kata sandi"

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            username = self.cleaned_data.get("username")
            if username and login_locked(username):
                raise forms.ValidationError(self.error_messages["locked"], code="locked") from None
            raise


class SiagaLoginView(LoginView):
    """Login page (exempt from LoginRequiredMiddleware, as Django's LoginView is)."""

    template_name = "registration/login.html"
    authentication_form = SiagaAuthenticationForm
    redirect_authenticated_user = True
