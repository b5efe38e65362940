"""Web pages per role on Kota Kediri: status codes, scoping, partner privacy, writes, map data, no outside URLs."""

from __future__ import annotations

import json
import re

import pytest

from siaga.core.models import AuditEvent
from siaga.forces.models import Personnel
from siaga.regions.models import TPS
from siaga.web import mapdata
from tests.web.conftest import ROLES

pytestmark = pytest.mark.django_db

PAGES = ("/", "/peta/", "/personel/", "/satuan/", "/peta/data.json")
MOJOROTO = "35.71.01"


def _tps_in(district: str, inside: bool = True) -> TPS:
    qs = TPS.objects.filter(village__district__code=district) if inside else \
        TPS.objects.exclude(village__district__code=district)
    return qs.order_by("code").first()


@pytest.mark.parametrize("role", ROLES)
def test_every_role_opens_every_page(as_role, kediri, role):
    """Each role gets 200 on the overview, map, map data, personnel and units pages (a partner asking for the
    personnel page is sent to the units page: it reads no person)."""
    client = as_role(role)
    for url in PAGES:
        response = client.get(url, follow=True)
        assert response.status_code == 200, (role, url)
        if role == "partner" and url.startswith("/personel/"):
            assert response.redirect_chain[-1][0] == "/satuan/"


def test_anonymous_is_sent_to_login(client, kediri):
    """Without a login every page redirects to the login page; a JSON endpoint answers 401 JSON instead."""
    for url in PAGES:
        response = client.get(url)
        if url.endswith(".json"):
            assert response.status_code == 401 and response["Content-Type"].startswith("application/json")
            continue
        assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("role", ROLES)
def test_plan_downloads_per_role(as_role, kediri, role):
    """Every role downloads the four plan files of the latest plan; commanders get only their district."""
    client = as_role(role)
    base = f"/rencana/{kediri.operation.pk}/{kediri.plan.version}/"
    for name in ("plan.xlsx", "plan.geojson", "brief.html"):
        response = client.get(base + name)
        assert response.status_code == 200, (role, name)
        assert b"".join(response.streaming_content)
    doc = json.loads(client.get(base + "plan.json").content)
    districts = {t["district"] for t in doc["tps"]}
    if role in ("commander", "field_officer"):
        assert districts == {MOJOROTO}
    else:
        assert districts == set(TPS.objects.values_list("village__district__code", flat=True))
    assert client.get(base + "secret.txt").status_code == 404


def test_overview_shows_plan_figures_stages_and_synthetic_banner(as_role, kediri):
    """The overview names the plan, the per-force table, the stage timeline with shares and the banner."""
    body = as_role("planner").get("/").content.decode()
    assert "DATA SINTETIS" in body
    assert "Kebutuhan dan ketersediaan per kekuatan" in body
    assert "Pemungutan suara" in body and "2/3" in body
    assert "plan.xlsx" in body and "Polsek Mojoroto".lower() in body.lower()


def test_unknown_operation_is_404(as_role):
    """An operation id that does not exist answers 404 like one outside the area."""
    assert as_role("planner").get("/?operation=999999").status_code == 404
    assert as_role("planner").get("/rencana/999999/1/plan.json").status_code == 404
    assert as_role("planner").get("/rencana/99999999999999999999/1/plan.json").status_code == 404


def test_commander_sees_only_its_district(as_role, kediri):
    """A commander's map data, personnel and TPS pages hold only Mojoroto; other TPS are 404."""
    client = as_role("commander")
    data = client.get("/peta/data.json").json()
    codes = {p[0] for p in data["points"]}
    mine = set(TPS.objects.filter(village__district__code=MOJOROTO).values_list("code", flat=True))
    assert codes == mine
    assert [d[0] for d in data["districts"]] == ["Mojoroto"]
    outside = _tps_in(MOJOROTO, inside=False)
    assert client.get(f"/peta/tps/{outside.code}/").status_code == 404
    assert client.get(f"/peta/tps/{_tps_in(MOJOROTO).code}/").status_code == 200
    body = client.get("/personel/?q=&force=polri").content.decode()
    other = Personnel.objects.filter(unit__code="POLSEK-KOTA").first()
    assert other.code not in body
    mine_person = Personnel.objects.filter(unit__code="POLSEK-MOJOROTO").order_by("name").first()
    assert mine_person.code in client.get(f"/personel/?q={mine_person.code}").content.decode()


def test_partner_sees_no_nrp_anywhere(as_role, kediri):
    """No NRP and no name of any person appears on any page a partner opens, nor in its plan downloads."""
    client = as_role("partner")
    nrps = set(Personnel.objects.values_list("code", flat=True))
    names = set(Personnel.objects.values_list("name", flat=True))
    tps = _tps_in(MOJOROTO)
    urls = list(PAGES) + ["/personel/?page=2", "/personel/?force=polri", f"/peta/tps/{tps.code}/",
                          f"/peta/tps/{tps.code}/?partial=1", f"/rencana/{kediri.operation.pk}/1/plan.json",
                          f"/rencana/{kediri.operation.pk}/1/brief.html"]
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        body = (b"".join(response.streaming_content) if response.streaming else response.content).decode()
        found = nrps & set(re.findall(r"[A-Za-z0-9-]{6,}", body))
        assert not found, (url, sorted(found)[:3])
        assert not [n for n in names if n in body], url


@pytest.mark.parametrize("role", ("partner", "field_officer"))
def test_read_only_roles_get_403_on_writes(as_role, role):
    """Partners and field officers are refused (403) on both write forms, and see no forms."""
    client = as_role(role)
    tps = _tps_in(MOJOROTO)
    person = Personnel.objects.filter(unit__code="POLSEK-MOJOROTO").first()
    assert client.post(f"/peta/tps/{tps.code}/kategori/", {"category": "rawan", "reason": "x"}).status_code == 403
    assert client.post(f"/personel/{person.code}/status/", {"status": "sick"}).status_code == 403
    assert "Ubah kategori" not in client.get(f"/peta/tps/{tps.code}/").content.decode()
    assert TPS.objects.get(pk=tps.pk).manual_category == ""


def test_commander_writes_outside_its_area_are_404(as_role):
    """A commander changing a TPS or a person of another district gets 404."""
    client = as_role("commander")
    outside = _tps_in(MOJOROTO, inside=False)
    person = Personnel.objects.filter(unit__code="POLSEK-KOTA").first()
    assert client.post(f"/peta/tps/{outside.code}/kategori/", {"category": "rawan", "reason": "x"}).status_code == 404
    assert client.post(f"/personel/{person.code}/status/", {"status": "sick"}).status_code == 404


def test_override_needs_a_reason_and_is_audited(as_role):
    """An empty reason is refused with the service's message; a reason saves the category and audits it."""
    client = as_role("commander")
    tps = _tps_in(MOJOROTO)
    url = f"/peta/tps/{tps.code}/kategori/"
    refused = client.post(url, {"category": "sangat_rawan", "reason": "  "})
    assert refused.status_code == 400
    assert "kategori manual harus disertai alasan" in refused.content.decode()
    assert TPS.objects.get(pk=tps.pk).manual_category == ""
    saved = client.post(url, {"category": "sangat_rawan", "reason": "Riwayat bentrok"})
    assert saved.status_code == 302 and saved["Location"] == f"/peta/?tps={tps.code}"
    assert TPS.objects.get(pk=tps.pk).manual_category == "sangat_rawan"
    event = AuditEvent.objects.get(action="tps.category_override", target=f"tps:{tps.code}")
    assert event.actor == "web-commander" and event.user.username == "web-commander"
    point = [p for p in client.get("/peta/data.json").json()["points"] if p[0] == tps.code][0]
    assert point[3] == mapdata.CODE["sangat_rawan"]


def test_status_form_changes_status(as_role):
    """A planner marks a person sick through the personnel page; the change is audited."""
    person = Personnel.objects.filter(unit__code="POLSEK-MOJOROTO", status="available").first()
    response = as_role("planner").post(f"/personel/{person.code}/status/",
                                       {"status": "sick", "reason": "demam", "next": "/personel/?q=x"})
    assert response.status_code == 302 and response["Location"] == "/personel/?q=x"
    assert Personnel.objects.get(pk=person.pk).status == "sick"
    assert AuditEvent.objects.filter(action="personnel.status", target=f"personnel:{person.code}").exists()


def test_map_data_shape(as_role):
    """Map points are [id, lat, lon, category code]; posts, bounds and district labels come along."""
    data = as_role("planner").get("/peta/data.json").json()
    assert data["mode"] == "points" and data["count"] == 839 == len(data["points"])
    assert data["categories"][0] == "belum_dinilai"
    code, lat, lon, cat = data["points"][0]
    assert isinstance(code, str) and -8 < lat < -7 and 111 < lon < 113 and 0 <= cat < len(data["categories"])
    assert {p[3] for p in data["points"]} >= {mapdata.CODE["kurang_rawan"]}
    assert data["posts"] and len(data["posts"][0]) == 5
    assert len(data["districts"]) == TPS.objects.values("village__district").distinct().count()
    assert data["synthetic"] is True
    assert as_role("planner").get("/peta/data.json?bbox=1,2,3").status_code == 400


def test_map_filters(as_role):
    """District, category and indicator filters narrow the points."""
    client = as_role("planner")
    district = client.get(f"/peta/data.json?district={MOJOROTO}").json()
    assert 0 < district["count"] < 839
    khusus = client.get("/peta/data.json?category=khusus").json()
    assert khusus["count"] >= 1 and {p[3] for p in khusus["points"]} == {mapdata.CODE["khusus"]}
    from siaga.risk.models import IndicatorValue

    value = IndicatorValue.objects.exclude(value=0).select_related("indicator", "tps").first()
    flagged = client.get(f"/peta/data.json?indicator={value.indicator.code}").json()
    assert value.tps.code in {p[0] for p in flagged["points"]} and flagged["count"] < 839


def test_map_clusters_at_low_zoom(as_role, monkeypatch):
    """Above the threshold at low zoom the server sends grid clusters whose counts add up; zoomed in, points."""
    monkeypatch.setattr(mapdata, "CLUSTER_THRESHOLD", 100)
    client = as_role("planner")
    bbox = "-7.95,111.85,-7.70,112.15"
    far = client.get(f"/peta/data.json?bbox={bbox}&zoom=10", HTTP_ACCEPT_ENCODING="gzip")
    assert far["Content-Encoding"] == "gzip"
    near = client.get(f"/peta/data.json?bbox={bbox}&zoom=16").json()
    body = json.loads(__import__("gzip").decompress(far.content))
    assert body["mode"] == "clusters" and "points" not in body
    assert sum(c[2] for c in body["clusters"]) == body["count"] == near["count"] > 100
    assert len(body["clusters"]) <= mapdata.GRID_CELLS ** 2
    worst = max(p[3] for p in near["points"])
    assert max(c[3] for c in body["clusters"]) == worst
    assert near["mode"] == "points"


def test_no_outside_urls_without_tiles(as_role, settings):
    """With SIAGA_TILE_URL unset no page holds an http(s) URL; with it set only the tile URL appears."""
    settings.SIAGA_TILE_URL = ""
    client = as_role("planner")
    tps = _tps_in(MOJOROTO)
    urls = ("/", "/peta/", "/personel/", "/satuan/", f"/peta/tps/{tps.code}/")
    for url in urls:
        body = client.get(url).content.decode()
        assert "http://" not in body and "https://" not in body, url
    settings.SIAGA_TILE_URL = "https://tiles.polri.example/{z}/{x}/{y}.png"
    body = client.get("/peta/").content.decode()
    assert re.findall(r"https?://[^\s\"'<]+", body) == ["https://tiles.polri.example/{z}/{x}/{y}.png"]


def test_language_switch_to_english(as_role):
    """Posting English to the language switch turns the overview heading English; Indonesian is the default."""
    client = as_role("planner")
    assert "<h1>Ringkasan operasi</h1>" in client.get("/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    body = client.get("/").content.decode()
    assert "<h1>Operation overview</h1>" in body and 'lang="en"' in body


def test_no_role_user_gets_403(kediri, client):
    """A logged-in user without a role is refused on every page."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create(username="nobody")
    client.force_login(user)
    for url in PAGES:
        assert client.get(url).status_code == 403, url


def test_refusals_render_the_siaga_error_pages(as_role, kediri):
    """403 and 404 answers are Siaga pages in Bahasa Indonesia with a way back, not bare server text."""
    client = as_role("partner")
    tps = _tps_in(MOJOROTO)
    refused = client.post(f"/peta/tps/{tps.code}/kategori/", {"category": "rawan", "reason": "x"})
    assert refused.status_code == 403 and 'data-testid="error-403"' in refused.content.decode()
    missing = as_role("commander").get("/peta/tps/0000000000-999/")
    assert missing.status_code == 404 and "Tidak ditemukan" in missing.content.decode()
