"""Browser test support: one headless Debian Chromium per session (fixtures registered in tests/conftest.py).

Locally the tests skip with a clear message when Chromium is absent; with CI set they fail instead, because
CI installs it (.ci/run). Screenshots go to $SIAGA_SCREENSHOTS or var/screenshots/.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("SIAGA_CHROMIUM", "/usr/bin/chromium")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


def _chromium_or_skip() -> str:
    if Path(CHROMIUM).exists() or shutil.which(CHROMIUM):
        return CHROMIUM
    message = f"Chromium not found at {CHROMIUM} (install Debian's chromium: apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(message + "; CI must run the browser tests")
    pytest.skip(message)


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the session."""
    executable = _chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True,
                                             args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield browser
        browser.close()


@pytest.fixture
def screenshots() -> Path:
    folder = Path(os.environ.get("SIAGA_SCREENSHOTS", "var/screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def new_page(chromium, live_server):
    """Open pages on the live server; ``new_page(width, height)``. Records requests to other origins, and fails
    the test if Chromium reports a Content-Security-Policy violation on any page (the CSP broke the app)."""
    contexts = []
    violations: list[str] = []

    def make(width: int = 1280, height: int = 860):
        context = chromium.new_context(viewport={"width": width, "height": height}, base_url=live_server.url,
                                       accept_downloads=True, locale="id-ID")
        page = context.new_page()
        page.outside_requests = []
        page.on("request", lambda r: None if r.url.startswith(live_server.url) or r.url.startswith("data:")
                else page.outside_requests.append(r.url))
        page.on("console", lambda m: violations.append(f"{page.url}: {m.text}")
                if "Content Security Policy" in m.text else None)
        contexts.append(context)
        return page

    yield make
    for context in contexts:
        context.close()
    assert not violations, "CSP violations: " + "; ".join(violations)


def login(page, username: str, password: str) -> None:
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)


def wait_js(page, script: str, arg=None, timeout: float = 30_000):
    """Wait until ``script`` (a JS function or expression) is truthy in the page; return its value.

    Use it instead of ``page.wait_for_function``: Playwright runs that predicate through eval(), which Siaga's
    Content-Security-Policy (script-src 'self', no 'unsafe-eval') refuses, while ``page.evaluate`` goes through
    the DevTools protocol, which the CSP does not govern. Locator expectations (``expect``) need no eval either.
    """
    deadline = time.monotonic() + timeout / 1000
    while True:
        value = page.evaluate(script, arg)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout / 1000:.0f} s: {script}")
        page.wait_for_timeout(100)
