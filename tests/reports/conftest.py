"""A small hand-made plan dict that follows docs/plan-json.md (synthetic, two Polsek, one shortfall)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

PLAN_FILE = Path(__file__).parent / "data" / "plan_small.json"


@pytest.fixture(scope="session")
def _plan_master() -> dict:
    """The plan as stored, read once per session."""
    return json.loads(PLAN_FILE.read_text(encoding="utf-8"))


@pytest.fixture
def plan(_plan_master) -> dict:
    """A fresh deep copy of the small plan, safe to modify."""
    return copy.deepcopy(_plan_master)
