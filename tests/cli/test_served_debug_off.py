"""Served Siaga shows no debug pages unless SIAGA_DEBUG=1 asks for them (issue 10: a 404 listed every URL pattern
and a 500 showed the settings, DATABASE_URL with its password, under `siaga serve`)."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from benchmarks._server import Server

PASSWORD = "s3cret-pw-ZZ"
DEAD_DB = f"postgres://postgres:{PASSWORD}@127.0.0.1:1/nothing"  # nothing listens on port 1: every query fails


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    env = {"DATABASE_URL": DEAD_DB, "SIAGA_WARMUP": "0", "SIAGA_DATA_DIR": str(tmp_path_factory.mktemp("data"))}
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("SIAGA_DEBUG", raising=False)  # the default: nobody asked for debug pages
        server = Server(env=env, workers=1, threads=2).start()
        yield server
        server.stop()


def _get(opener, url: str) -> tuple[int, str]:
    try:
        with opener.open(url, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_404_lists_no_url_patterns(served):
    status, body = _get(urllib.request.build_opener(), f"{served.url}/tidak-ada/")
    assert status == 404
    assert "URLconf" not in body and "urlpatterns" not in body and "api/v1/" not in body


def test_500_shows_no_settings_and_no_password(served):
    """A login while the database is down fails with Siaga's 500 page, never the settings or the password."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    status, page = _get(opener, f"{served.url}/login/")
    assert status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": "x", "password": "y"}).encode()
    request = urllib.request.Request(f"{served.url}/login/", data=data, headers={"Referer": f"{served.url}/login/"})
    try:
        with opener.open(request, timeout=60) as response:
            status, body = response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        status, body = exc.code, exc.read().decode()
    assert status == 500
    assert PASSWORD not in body and "DATABASE_URL" not in body and "Traceback" not in body
    assert "SECRET_KEY" not in body and "settings" not in body.lower().replace("pengaturan", "")
