"""Login page, lock-out by username and address (django-axes) after 5 failures in 15 minutes, unlock, and the
login-required middleware."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.utils import timezone

from siaga.accounts.selectors import lockouts_current
from siaga.accounts.services import user_create, user_unlock
from siaga.core.models import AuditEvent
from tests.db.factories import UnitFactory

pytestmark = pytest.mark.django_db

PASSWORD = "kata-sandi-uji-123"
ATTACKER = "203.0.113.9"
OFFICER = "198.51.100.7"


@pytest.fixture
def user():
    return user_create(username="komandan", role="commander", unit=UnitFactory(), password=PASSWORD, actor="test")[0]


def _post(client, password, ip="127.0.0.1", username="komandan"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def _locked(response) -> bool:
    return response.status_code == 429 and "dikunci sementara" in response.content.decode()


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
    """The right password logs in; the stored hash is argon2; the login is logged for the admin."""
    assert user.password.startswith("argon2")
    response = _post(client, PASSWORD)
    assert response.status_code == 302
    assert AccessLog.objects.filter(username="komandan").count() == 1


def test_wrong_password_message(client, user):
    """A wrong password shows a plain Indonesian message and is recorded with its address."""
    response = _post(client, "salah-salah-salah", ip=ATTACKER)
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah." in response.content.decode()
    assert AccessFailureLog.objects.filter(username="komandan", ip_address=ATTACKER).count() == 1


def test_lockout_after_five_failures_from_one_address(client, user):
    """After 5 failures from one address even the right password is refused from there, with the lock-out message
    (429); tries while locked do not lengthen the lock."""
    for _ in range(4):
        assert _post(client, "salah-salah-salah", ip=ATTACKER).status_code == 200
    assert lockouts_current() == []
    assert _locked(_post(client, "salah-salah-salah", ip=ATTACKER))
    assert _locked(_post(client, PASSWORD, ip=ATTACKER))
    assert [(u, ip) for u, ip, *_ in lockouts_current()] == [("komandan", ATTACKER)]


def test_lockout_is_no_weapon_against_the_owner(client, user):
    """The failures of an attacker's address do not lock the officer out from their own phone: the lock is per
    username and address together (by username alone, anyone could lock any account on voting day)."""
    for _ in range(6):
        _post(client, "salah-salah-salah", ip=ATTACKER)
    assert _locked(_post(client, PASSWORD, ip=ATTACKER))
    assert _post(client, PASSWORD, ip=OFFICER).status_code == 302


def test_lockout_ends_after_the_cool_off(client, user):
    """A lock ends 15 minutes after the last failure."""
    for _ in range(5):
        _post(client, "salah-salah-salah", ip=ATTACKER)
    assert _locked(_post(client, PASSWORD, ip=ATTACKER))
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert _post(client, PASSWORD, ip=ATTACKER).status_code == 302


def test_success_resets_the_count(client, user):
    """Four failures, a success, then four more failures do not lock."""
    for _ in range(4):
        _post(client, "salah-salah-salah")
    assert _post(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        _post(client, "salah-salah-salah")
    assert lockouts_current() == []


def test_unlock_clears_the_lock_and_is_audited(client, user):
    """An admin unlocks at once (siaga user unlock); the trail says who."""
    for _ in range(5):
        _post(client, "salah-salah-salah", ip=ATTACKER)
    assert user_unlock(username="komandan", actor="admin-polres") >= 1
    assert lockouts_current() == []
    assert _post(client, PASSWORD, ip=ATTACKER).status_code == 302
    entry = AuditEvent.objects.filter(action="user.unlock").get()
    assert (entry.actor, entry.target) == ("admin-polres", "user:komandan")


def test_admin_sees_the_lock_outs(admin_client, user, client):
    """Lock-outs are visible to admins in the Django admin (Axes: access attempts and failures)."""
    for _ in range(5):
        _post(client, "salah-salah-salah", ip=ATTACKER)
    page = admin_client.get("/admin/axes/accessattempt/")
    assert page.status_code == 200 and "komandan" in page.content.decode() and ATTACKER in page.content.decode()
    assert admin_client.get("/admin/axes/accessfailurelog/").status_code == 200
