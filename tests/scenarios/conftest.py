"""Shared fixtures: each shipped scenario is built once per test session (they are deterministic)."""

from __future__ import annotations

import pytest

from siaga.scenarios import load_scenario


@pytest.fixture(scope="session")
def kediri_kota():
    return load_scenario("kediri-kota-pilkada-2024")


@pytest.fixture(scope="session")
def kediri_pilkades():
    return load_scenario("kediri-pilkades-2022")


@pytest.fixture(scope="session")
def pekalongan():
    return load_scenario("pekalongan-pilkades-2022")
