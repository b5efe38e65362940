"""Data uploads through the API (/api/v1/imports): stage, preview, confirm, cancel; roles, owners and area."""

from __future__ import annotations

import os
import time

import pytest

from siaga.core.models import AuditEvent
from siaga.dataio import staging
from siaga.dataio.selectors import known_refs
from siaga.forces.models import Personnel
from siaga.formats import InputError, read_table
from siaga.regions.models import TPS
from siaga.risk.models import IndicatorValue
from siaga.risk.services import catalogue_sync
from tests.api.conftest import assert_error
from tests.api.upload_files import data_dir, tps_row, write_csv, write_xlsx  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("data_dir")]

V1 = "35.71.01.1001"  # village in D1 (Polres A, planner's area)
V3 = "35.06.01.2001"  # village in D3 (Polres B)


def stage(client, path, kind="tps"):
    with open(path, "rb") as f:
        return client.post("/api/v1/imports", {"kind": kind, "file": f})


def staged_folders() -> list[str]:
    root = staging.uploads_dir()
    return sorted(p.name for p in root.iterdir()) if root.is_dir() else []


def test_clean_tps_file_is_previewed_then_confirmed(as_role, world, tmp_path):
    """A clean TPS file is staged (201, preview, counts, nothing written), then confirmed: rows stored, audited."""
    path = write_csv(tmp_path / "tps baru.csv", [tps_row("T-NEW-1", V1, 2), tps_row("T-NEW-2", V1, 3)])
    client = as_role("planner")
    response = stage(client, path)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["clean"] is True and body["problems"] == [] and body["problem_total"] == 0
    assert body["kind"] == "tps" and body["file"] == "tps baru.csv" and body["rows"] == 2
    assert body["counts"]["tps"] == {"created": 2, "updated": 0, "unchanged": 0}
    assert [row[0] for row in body["sample"]] == ["T-NEW-1", "T-NEW-2"] and body["columns"][0] == "tps_id"
    assert not TPS.objects.filter(code__startswith="T-NEW").exists()
    assert client.get(f"/api/v1/imports/{body['token']}").json() == body

    response = client.post(f"/api/v1/imports/{body['token']}/confirm")
    assert response.status_code == 200, response.content
    assert response.json()["counts"]["tps"]["created"] == 2
    assert set(TPS.objects.filter(code__startswith="T-NEW").values_list("code", flat=True)) == {"T-NEW-1", "T-NEW-2"}
    event = AuditEvent.objects.get(action="import")
    assert event.user == world.users["planner"] and event.actor == "planner" and event.target == "tps baru.csv"
    assert event.details["kind"] == "tps" and event.details["tables"]["tps"]["created"] == 2
    assert staged_folders() == []
    assert_error(client.get(f"/api/v1/imports/{body['token']}"), 404, "not_found")


def test_file_with_errors_lists_them_and_confirm_writes_nothing(as_role, world, tmp_path):
    """Row errors name file, row, column, value and reason (as the CLI); confirm answers 409 and writes nothing."""
    path = write_csv(tmp_path / "tps.csv", [tps_row("T-A", V1, 2), tps_row("T-B", V1, 3, lat=200),
                                            tps_row("T-A", V1, 4, voters="banyak")])
    client = as_role("admin")
    body = stage(client, path).json()
    assert body["clean"] is False and body["rows"] is None and body["counts"] is None
    problems = {(p["row"], p["column"], p["value"]) for p in body["problems"]}
    assert {(3, "lat", "200"), (4, "tps_id", "T-A"), (4, "voters", "banyak")} <= problems
    assert body["problem_total"] == len(body["problems"])
    with pytest.raises(InputError) as cli:
        read_table("tps", path, known=known_refs())  # what `siaga import tps` reports
    assert body["problems"] == [{"file": p.file, "row": p.row, "column": p.column, "value": p.value,
                                 "reason": p.reason} for p in cli.value.problems]
    error = assert_error(client.post(f"/api/v1/imports/{body['token']}/confirm"), 409, "conflict")
    assert {(d["row"], d["column"]) for d in error["details"]} >= {(3, "lat"), (4, "voters")}
    assert not TPS.objects.filter(code__in=["T-A", "T-B"]).exists()
    assert not AuditEvent.objects.filter(action="import").exists()
    assert client.get(f"/api/v1/imports/{body['token']}").status_code == 200  # still staged, to look at


def test_xlsx_upload_is_read_from_its_sheet(as_role, world, tmp_path):
    """An XLSX workbook with a 'tps' sheet previews with the sheet named in the file label and imports."""
    path = write_xlsx(tmp_path / "data.xlsx", [tps_row("T-X1", V1, 7)])
    client = as_role("planner")
    body = stage(client, path).json()
    assert body["clean"] is True and body["file"] == "data.xlsx (lembar tps)" and body["sample"][0][0] == "T-X1"
    assert client.post(f"/api/v1/imports/{body['token']}/confirm").status_code == 200
    assert TPS.objects.get(code="T-X1").number == 7


def test_only_the_uploader_sees_confirms_or_cancels(as_role, world, tmp_path):
    """Another user (even an admin) gets 404 for your token, on read, confirm and delete; nothing is imported."""
    token = stage(as_role("planner"), write_csv(tmp_path / "tps.csv", [tps_row("T-MINE", V1, 2)])).json()["token"]
    for other in ("admin", "planner_b"):
        client = as_role(other)
        assert_error(client.get(f"/api/v1/imports/{token}"), 404, "not_found")
        assert_error(client.post(f"/api/v1/imports/{token}/confirm"), 404, "not_found")
        assert_error(client.delete(f"/api/v1/imports/{token}"), 404, "not_found")
    assert not TPS.objects.filter(code="T-MINE").exists()
    assert staged_folders() == [token]
    assert_error(as_role("planner").get("/api/v1/imports/..%2F..%2Fetc"), 404, "not_found")


@pytest.mark.parametrize("role", ["commander", "field_officer", "partner"])
def test_other_roles_get_403(as_role, world, tmp_path, role):
    """Commanders, field officers and partners may not upload, read, confirm or cancel: 403, nothing staged."""
    client = as_role(role)
    assert_error(stage(client, write_csv(tmp_path / "tps.csv", [tps_row("T-R", V1, 2)])), 403, "forbidden")
    assert_error(client.get("/api/v1/imports/abcdefghijklmnopqrstuvwx"), 403, "forbidden")
    assert_error(client.post("/api/v1/imports/abcdefghijklmnopqrstuvwx/confirm"), 403, "forbidden")
    assert_error(client.delete("/api/v1/imports/abcdefghijklmnopqrstuvwx"), 403, "forbidden")
    assert staged_folders() == []


def _outside(client, path, kind):
    body = stage(client, path, kind).json()
    assert body["clean"] is False, body
    assert_error(client.post(f"/api/v1/imports/{body['token']}/confirm"), 409, "conflict")
    return {(p["row"], p["column"], p["value"]) for p in body["problems"] if p["reason"].startswith("di luar wilayah Anda")}


def test_planner_rows_outside_its_area_are_row_errors(as_role, world, tmp_path):
    """A planner's rows outside its districts/units are row errors 'di luar wilayah Anda' and block the confirm."""
    catalogue_sync()
    client = as_role("planner")
    tps = write_csv(tmp_path / "tps.csv", [tps_row("T-IN", V1, 2), tps_row("T-OUT", V3, 2),
                                           tps_row("T3", V1, 9)])  # T3 is stored in Polres B's area
    assert _outside(client, tps, "tps") == {(3, "village_code", V3), (4, "tps_id", "T3")}
    people = write_csv(tmp_path / "personnel.csv", [
        {"personnel_id": "90000001", "name": "Fajar", "force": "polri", "rank": "Bripka", "unit_id": "POLSEK-1"},
        {"personnel_id": "90000002", "name": "Gita", "force": "polri", "rank": "Bripka", "unit_id": "POLSEK-3"},
        {"personnel_id": "33333333", "name": "Citra", "force": "polri", "rank": "Bripka", "unit_id": "POLSEK-2"},
    ], "personnel")
    assert _outside(client, people, "personnel") == {(3, "unit_id", "POLSEK-3"), (4, "personnel_id", "33333333")}
    units = write_csv(tmp_path / "units.csv", [
        {"unit_id": "POLSEK-NEW", "name": "Polsek Baru", "force": "polri", "level": "polsek", "parent_id": "POLRES-A",
         "lat": -7.8, "lon": 112.0, "districts": "Mojoroto"},
        {"unit_id": "POLSEK-X", "name": "Polsek X", "force": "polri", "level": "polsek", "parent_id": "POLRES-A",
         "lat": -7.8, "lon": 112.0, "districts": "35.06.01"},
        {"unit_id": "POLSEK-Y", "name": "Polsek Y", "force": "polri", "level": "polsek", "parent_id": "POLRES-B",
         "lat": -7.8, "lon": 112.0, "districts": ""},
        {"unit_id": "POLSEK-3", "name": "Polsek 3", "force": "polri", "level": "polsek", "parent_id": "POLRES-B",
         "lat": -7.8, "lon": 112.0, "districts": "35.06.01"},
    ], "units")
    assert _outside(client, units, "units") == {(3, "districts", "35.06.01"), (4, "parent_id", "POLRES-B"),
                                                (5, "unit_id", "POLSEK-3")}
    code = "pilkada24.keamanan.intimidasi"
    indicators = write_csv(tmp_path / "indicators.csv", [{"tps_id": "T1", "indicator": code, "value": 1},
                                                         {"tps_id": "T3", "indicator": code, "value": 1}], "indicators")
    assert _outside(client, indicators, "indicators") == {(3, "tps_id", "T3")}
    assert not TPS.objects.filter(code__in=["T-IN", "T-OUT"]).exists() and not IndicatorValue.objects.exists()
    assert not Personnel.objects.filter(code__startswith="9000").exists()


def test_planner_may_upload_its_own_units_people_and_indicators(as_role, world, tmp_path):
    """Inside its area a planner's units (new child, unchanged top unit), people and indicator values import."""
    catalogue_sync()
    client = as_role("planner")
    units = write_csv(tmp_path / "units.csv", [
        {"unit_id": "POLRES-A", "name": "Polres A", "force": "polri", "level": "polres", "parent_id": "",
         "lat": -7.8, "lon": 112.0, "districts": ""},
        {"unit_id": "POLSEK-NEW", "name": "Polsek Baru", "force": "polri", "level": "polsek", "parent_id": "POLRES-A",
         "lat": -7.8, "lon": 112.0, "districts": "mojoroto"},
    ], "units")
    people = write_csv(tmp_path / "personnel.csv", [{"personnel_id": "90000001", "name": "Fajar", "force": "polri",
                                                     "rank": "Bripka", "unit_id": "POLSEK-1"}], "personnel")
    indicators = write_csv(tmp_path / "indicators.csv", [{"tps_id": "T1", "indicator": "pilkada24.keamanan.intimidasi",
                                                          "value": 1}], "indicators")
    for path, kind in ((units, "units"), (people, "personnel"), (indicators, "indicators")):
        body = stage(client, path, kind).json()
        assert body["clean"] is True, body["problems"]
        assert client.post(f"/api/v1/imports/{body['token']}/confirm").status_code == 200
    assert Personnel.objects.get(code="90000001").unit.code == "POLSEK-1"
    assert IndicatorValue.objects.get().tps.code == "T1"


def test_confirm_checks_again_and_refuses_when_data_changed(as_role, world, tmp_path):
    """A file clean when staged but broken by a later change (its TPS deleted) is refused at confirm (409)."""
    catalogue_sync()
    client = as_role("admin")
    path = write_csv(tmp_path / "indicators.csv", [{"tps_id": "T2", "indicator": "pilkada24.keamanan.intimidasi",
                                                    "value": 1}], "indicators")
    body = stage(client, path, "indicators").json()
    assert body["clean"] is True
    TPS.objects.filter(code="T2").delete()
    error = assert_error(client.post(f"/api/v1/imports/{body['token']}/confirm"), 409, "conflict")
    assert error["details"][0]["column"] == "tps_id" and error["details"][0]["row"] == 2
    assert client.get(f"/api/v1/imports/{body['token']}").json()["clean"] is False
    assert not IndicatorValue.objects.exists()


def test_delete_removes_the_staged_file(as_role, world, tmp_path):
    """DELETE answers 204 and removes the file and its preview; the token is then unknown (404)."""
    client = as_role("planner")
    token = stage(client, write_csv(tmp_path / "tps.csv", [tps_row("T-C", V1, 2)])).json()["token"]
    assert staged_folders() == [token]
    response = client.delete(f"/api/v1/imports/{token}")
    assert response.status_code == 204
    assert staged_folders() == []
    assert_error(client.post(f"/api/v1/imports/{token}/confirm"), 404, "not_found")


def test_oversize_and_unsupported_files_are_refused(as_role, world, tmp_path, monkeypatch):
    """A file over the size limit, an empty file or a non-CSV/XLSX file is refused (400) and nothing is kept."""
    client = as_role("planner")
    monkeypatch.setattr(staging, "MAX_UPLOAD_BYTES", 100)
    big = write_csv(tmp_path / "big.csv", [tps_row(f"T-{i}", V1, i + 2) for i in range(5)])
    error = assert_error(stage(client, big), 400, "bad_request")
    assert "terlalu besar" in error["message"]
    (tmp_path / "empty.csv").write_bytes(b"")
    assert "kosong" in assert_error(stage(client, tmp_path / "empty.csv"), 400, "bad_request")["message"]
    (tmp_path / "notes.txt").write_text("tps_id\n")
    assert "tidak didukung" in assert_error(stage(client, tmp_path / "notes.txt"), 400, "bad_request")["message"]
    assert staged_folders() == []


def test_stale_uploads_are_removed_when_a_new_one_is_staged(as_role, world, tmp_path):
    """Uploads older than a day disappear the next time anyone stages a file; recent ones stay."""
    client = as_role("planner")
    old = stage(client, write_csv(tmp_path / "a.csv", [tps_row("T-O", V1, 2)])).json()["token"]
    recent = stage(client, write_csv(tmp_path / "b.csv", [tps_row("T-P", V1, 3)])).json()["token"]
    two_days_ago = time.time() - 2 * 86400
    os.utime(staging.uploads_dir() / old / staging.META, (two_days_ago, two_days_ago))
    new = stage(client, write_csv(tmp_path / "c.csv", [tps_row("T-Q", V1, 4)])).json()["token"]
    assert staged_folders() == sorted([recent, new])


def test_junk_multipart_is_a_client_error(as_role, world):
    """A broken multipart body, a missing file or an unknown kind answers 4xx in the error shape, never 500."""
    client = as_role("planner")
    broken = client.generic("POST", "/api/v1/imports", b"--x\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n",
                            content_type="multipart/form-data; boundary=x")
    assert 400 <= broken.status_code < 500
    assert_error(broken, broken.status_code, broken.json()["error"]["code"])
    assert_error(client.post("/api/v1/imports", {"kind": "tps"}), 422, "validation_error")
    assert_error(client.post("/api/v1/imports", {"kind": "plans", "file": b"x"}), 422, "validation_error")
    assert_error(client.post("/api/v1/imports", {"kind": "tps", "file": "x"}, content_type="application/json"),
                 422, "validation_error")


def test_values_the_database_cannot_hold_are_problems(as_role, world, tmp_path):
    """A NUL character or a number too large for the database is a problem naming its cell, never a 500."""
    client = as_role("planner")
    body = stage(client, write_csv(tmp_path / "tps.csv", [tps_row("T-1", V1, 2), tps_row("T-N\x00", V1, 3)])).json()
    assert body["clean"] is False and (body["problems"][0]["row"], body["problems"][0]["column"]) == (3, None)
    assert "NUL" in body["problems"][0]["reason"]
    body = stage(client, write_csv(tmp_path / "big.csv", [tps_row("T-2", V1, 2, voters=10**20)])).json()
    problem = body["problems"][0]
    assert body["clean"] is False and (problem["column"], problem["reason"][:13]) == ("voters", "terlalu besar")
    assert_error(client.post(f"/api/v1/imports/{body['token']}/confirm"), 409, "conflict")
    assert not TPS.objects.filter(code__in=["T-1", "T-2"]).exists()
