"""The /pengawalan/ page: every role opens it, late and missing legs are red, forms only for those who may
check in, the form's hand-over is stored once, other areas are 404 and read-only roles 403."""

from __future__ import annotations

import re
import uuid

import pytest
from django.test import Client

from siaga.escort.models import Checkin, Leg
from siaga.escort.services import leg_mark_missing
from tests.escort.conftest import leg

pytestmark = pytest.mark.django_db
PAGE = "/pengawalan/"
ROLES = ("admin", "planner", "commander", "field_officer", "partner")


def _row(html: str, leg_id: int) -> str:
    match = re.search(rf'<tr data-testid="escort-leg-{leg_id}"[^>]*>.*?</tr>', html, re.S)
    assert match, leg_id
    return match.group(0)


@pytest.mark.parametrize("role", ROLES)
def test_every_role_opens_the_page(legs_a, as_role, role):
    """Each role gets 200 and the legs of its area; only roles that may check in get the hand-over form."""
    html = as_role(role).get(PAGE, {"operation": legs_a.op_a.pk}).content.decode()
    rows = set(re.findall(r'data-testid="escort-leg-(\d+)"', html))
    expected = Leg.objects.filter(operation=legs_a.op_a)
    if role in ("commander", "field_officer"):
        expected = expected.filter(district__code="35.71.01")
    assert rows == {str(pk) for pk in expected.values_list("pk", flat=True)}
    assert ('data-testid="escort-checkin-' in html) == (role != "partner")
    assert ('data-testid="escort-missing-submit"' in html) == (role in ("admin", "planner", "commander"))
    assert "Pengawalan" in html and 'href="/pengawalan/"' in html


def test_anonymous_goes_to_login(legs_a):
    """Without a login the page redirects to the login page."""
    response = Client().get(PAGE)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_late_and_missing_rows_are_red(legs_a, as_role):
    """At H-3 08:30 the convoys are marked late; a missing leg carries the missing class and its note."""
    w = legs_a
    leg_mark_missing(leg_id=leg(w.op_a, "1:35.71.02").pk, note="tidak ada kabar", actor="test")
    html = as_role("planner").get(PAGE, {"operation": w.op_a.pk, "at": "2024-11-24T08:30"}).content.decode()
    late = _row(html, leg(w.op_a, "1:35.71.01").pk)
    assert 'class="late"' in late and "TERLAMBAT: belum berangkat" in late
    missing = _row(html, leg(w.op_a, "1:35.71.02").pk)
    assert 'class="missing"' in missing and "tidak ada kabar" in missing
    assert 'class="late"' not in _row(html, leg(w.op_a, "3:T1").pk)
    only_late = as_role("planner").get(PAGE, {"operation": w.op_a.pk, "at": "2024-11-24T08:30", "late": "1"})
    assert len(re.findall(r'data-testid="escort-leg-', only_late.content.decode())) == 1


def test_form_checkin_is_stored_once(legs_a, as_role):
    """A field officer's hand-over from the form is stored; a double submit of the same form stores nothing more."""
    convoy = leg(legs_a.op_a, "1:35.71.01")
    client = as_role("field_officer")
    form = {"point": "from", "client_id": uuid.uuid4().hex, "seal_numbers": "KPU-1, KPU-2\nKPU-3", "box_count": "3",
            "at": "2024-11-24T08:05", "next": PAGE}
    for _ in range(2):
        response = client.post(f"{PAGE}kaki/{convoy.pk}/serah-terima/", form)
        assert response.status_code == 302 and response["Location"] == PAGE
    stored = Checkin.objects.get(leg=convoy)
    assert stored.seal_numbers == ["KPU-1", "KPU-2", "KPU-3"] and stored.box_count == 3 and stored.actor == "field"
    page = client.get(PAGE, {"operation": legs_a.op_a.pk}).content.decode()
    assert "sudah tercatat sebelumnya" in page and "KPU-3" in _row(page, convoy.pk)


def test_form_errors_are_shown_and_nothing_stored(legs_a, as_role):
    """Empty seals or a non-number box count come back as a message naming the problem."""
    convoy = leg(legs_a.op_a, "1:35.71.01")
    client = as_role("commander")
    base = {"point": "from", "client_id": "f1", "seal_numbers": " ", "box_count": "2", "next": PAGE}
    response = client.post(f"{PAGE}kaki/{convoy.pk}/serah-terima/", base, follow=True)
    assert "nomor segel" in response.content.decode()
    response = client.post(f"{PAGE}kaki/{convoy.pk}/serah-terima/", {**base, "seal_numbers": "A-1", "box_count": "dua"},
                           follow=True)
    assert "Jumlah kotak harus bilangan bulat" in response.content.decode()
    assert not Checkin.objects.exists()


def test_writes_refuse_other_areas_and_read_only_roles(legs_a, as_role):
    """Another district's leg is 404 for a commander; partners get 403 on check-in, field officers on missing."""
    w = legs_a
    own, other = leg(w.op_a, "1:35.71.01"), leg(w.op_a, "1:35.71.02")
    form = {"point": "from", "client_id": "x", "seal_numbers": "A-1", "box_count": "1"}
    assert as_role("commander").post(f"{PAGE}kaki/{other.pk}/serah-terima/", form).status_code == 404
    assert as_role("partner").post(f"{PAGE}kaki/{own.pk}/serah-terima/", form).status_code == 403
    assert as_role("field_officer").post(f"{PAGE}kaki/{own.pk}/hilang/", {"note": "x"}).status_code == 403
    assert as_role("commander").post(f"{PAGE}kaki/{other.pk}/hilang/", {"note": "x"}).status_code == 404
    assert as_role("commander").get(f"{PAGE}kaki/{own.pk}/hilang/").status_code == 405
    response = as_role("commander").post(f"{PAGE}kaki/{own.pk}/hilang/", {"note": "HT mati", "next": PAGE})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.state == Leg.State.MISSING and own.missing_note == "HT mati"
    assert not Checkin.objects.exists()


def test_operation_without_legs_says_how_to_make_them(legs_a, as_role):
    """An operation whose legs were never generated shows the command that generates them."""
    html = as_role("planner_b").get(PAGE).content.decode()
    empty = re.search(r'<p data-testid="escort-empty">(.*?)</p>', html, re.S)
    assert empty and " ".join(empty.group(1).split()).endswith(f"siaga escort plan --operation {legs_a.op_b.pk}")
    assert 'data-testid="escort-legs"' not in html
