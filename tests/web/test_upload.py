"""The data upload pages (/data/): stage, preview with row errors, save or cancel; roles, owners, area, size."""

from __future__ import annotations

import re

import pytest

from siaga.core.models import AuditEvent
from siaga.dataio import staging
from siaga.formats import HEADERS
from siaga.regions.models import TPS
from tests.api import conftest as api_fixtures
from tests.api.upload_files import data_dir, tps_row, write_csv, write_xlsx  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("data_dir")]

# The small two-Polres world of the API tests (fast; two planners), not this folder's Kediri scenario.
world = api_fixtures.world
as_role = api_fixtures.as_role

V1 = "35.71.01.1001"  # planner's area (Polres A)
V3 = "35.06.01.2001"  # Polres B


def upload(client, path, kind="tps"):
    with open(path, "rb") as f:
        return client.post("/data/", {"kind": kind, "file": f})


def token_of(response) -> str:
    assert response.status_code == 302, response.content[:2000]
    match = re.fullmatch(r"/data/([\w-]+)/", response["Location"])
    assert match, response["Location"]
    return match.group(1)


def ids_in(html: str) -> set[str]:
    return set(re.findall(r'data-testid="([\w-]+)"', html))


@pytest.mark.parametrize("role", ["admin", "planner"])
def test_form_lists_kinds_columns_and_templates(as_role, role):
    """Admins and planners get the form, the expected columns per kind, template links and the nav link."""
    html = as_role(role).get("/data/").content.decode()
    assert {"upload-form", "columns-tps", "columns-personnel"} <= ids_in(html)
    assert 'href="/data/templat/units.csv"' in html and 'href="/data/"' in html
    assert "<code>tps_id*</code>" in html and "<code>category</code>" in html


def test_template_csv_is_the_header_row(as_role):
    """The template of each kind is an empty CSV whose only row is the header of docs/data-formats.md."""
    response = as_role("planner").get("/data/templat/personnel.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.content.decode().splitlines() == [",".join(HEADERS["personnel"])]
    assert as_role("planner").get("/data/templat/plans.csv").status_code == 404


@pytest.mark.parametrize("role", ["commander", "field_officer", "partner"])
def test_other_roles_get_403_and_no_nav_link(as_role, world, tmp_path, role):
    """Commanders, field officers and partners get 403 on every upload page and see no 'Data' link."""
    client = as_role(role)
    assert 'href="/data/"' not in client.get("/").content.decode()
    assert client.get("/data/").status_code == 403
    assert upload(client, write_csv(tmp_path / "tps.csv", [tps_row("T-R", V1, 2)])).status_code == 403
    assert client.get("/data/templat/tps.csv").status_code == 403
    for url in ("/data/abcdefghijklmnopqrstuvwx/simpan/", "/data/abcdefghijklmnopqrstuvwx/batal/"):
        assert client.post(url).status_code == 403
    assert not staging.uploads_dir().exists()


def test_clean_csv_is_previewed_then_saved(as_role, world, tmp_path):
    """A clean file shows the preview table and 'Simpan'; saving stores the rows, audits and removes the file."""
    client = as_role("planner")
    token = token_of(upload(client, write_csv(tmp_path / "tps.csv", [tps_row("T-W1", V1, 2), tps_row("T-W2", V1, 3)])))
    html = client.get(f"/data/{token}/").content.decode()
    assert {"preview-table", "confirm", "cancel", "counts-table"} <= ids_in(html)
    assert "problems-table" not in ids_in(html) and "T-W2" in html
    assert not TPS.objects.filter(code__startswith="T-W").exists()
    assert client.get("/data/").content.decode().count(f"/data/{token}/") == 1  # listed as waiting

    response = client.post(f"/data/{token}/simpan/")
    assert response.status_code == 302 and response["Location"] == "/data/"
    assert TPS.objects.filter(code__startswith="T-W").count() == 2
    event = AuditEvent.objects.get(action="import")
    assert event.user == world.users["planner"] and event.details["kind"] == "tps"
    assert not (staging.uploads_dir() / token).exists()
    assert client.get(f"/data/{token}/").status_code == 404


def test_errors_are_shown_per_row_and_save_is_refused(as_role, world, tmp_path):
    """A file with errors shows row/column/value/reason, no 'Simpan'; a forced save answers 409, writes nothing."""
    client = as_role("admin")
    path = write_csv(tmp_path / "tps.csv", [tps_row("T-E1", V1, 2, lon=300), tps_row("T-E2", V1, 0)])
    token = token_of(upload(client, path))
    html = client.get(f"/data/{token}/").content.decode()
    assert "problems-table" in ids_in(html) and "confirm" not in ids_in(html)
    assert re.search(r"<td class=\"n\">2</td><td>lon</td>\s*<td>300</td>", html)
    assert re.search(r"<td class=\"n\">3</td><td>number</td>\s*<td>0</td>", html)
    response = client.post(f"/data/{token}/simpan/")
    assert response.status_code == 409 and "problems-table" in ids_in(response.content.decode())
    assert not TPS.objects.filter(code__startswith="T-E").exists()
    assert not AuditEvent.objects.filter(action="import").exists()


def test_xlsx_file_is_previewed_and_saved(as_role, world, tmp_path):
    """An XLSX workbook uploads like a CSV: preview, then saved."""
    client = as_role("planner")
    token = token_of(upload(client, write_xlsx(tmp_path / "TPS baru.xlsx", [tps_row("T-X", V1, 5)])))
    html = client.get(f"/data/{token}/").content.decode()
    assert "TPS baru.xlsx (lembar tps)" in html and "confirm" in ids_in(html)
    assert client.post(f"/data/{token}/simpan/").status_code == 302
    assert TPS.objects.get(code="T-X").number == 5


def test_another_user_cannot_open_save_or_cancel(as_role, world, tmp_path):
    """Someone else's upload answers 404 on preview, save and cancel (also for an admin), and stays staged."""
    token = token_of(upload(as_role("planner"), write_csv(tmp_path / "tps.csv", [tps_row("T-M", V1, 2)])))
    for other in ("planner_b", "admin"):
        client = as_role(other)
        assert client.get(f"/data/{token}/").status_code == 404
        assert client.post(f"/data/{token}/simpan/").status_code == 404
        assert client.post(f"/data/{token}/batal/").status_code == 404
        assert f"/data/{token}/" not in client.get("/data/").content.decode()
    assert not TPS.objects.filter(code="T-M").exists() and (staging.uploads_dir() / token).is_dir()


def test_planner_rows_outside_area_block_the_save(as_role, world, tmp_path):
    """A planner's TPS in another Polres' district is a row error 'di luar wilayah Anda'; no 'Simpan'."""
    client = as_role("planner")
    token = token_of(upload(client, write_csv(tmp_path / "tps.csv", [tps_row("T-I", V1, 2), tps_row("T-O", V3, 2)])))
    html = client.get(f"/data/{token}/").content.decode()
    assert "di luar wilayah Anda" in html and "confirm" not in ids_in(html)
    assert re.search(r"<td class=\"n\">3</td><td>village_code</td>", html)
    assert client.post(f"/data/{token}/simpan/").status_code == 409
    assert not TPS.objects.filter(code__in=["T-I", "T-O"]).exists()
    admin = as_role("admin")
    token = token_of(upload(admin, write_csv(tmp_path / "tps.csv", [tps_row("T-O", V3, 2)])))
    assert "confirm" in ids_in(admin.get(f"/data/{token}/").content.decode())  # admins have no area limit


def test_cancel_removes_the_staged_file(as_role, world, tmp_path):
    """'Batal' deletes the staged file and its preview; the token is gone."""
    client = as_role("planner")
    token = token_of(upload(client, write_csv(tmp_path / "tps.csv", [tps_row("T-K", V1, 2)])))
    assert (staging.uploads_dir() / token).is_dir()
    response = client.post(f"/data/{token}/batal/")
    assert response.status_code == 302 and not (staging.uploads_dir() / token).exists()
    assert client.get(f"/data/{token}/").status_code == 404


def test_oversize_and_missing_files_are_refused_on_the_form(as_role, world, tmp_path, monkeypatch):
    """Too big a file, or none, re-shows the form (400) with a clear message; nothing is staged."""
    client = as_role("planner")
    monkeypatch.setattr(staging, "MAX_UPLOAD_BYTES", 50)
    response = upload(client, write_csv(tmp_path / "tps.csv", [tps_row("T-B", V1, 2)]))
    assert response.status_code == 400 and "terlalu besar" in response.content.decode()
    assert "upload-error" in ids_in(response.content.decode())
    response = client.post("/data/", {"kind": "tps"})
    assert response.status_code == 400 and "Pilih berkas" in response.content.decode()
    assert not any(staging.uploads_dir().iterdir())
