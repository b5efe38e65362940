"""Content-Security-Policy (issue 10): every HTML response carries a strict policy, and nothing in the templates
or the page scripts needs it relaxed (no inline script, handler or style; no data turned into markup)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from django.test import Client

from siaga.regions.models import TPS
from siaga.web import urls as web_urls
from tests.web.conftest import ROLES

ROOT = Path(__file__).resolve().parents[2] / "siaga"
STATIC = ROOT / "web" / "static" / "siaga"
# web routes that answer with something other than an HTML page (JSON, a stream, a file) or only to POST
NOT_PAGES = {"workspace-data", "workspace-pin", "workspace-unpin", "workspace-stand-down",
             "workspace-replan", "workspace-publish", "map-data", "tps-category", "personnel-status",
             "escort-checkin", "escort-missing", "board-data", "board-events", "incident-photo", "data-template",
             "data-preview", "data-confirm", "data-cancel"}


def policy(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy")
    assert header, f"{response.request['PATH_INFO']}: no Content-Security-Policy header"
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_strict(response) -> None:
    where = response.request["PATH_INFO"]
    d = policy(response)
    scripts = d.get("script-src", d.get("default-src"))
    assert scripts == ["'self'"], f"{where}: script-src {scripts}"
    for name in ("script-src", "script-src-elem", "script-src-attr", "style-src", "style-src-attr", "default-src"):
        for bad in ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:", "http:", "https:"):
            assert bad not in d.get(name, []), f"{where}: {name} allows {bad}"
    assert d["default-src"] == ["'self'"]
    assert d["object-src"] == ["'none'"] and d["frame-ancestors"] == ["'none'"]
    assert d["base-uri"] == ["'self'"] and d["form-action"] == ["'self'"] and d["connect-src"] == ["'self'"]
    assert d["img-src"][:2] == ["'self'", "data:"]


def test_every_web_route_is_either_checked_or_not_a_page():
    """A new web page must be added to the header test below (or to NOT_PAGES if it is no HTML page)."""
    names = {p.name for p in web_urls.urlpatterns}
    assert names - NOT_PAGES == set(_pages_checked()), sorted(names - NOT_PAGES)


def _pages_checked() -> dict[str, str]:
    return {"overview": "/", "plan-download": "/rencana/{op}/{v}/brief.html", "workspace": "/rencana/?operation={op}",
            "workspace-post": "/rencana/pos/{post}/?operation={op}", "workspace-compare": "/rencana/{op}/banding/?a={v}&b={v}",
            "map": "/peta/", "tps": "/peta/tps/{tps}/", "personnel": "/personel/", "units": "/satuan/",
            "escort": "/pengawalan/", "board": "/posko/", "field": "/lapangan/", "data": "/data/"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_html_page_has_a_strict_csp(as_role, kediri, role):
    """Each role, each web page (and the TPS panel partial, the brief, the error pages): strict CSP header."""
    client = as_role(role)
    tps = TPS.objects.filter(village__district__code="35.71.01").order_by("code").first()
    post = next(p["id"] for p in kediri.plan.document["posts"] if tps.code in p["tps"])
    args = {"op": kediri.operation.pk, "v": kediri.plan.version, "post": quote(post), "tps": quote(tps.code)}
    urls = [u.format(**args) for u in _pages_checked().values()]
    urls += [f"/peta/tps/{quote(tps.code)}/?partial=1", "/peta/tps/tidak-ada/", "/api/v1/docs"]
    if role == "admin":
        urls += ["/admin/", "/admin/regions/district/", "/admin/regions/tps/"]
    for url in urls:
        response = client.get(url, follow=True)  # a partner asking for /personel/ lands on /satuan/
        assert response.status_code in (200, 403, 404), (role, url, response.status_code)
        assert response["Content-Type"].startswith("text/html"), (role, url)  # the 403 and 404 pages too
        assert_strict(response)


@pytest.mark.django_db
def test_login_page_and_errors_have_a_strict_csp(kediri):
    client = Client()
    for url in ("/login/", "/admin/login/"):
        response = client.get(url)
        assert response.status_code == 200
        assert_strict(response)


@pytest.mark.django_db
def test_the_brief_may_use_only_its_own_style_block(as_role, kediri):
    """brief.html keeps its <style> block (it is an offline file); viewed from Siaga only that block's hash is
    allowed, and scripts stay 'self' only."""
    import base64
    import hashlib

    response = as_role("planner").get(f"/rencana/{kediri.operation.pk}/{kediri.plan.version}/brief.html")
    body = b"".join(response.streaming_content).decode()
    style = body.split("<style>", 1)[1].split("</style>", 1)[0]
    digest = "'sha256-" + base64.b64encode(hashlib.sha256(style.encode()).digest()).decode() + "'"
    assert_strict(response)
    assert policy(response)["style-src"] == ["'self'", digest]


def test_tile_sources_for_img_src():
    from siaga.settings import _tile_sources

    assert _tile_sources("") == []
    assert _tile_sources("/tiles/{z}/{x}/{y}.png") == []
    assert _tile_sources("https://{s}.tile.example.org/{z}/{x}/{y}.png") == ["https://*.tile.example.org"]
    assert _tile_sources("http://10.0.0.5:8080/osm/{z}/{x}/{y}.png") == ["http://10.0.0.5:8080"]


def _templates():
    for path in sorted(ROOT.rglob("templates/**/*.html")):
        if path.match("reports/templates/brief.html"):
            continue  # an offline file format, not a page (its style block is allowed by hash)
        yield path


@pytest.mark.parametrize("path", list(_templates()), ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_have_no_inline_script_handler_or_style(path):
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"<[a-z][^>]*\son[a-z]+\s*=", text, re.I), "inline event handler (use siaga/page.js)"
    assert not re.search(r"\sstyle\s*=", text, re.I), "style= attribute (use a CSS class or data-width)"
    assert "<style" not in text.lower(), "<style> block (use a static CSS file)"
    for tag in re.findall(r"<script\b[^>]*>", text, re.I):
        assert "src=" in tag or "application/json" in tag, f"inline script {tag} (use a static file, json_script)"


@pytest.mark.parametrize("path", sorted(STATIC.glob("*.js")), ids=lambda p: p.name)
def test_page_scripts_never_turn_data_into_markup(path):
    """DOM from text nodes only: no HTML sinks, tooltips and div icons get elements, not strings."""
    text = path.read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function",
                 "setAttribute(\"style\"", "setAttribute('style'"):
        assert sink not in text, f"{path.name} uses {sink}"
    for call in re.findall(r"\.bind(?:Tooltip|Popup)\(([^)]{0,12})", text):
        assert call.startswith("tip("), f"{path.name}: bindTooltip/bindPopup({call}…) must get tip(text)"
    for value in re.findall(r"\bhtml:\s*([^,}]{0,10})", text):
        assert value.startswith("h("), f"{path.name}: divIcon html must be an element (h(...)), not {value}"
