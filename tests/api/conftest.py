"""API test fixtures: the two-Polres world and a logged-in client per role."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.accounts.world import build_world


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def as_role(world):
    """as_role("commander") -> a test client logged in (session) as that world user."""

    def make(role: str) -> Client:
        client = Client()
        client.force_login(world.users[role])
        return client

    return make


def assert_error(response, status: int, code: str) -> dict:
    """The one error shape: {"error": {"code", "message", "details"}} with the expected status and code."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code and body["error"]["message"]
    assert isinstance(body["error"]["details"], list)
    return body["error"]
