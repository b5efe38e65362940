"""The web's JSON endpoints answer in the API's error shape: 401 for no (or an expired) session instead of a
redirect to the login form, 404 for a missing object, 403 for a user without a role, 400 for bad input."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.api.conftest import assert_error

pytestmark = pytest.mark.django_db

JSON_ENDPOINTS = ("/peta/data.json", "/rencana/data.json", "/posko/data.json", "/posko/events")


@pytest.mark.parametrize("url", JSON_ENDPOINTS)
def test_no_session_is_401_json(url, kediri):
    assert_error(Client().get(url), 401, "not_authenticated")


@pytest.mark.parametrize("url", JSON_ENDPOINTS)
def test_missing_operation_is_404_json(url, as_role):
    assert_error(as_role("planner").get(url + "?operation=999999"), 404, "not_found")


@pytest.mark.parametrize("url", JSON_ENDPOINTS)
def test_user_without_role_is_403_json(url, kediri):
    client = Client()
    client.force_login(get_user_model().objects.create_user("tanpa-peran", password="x-very-long-pw-1"))
    assert_error(client.get(url), 403, "forbidden")


def test_bad_input_is_400_json(as_role, kediri):
    assert_error(as_role("planner").get(f"/posko/data.json?operation={kediri.operation.pk}&at=kemarin"), 400,
                 "bad_request")


def test_job_status_is_served_by_the_api_only(as_role):
    """One route for a job's status: the API's (the workspace polls it)."""
    assert as_role("planner").get("/rencana/tugas/1/").status_code == 404
    assert_error(as_role("planner").get("/api/v1/jobs/999999"), 404, "not_found")
