"""Login page, lock-out after 5 failures in 15 minutes, and the login-required middleware."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import authenticate
from django.utils import timezone

from siaga.accounts.models import LoginAttempt
from siaga.accounts.selectors import login_locked
from siaga.accounts.services import user_create
from tests.db.factories import UnitFactory

pytestmark = pytest.mark.django_db

PASSWORD = "kata-sandi-uji-123"


@pytest.fixture
def user():
    return user_create(username="komandan", role="commander", unit=UnitFactory(), password=PASSWORD, actor="test")[0]


def _post(client, password):
    return client.post("/login/", {"username": "komandan", "password": password})


def test_login_page_is_public_and_in_indonesian(client):
    """The login page needs no login, is in Indonesian, and loads nothing from outside."""
    response = client.get("/login/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Nama pengguna" in body and "Kata sandi" in body and "Masuk" in body
    assert "http://" not in body and "https://" not in body


def test_pages_need_login(client):
    """A page other than the login page redirects an anonymous visitor to the login page."""
    response = client.get("/api/v1/docs")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_good_password_logs_in_and_argon2_is_used(client, user):
    """The right password logs in; the stored hash is argon2."""
    assert user.password.startswith("argon2")
    response = _post(client, PASSWORD)
    assert response.status_code == 302
    assert LoginAttempt.objects.filter(username="komandan", success=True).count() == 1


def test_wrong_password_message(client, user):
    """A wrong password shows a plain Indonesian message and is recorded."""
    response = _post(client, "salah-salah-salah")
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah." in response.content.decode()
    assert LoginAttempt.objects.filter(username="komandan", success=False).count() == 1


def test_lockout_after_five_failures(client, user):
    """After 5 failures even the right password is refused, with the lock-out message."""
    for _ in range(4):
        _post(client, "salah-salah-salah")
    assert not login_locked("komandan")
    response = _post(client, "salah-salah-salah")
    assert "dikunci sementara" in response.content.decode()
    assert login_locked("komandan")
    response = _post(client, PASSWORD)
    assert response.status_code == 200 and "dikunci sementara" in response.content.decode()
    assert authenticate(username="komandan", password=PASSWORD) is None  # every login path, not just the page
    assert LoginAttempt.objects.filter(username="komandan", blocked=True).count() == 2


def test_lockout_ends_after_window(client, user):
    """Failures older than 15 minutes no longer count."""
    for _ in range(5):
        _post(client, "salah-salah-salah")
    assert login_locked("komandan")
    LoginAttempt.objects.update(at=timezone.now() - timedelta(minutes=16))
    assert not login_locked("komandan")
    assert _post(client, PASSWORD).status_code == 302


def test_success_resets_the_count(client, user):
    """Four failures, a success, then four more failures do not lock."""
    for _ in range(4):
        _post(client, "salah-salah-salah")
    assert _post(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        _post(client, "salah-salah-salah")
    assert not login_locked("komandan")


def test_lockout_is_per_username(client, user):
    """Failures for another username do not lock this one."""
    for _ in range(6):
        client.post("/login/", {"username": "orang-lain", "password": "x" * 12})
    assert login_locked("orang-lain") and not login_locked("komandan")
