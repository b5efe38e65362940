"""In Chromium: data carrying script payloads is drawn as text on every page, for every role, and the pages run
under the Content-Security-Policy without a single violation (issue 10, stored XSS).

Each page is opened, its maps' tooltips opened and markers clicked, its panels loaded; then the test fails on a
dialog, on ``window.__xss`` being set, on any element with an on* attribute (markup from data reached the DOM,
even if the CSP stopped it from running), on a CSP violation (the payload's, or the app's own code broken by
the policy) and on a script error.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from django.contrib import admin
from django.urls import reverse

from siaga.regions.models import TPS, District, Village
from tests.api.upload_files import tps_row, write_csv
from tests.browser.hostile import DISTRICT, IMG, MARKERS, PASSWORD, SVG, hostile  # noqa: F401 - fixture
from tests.browser.support import login, wait_js

pytestmark = pytest.mark.django_db(transaction=True)

# Runs before any page script: records CSP violations and reaches every Leaflet map (to open its tooltips).
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push([e.violatedDirective, e.blockedURI, e.sourceFile + ":" + e.lineNumber, e.sample].join(" | "));
}, true);
window.__maps = [];
(function () {
  var real;
  Object.defineProperty(window, "L", {configurable: true, get: function () { return real; }, set: function (v) {
    real = v;
    if (v && v.Map && v.Map.addInitHook) { v.Map.addInitHook(function () { window.__maps.push(this); }); }
  }});
}());
"""

STATE = """() => {
  const onAttrs = [];
  for (const el of document.querySelectorAll("*")) {
    for (const a of el.attributes) { if (a.name.toLowerCase().startsWith("on")) { onAttrs.push(el.tagName + "[" + a.name + "]"); } }
  }
  return {xss: window.__xss === undefined ? null : String(window.__xss), violations: window.__violations || [],
          onAttrs: onAttrs};
}"""

# Opens the tooltip of every layer on every map (the TPS, post, squad and incident markers); returns the texts.
TOOLTIPS = """() => {
  const texts = [];
  for (const map of window.__maps) {
    map.eachLayer(function (l) {
      if (l.getTooltip && l.getTooltip()) {
        l.openTooltip();
        const el = l.getTooltip().getElement();
        if (el) { texts.push(el.textContent); }
      }
    });
  }
  return texts;
}"""

# Fires a click on the first layer whose tooltip text starts with the given text (opens its panel).
CLICK = """(text) => {
  for (const map of window.__maps) {
    let hit = null;
    map.eachLayer(function (l) {
      const t = l.getTooltip && l.getTooltip();
      if (!hit && t && t.getElement() && t.getElement().textContent.startsWith(text) && l.listens("click")) { hit = l; }
    });
    if (hit) { hit.fire("click"); return true; }
  }
  return false;
}"""


class Watched:
    """A page with the watchers on; ``check(where)`` fails on anything the payloads or the CSP did."""

    def __init__(self, page):
        self.page = page
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.add_init_script(WATCH)
        page.route("**/posko/events?**", self._events)
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda exc: self.errors.append(f"script error: {exc}"))
        page.on("console", self._console)

    @staticmethod
    def _events(route):
        """The board's live stream, answered here: one event whose text is a payload (the ticker draws it), and
        no server stream left polling the test database after the test."""
        data = json.dumps({"at_label": "09.00", "text": f"{IMG} {SVG}"})
        route.fulfill(status=200, headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"},
                      body=f"retry: 60000\nid: 1\nevent: incident\ndata: {data}\n\n")

    def _dialog(self, dialog):
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.errors.append(f"console: {message.text}")

    def settle(self):
        """Let every request of the page finish, then leave it: no request is still running in the live server
        when the test database is flushed."""
        self.page.wait_for_load_state("networkidle")
        self.page.goto("about:blank")

    def goto(self, url: str, ready: str | None = None, status: int = 200):
        response = self.page.goto(url)
        assert response is not None and response.status == status, f"{url}: HTTP {response and response.status}"
        if ready:
            wait_js(self.page, ready)
        else:
            self.page.wait_for_load_state("networkidle")
        self.check(url)
        return response

    def check(self, where: str):
        # an injected <img onerror> runs when its load fails: wait until every image has loaded or failed
        wait_js(self.page, "() => [...document.images].every(i => i.complete)")
        state = self.page.evaluate(STATE)
        problems = [*(f"dialog {d}" for d in self.dialogs), *self.errors,
                    *(f"CSP violation: {v}" for v in state["violations"]),
                    *(f"inline event handler {a} (from a template or from data)" for a in state["onAttrs"])]
        if state["xss"] is not None:
            problems.insert(0, f"payload ran (window.__xss = {state['xss']})")
        self.dialogs.clear()
        self.errors.clear()
        assert not problems, f"{where}: " + "; ".join(problems)

    def tooltips(self, where: str) -> list[str]:
        texts = self.page.evaluate(TOOLTIPS)
        self.check(f"{where} (tooltips)")
        return texts

    def click_layer(self, text: str) -> bool:
        return self.page.evaluate(CLICK, text)

    def has_text(self, selector: str, text: str) -> bool:
        return any(text in t for t in self.page.locator(selector).all_text_contents())


@pytest.fixture
def watched(new_page):
    """``watched(width, height)``: a Watched page; each is settled before the test database is flushed."""
    pages = []

    def make(*size):
        pages.append(Watched(new_page(*size)))
        return pages[-1]

    yield make
    for w in pages:
        w.settle()


def _payload_in(texts) -> bool:
    return any(marker in t for t in texts for marker in MARKERS)


def _map_ready(page) -> None:
    page.wait_for_load_state("networkidle")
    wait_js(page, "() => /^\\d+ TPS/.test(document.getElementById('map-status').textContent)")


def _vulnerability_map(w: Watched, code: str) -> None:
    """/peta/: district labels as text; hover and click a payload TPS (its panel), every tooltip opened."""
    page = w.page
    w.goto(f"/peta/?district={DISTRICT}")
    _map_ready(page)
    assert w.has_text("#map-filters select[name=district] option", IMG)
    assert w.has_text(".district-label", IMG), "the district label shows its name as text"
    tps = TPS.objects.get(code=code)
    page.evaluate("([lat, lon]) => window.__maps[0].setView([lat, lon], 18)", [tps.lat, tps.lon])
    page.wait_for_timeout(400)  # the map reloads 250 ms after it stops moving
    _map_ready(page)
    texts = w.tooltips("/peta/")
    assert code in texts, "the payload TPS id is a tooltip's text"
    point = page.evaluate("""([lat, lon]) => { const m = window.__maps[0], p = m.latLngToContainerPoint([lat, lon]),
                             r = m.getContainer().getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }""",
                          [tps.lat, tps.lon])
    page.mouse.move(point[0], point[1])
    page.mouse.click(point[0], point[1])
    page.wait_for_selector("#panel:not([hidden])")
    wait_js(page, "() => document.getElementById('panel-body').textContent.includes('TPS')")
    w.check("/peta/ (hover, TPS panel)")
    assert _payload_in(page.locator("#panel-body").all_text_contents())


def _workspace(w: Watched, operation, post_id: str, codes: list[str]) -> None:
    """/rencana/: the post panel (server side and fetched), the post picker, every tooltip."""
    page = w.page
    w.goto(f"/rencana/?operation={operation.pk}&post={quote(post_id)}")
    page.wait_for_selector("[data-testid=post-panel]:not([hidden])")
    wait_js(page, "() => document.getElementById('ws-status').textContent.includes('TPS')")
    assert _payload_in(page.locator("#panel-body").all_text_contents())
    assert page.locator("#post-ids option").count() > 0
    texts = w.tooltips("/rencana/")
    assert set(codes) & set(texts), "payload TPS ids are tooltip texts"
    page.click("#panel-close")
    assert w.click_layer(post_id + " ·"), "the post marker is on the map"
    page.wait_for_selector("[data-testid=post-panel]:not([hidden])")
    wait_js(page, "() => document.getElementById('panel-body').textContent.length > 0")
    w.check("/rencana/ (post panel fetched)")
    assert _payload_in(page.locator("#panel-body").all_text_contents())


def _board(w: Watched, operation, can_act: bool) -> None:
    """/posko/: lists and map from the snapshot, the dispatch proposal, every tooltip."""
    page = w.page
    w.goto(f"/posko/?operation={operation.pk}",
           ready="() => document.getElementById('count-tps').textContent !== '–' && window.__maps.length > 0")
    page.wait_for_selector("[data-testid=incident]")
    assert w.has_text("[data-testid=incident]", IMG), "the incident text is shown as text"
    assert w.has_text("#districts li", IMG), "the district name is shown as text"
    assert _payload_in(w.tooltips("/posko/"))
    page.wait_for_selector("[data-testid=ticker-item]")
    assert w.has_text("[data-testid=ticker-item]", IMG), "the live event's text is shown as text"
    if can_act:
        page.locator("[data-testid=incident] [data-testid=dispatch]").first.click()
        page.wait_for_selector("[data-testid=accept-dispatch]")
        w.check("/posko/ (dispatch proposal)")


def _pages(w: Watched, hostile, role: str) -> None:  # noqa: F811
    op = hostile.operation
    w.goto("/")
    assert w.has_text("#op option", "<script>"), "the operation name is shown as text"
    assert w.page.locator(".timeline .bar span").count() == 0 or w.page.evaluate(
        "[...document.querySelectorAll('.timeline .bar span')].every(s => s.style.width.endsWith('%'))")
    _vulnerability_map(w, hostile.tps_codes[1])
    w.goto(f"/peta/tps/{quote(hostile.tps_codes[0], safe='')}/")
    if role != "partner":  # the typed category reason carries it; partners never read typed text (docs/access.md)
        assert w.has_text("main", SVG)
    _workspace(w, op, hostile.post_id, hostile.tps_codes)
    w.goto(f"/rencana/{op.pk}/banding/?a=1&b=2")
    w.goto(f"/rencana/{op.pk}/2/brief.html")
    assert w.page.evaluate("getComputedStyle(document.body).maxWidth") == "800px", "the brief's own styles apply"
    for url in ("/personel/", "/satuan/", f"/pengawalan/?operation={op.pk}",
                f"/pengawalan/?operation={op.pk}&district={DISTRICT}"):
        w.goto(url)
    _board(w, op, can_act=role != "partner")
    if role != "partner":
        w.goto(f"/lapangan/?q={quote('<img')}")
    w.goto(f"/peta/tps/{quote(IMG, safe='')}/", status=404)  # the error page too


@pytest.mark.parametrize("role", ["admin", "commander", "partner"])
def test_payloads_never_run(watched, hostile, role, screenshots):  # noqa: F811
    """Every page that draws data, its maps' tooltips and its panels: payloads stay text, no CSP violation."""
    w = watched()
    login(w.page, hostile.users[role], PASSWORD)
    w.check("login")
    _pages(w, hostile, role)
    w.page.screenshot(path=str(screenshots / f"xss-{role}.png"), full_page=True)


def test_field_officer_page_shows_payloads_as_text(watched, hostile):  # noqa: F811
    """The phone page of a field officer whose TPS and village carry payloads; a step report goes through."""
    w = watched(390, 844)
    login(w.page, hostile.users["field_officer"], PASSWORD)
    w.goto("/lapangan/")
    code = w.page.locator(".tps-card").first.get_attribute("data-tps")
    w.page.locator(".tps-card").first.locator("[data-action=next]").click()
    w.page.wait_for_selector("[data-testid=queue-item][data-state=sent]")
    w.check(f"/lapangan/ (report for {code})")


def test_upload_of_payload_names_then_every_page(watched, hostile, tmp_path, monkeypatch):  # noqa: F811
    """A planner uploads a TPS file whose district and village names are payloads (issue 10's attack), saves it,
    and the map draws the new names as text."""
    monkeypatch.setenv("SIAGA_DATA_DIR", str(tmp_path / "var"))
    village = TPS.objects.filter(village__district__code="35.71.02").select_related("village").first().village
    path = write_csv(tmp_path / "tps.csv", [tps_row("XSS-UPLOAD-1", village.code, 99, district_name=SVG + " Kota",
                                                   village_name=IMG + " Desa")])
    w = watched()
    login(w.page, hostile.users["planner"], PASSWORD)
    w.goto("/data/")
    w.page.set_input_files("[data-testid=upload-form] input[name=file]", str(path))
    w.page.click("[data-testid=upload-form] button[type=submit]")
    w.page.wait_for_url("**/data/*/")
    w.page.wait_for_load_state("networkidle")
    w.check("/data/<token>/ (preview)")
    assert w.has_text("[data-testid=preview-table]", SVG)
    w.page.click("[data-testid=confirm]")
    w.page.wait_for_load_state("networkidle")
    w.check("/data/ (saved)")
    assert District.objects.get(code="35.71.02").name == SVG + " Kota", "the upload renamed the district"
    w.goto("/peta/?district=35.71.02")
    _map_ready(w.page)
    assert w.has_text(".district-label", SVG)
    w.tooltips("/peta/ after the upload")


def test_admin_and_api_docs_work_under_the_csp(watched, hostile):  # noqa: F811
    """The Django admin (every change list, a change form saved) and the API docs run without CSP violations."""
    w = watched()
    login(w.page, hostile.users["admin"], PASSWORD)
    w.goto("/api/v1/docs", ready="() => document.querySelector('.swagger-ui .info') !== null")
    w.goto("/admin/")
    for model in admin.site._registry:
        meta = model._meta
        w.goto(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        first = model.objects.order_by("pk").first()
        if first is not None:
            w.goto(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk]))
    district = District.objects.get(code=DISTRICT)
    w.goto(reverse("admin:regions_district_change", args=[district.pk]))
    assert w.page.locator("input[name=name]").input_value() == district.name
    w.page.fill("input[name=name]", IMG + " Mojoroto (ubah)")
    w.page.click("input[name=_save]")
    w.page.wait_for_load_state("networkidle")
    w.check("admin save")
    assert District.objects.get(pk=district.pk).name == IMG + " Mojoroto (ubah)"


def test_selects_submit_and_bars_draw_without_inline_code(watched, hostile):  # noqa: F811
    """What the six onchange= attributes and the style= bar did now comes from siaga/page.js."""
    op = hostile.operation
    w = watched()
    login(w.page, hostile.users["planner"], PASSWORD)
    w.goto(f"/rencana/?operation={op.pk}&version=2")
    with w.page.expect_navigation():
        w.page.select_option("[data-testid=version-select]", "1")
    assert "version=1" in w.page.url
    w.page.wait_for_selector("[data-testid=plan-version][data-version='1']")
    with w.page.expect_navigation():  # the operation select empties the version first: the latest opens
        w.page.select_option("#ws-choose select[name=operation]", str(op.pk))
    w.page.wait_for_selector("[data-testid=plan-version][data-version='2']")
    village = Village.objects.filter(district__code=DISTRICT).order_by("code").first().code
    w.goto(f"/peta/?district={DISTRICT}&village={village}")
    assert w.page.locator("#map-filters select[name=village]").input_value() == village
    with w.page.expect_navigation():  # the district select empties the village first
        w.page.select_option("#map-filters select[name=district]", "")
    query = parse_qs(urlsplit(w.page.url).query, keep_blank_values=True)
    assert query["district"] == [""] and query.get("village", [""]) == [""], query
    w.goto("/")
    widths = w.page.evaluate("[...document.querySelectorAll('.timeline .bar span')].map(s => s.style.width)")
    assert widths and all(x.endswith("%") for x in widths), widths
    with w.page.expect_navigation():
        w.page.select_option("#op", str(op.pk))
    w.check("overview operation select")
    with w.page.expect_navigation():
        w.page.select_option("#lang", "en")
    w.page.wait_for_load_state("networkidle")
    assert w.page.get_attribute("html", "lang") == "en"
    w.check("language switch")
    w.goto(f"/posko/?operation={op.pk}", ready="() => document.getElementById('count-tps').textContent !== '–'")
    with w.page.expect_navigation():
        w.page.select_option(".board-head select[name=operation]", str(op.pk))
    w.check("board operation select")
