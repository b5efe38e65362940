"""Behind an HTTPS reverse proxy a login works (issue 10: it got a CSRF 403), and HSTS is sent.

The settings are read at start-up, so each case runs a fresh Django process with the environment it names."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent('''
    import django, os, re
    django.setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    from siaga.accounts.services import user_create
    user_create(username="budi", role="admin", actor="test", password="a-long-password-1")
    from django.test import Client
    c = Client(enforce_csrf_checks=True, HTTP_HOST="siaga.example.id")
    proxy = {"HTTP_X_FORWARDED_PROTO": "https"}
    page = c.get("/login/", **proxy)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    r = c.post("/login/", {"username": "budi", "password": "a-long-password-1", "csrfmiddlewaretoken": token},
               HTTP_ORIGIN="https://siaga.example.id", HTTP_REFERER="https://siaga.example.id/login/", **proxy)
    print("STATUS", r.status_code, "HSTS", r.get("Strict-Transport-Security", "-"),
          "SECURE", c.cookies["sessionid"]["secure"] if "sessionid" in c.cookies else "-")
''')


def _run(tmp_path, **extra: str) -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "siaga.settings", "SIAGA_DATA_DIR": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3", "SIAGA_ALLOWED_HOSTS": "siaga.example.id", **extra}
    for name in ("SIAGA_HTTPS_PROXY", "SIAGA_TRUSTED_ORIGINS", "SIAGA_ENV"):
        if name not in extra:
            env.pop(name, None)
    out = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout.strip().splitlines()[-1]


@pytest.mark.slow
def test_login_through_an_https_proxy(tmp_path):
    line = _run(tmp_path, SIAGA_HTTPS_PROXY="true", SIAGA_TRUSTED_ORIGINS="https://siaga.example.id")
    assert line.startswith("STATUS 302"), line  # logged in, sent on
    assert "HSTS max-age=31536000" in line and line.endswith("SECURE True"), line


@pytest.mark.slow
def test_without_the_proxy_settings_the_login_is_refused(tmp_path):
    assert _run(tmp_path).startswith("STATUS 403")
