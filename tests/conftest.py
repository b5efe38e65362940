"""Shared test set-up.

Database tests carry the ``django_db`` mark; scripts/test.sh runs them on SQLite and again on
PostgreSQL (DATABASE_URL). Tests of the pure layers need no database.
"""

from __future__ import annotations

import os
import tempfile

import pytest

os.environ.setdefault("SIAGA_DATA_DIR", tempfile.mkdtemp(prefix="siaga-test-"))

# One Playwright/Chromium for the whole session, for tests/browser and the phone-page test in tests/operations.
from tests.browser.support import chromium, new_page, screenshots  # noqa: E402, F401


@pytest.fixture(autouse=True)
def _hot_path_caches_cleared():
    """Each test starts without the per-process caches of the status POST (tokens, TPS rows, operations): test
    databases are rolled back and reuse ids, which a cache would otherwise carry from one test into the next. The
    live-stream counters start empty too."""
    from django.conf import settings

    if not settings.configured:
        yield
        return
    from siaga.accounts.services import token_cache_clear
    from siaga.operations.context import context_cache_clear
    from siaga.web import sse

    token_cache_clear()
    context_cache_clear()
    sse.SLOTS = sse.default_slots()  # a stream a test left open must not count against the next test's caps
    yield
    token_cache_clear()
    context_cache_clear()
