"""The phone page /lapangan/: who may open it, which TPS it offers, its testable controls and its script; the
user command that ties a login to a person; the demo's field officer."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from siaga.accounts.models import Profile
from tests.operations.conftest import post_status, wib

pytestmark = pytest.mark.django_db


def test_field_officer_sees_its_post_tps(as_role):
    """The field officer's page lists exactly its post's TPS with a next-step button, a correction control, the
    incident form and the queue indicator."""
    page = as_role("field_officer").get("/lapangan/")
    assert page.status_code == 200
    html = page.content.decode()
    for testid in ("step-next-T1", "step-correct-T1", "queue-indicator", "incident-submit", "nav-field"):
        assert f'data-testid="{testid}"' in html, testid
    assert 'data-testid="tps-T1B"' not in html and 'data-testid="tps-T2"' not in html
    assert "siaga/field.js" in html and 'id="field-config"' in html


def test_page_shows_the_current_step(as_role):
    """A reported step appears on the page (and in the script's data) after a reload."""
    post_status(as_role("field_officer"), "T1", "opened", wib("07:00"))
    html = as_role("field_officer").get("/lapangan/").content.decode()
    assert "TPS dibuka" in html and '"step": "opened"' in html and '"next": "voting"' in html


def test_commander_searches_its_area(as_role):
    """Commanders get a search; results stay inside their area."""
    c = as_role("commander")
    assert 'data-testid="field-empty"' in c.get("/lapangan/").content.decode()
    html = c.get("/lapangan/?q=T").content.decode()
    assert 'data-testid="tps-T1"' in html and 'data-testid="tps-T1B"' in html and 'data-testid="tps-T2"' not in html


def test_partner_refused_anonymous_redirected(as_role, client):
    """Partners may not report (403, no menu entry); without a login the page sends to the login page."""
    assert as_role("partner").get("/lapangan/").status_code == 403
    assert 'data-testid="nav-field"' not in as_role("partner").get("/").content.decode()
    response = client.get("/lapangan/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_unlinked_field_officer_told_what_to_do(as_role, world):
    """A field officer login without a person gets no TPS and the command that links it."""
    Profile.objects.filter(user=world.users["field_officer"]).update(personnel=None)
    html = as_role("field_officer").get("/lapangan/").content.decode()
    assert 'data-testid="field-note"' in html and "--personnel" in html


def test_script_is_served(as_role):
    """field.js is served from Siaga's own static files and queues with a client id per report."""
    response = as_role("field_officer").get("/static/siaga/field.js")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    assert "Idempotency-Key" in body and "localStorage" in body and "randomUUID" in body


def test_user_create_with_personnel(world):
    """`siaga user create --personnel NRP` ties the login to the person; an unknown NRP is refused."""
    from django.contrib.auth import get_user_model

    from siaga.cli.main import app

    runner = CliRunner()
    ok = runner.invoke(app, ["user", "create", "andi", "--role", "field_officer", "--unit", "POLSEK-1",
                             "--personnel", "11111111", "--password", "rahasia-panjang-1"])
    assert ok.exit_code == 0, ok.output
    assert get_user_model().objects.get(username="andi").siaga_profile.personnel.code == "11111111"
    bad = runner.invoke(app, ["user", "create", "budi", "--role", "field_officer", "--unit", "POLSEK-1",
                              "--personnel", "00000000"])
    assert bad.exit_code != 0 and not get_user_model().objects.filter(username="budi").exists()


def test_demo_field_officer_is_a_posted_person(world):
    """The demo's field officer is a Polsek Polri standing at a post of the latest plan."""
    from siaga.cli.demo import demo_field_person

    person, post = demo_field_person(world.op_a)
    assert person.code in post["personnel"] and person.unit.level == "polsek"
