"""Shared test set-up.

Database tests carry the ``django_db`` mark; scripts/test.sh runs them on SQLite and again on
PostgreSQL (DATABASE_URL). Tests of the pure layers need no database.
"""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("SIAGA_DATA_DIR", tempfile.mkdtemp(prefix="siaga-test-"))
