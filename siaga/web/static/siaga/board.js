/* Siaga command board (posko): live map and lists of voting day.
   A snapshot (/posko/data.json) draws everything; server-sent events (/posko/events) say what changed:
   each event goes to the ticker at once and triggers a fresh snapshot (at most one per 1.5 s).
   Actions (verify, dispatch, resolve) go through the JSON API with the session's CSRF token. */
(function () {
  "use strict";
  var root = document.getElementById("board");
  if (!root) { return; }
  var cfg = JSON.parse(document.getElementById("board-config").textContent);
  var STEP_COLORS = ["#8a8f99", "#5c6bc0", "#1e88e5", "#00897b", "#43a047", "#7cb342", "#2e7d32", "#1b5e20"];
  var SEV_COLORS = {low: "#7cb342", medium: "#e0a100", high: "#ef6c00", critical: "#c62828"};
  var LEVEL_LABELS = cfg.levelLabels;
  var map = null, tpsLayer = null, incidentLayer = null, squadLayer = null, fitted = false;
  var refreshTimer = null, lastRefresh = 0, lastEventId = 0;

  function $(id) { return document.getElementById(id); }
  var h = Siaga.h, tip = Siaga.tip;  // data goes into the DOM as text only (siaga/page.js)
  function csrf() { var m = document.cookie.match(/csrftoken=([^;]+)/); return m ? m[1] : ""; }
  function api(method, path, body) {
    return fetch("/api/v1" + path, {method: method, credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf()},
      body: body ? JSON.stringify(body) : undefined})
      .then(function (r) { return r.json().then(function (j) { if (!r.ok) { throw new Error((j.error || {}).message || r.status); } return j; }); });
  }

  if (window.L && $("board-map")) {
    map = L.map("board-map", {preferCanvas: true, maxZoom: 19, minZoom: 4}).setView([-2.5, 118], 5);
    map.attributionControl.setPrefix("Leaflet");
    if (cfg.tileUrl) { L.tileLayer(cfg.tileUrl, {maxZoom: 19}).addTo(map); }
    tpsLayer = L.layerGroup().addTo(map);
    squadLayer = L.layerGroup().addTo(map);
    incidentLayer = L.layerGroup().addTo(map);
  }

  function drawMap(data) {
    if (!map) { return; }
    tpsLayer.clearLayers(); incidentLayer.clearLayers(); squadLayer.clearLayers();
    var bounds = [];
    (data.tps || []).forEach(function (t) {
      var late = t[4] & 1, silent = t[4] & 2;
      L.circleMarker([t[1], t[2]], {radius: late || silent ? 6 : 4, weight: late || silent ? 2 : 1,
        color: late ? "#c62828" : silent ? "#e0a100" : "#fff", fillColor: STEP_COLORS[t[3] + 1], fillOpacity: 0.9})
        .bindTooltip(tip(t[0] + " — " + (cfg.stepLabels[t[3]] || cfg.noStep))).addTo(tpsLayer);
      bounds.push([t[1], t[2]]);
    });
    (data.incidents || []).forEach(function (i) {
      L.circleMarker([i.lat, i.lon], {radius: 10, weight: 3, color: "#1d2330", fillColor: SEV_COLORS[i.severity] || "#c62828", fillOpacity: 1})
        .bindTooltip(tip("#" + i.id + " " + i.type_label + " (" + i.severity_label + ")")).addTo(incidentLayer);
    });
    (data.reserves || []).forEach(function (s) {
      L.marker([s.lat, s.lon], {icon: L.divIcon({className: "squad-icon squad-" + s.state, html: h("span", null, [s.id]), iconSize: null})})
        .bindTooltip(tip(s.id + " — " + s.state_label)).addTo(squadLayer);
    });
    if (!fitted && bounds.length) { map.fitBounds(bounds, {padding: [20, 20]}); fitted = true; }
  }

  function rows(el, items, render, empty) {
    el.replaceChildren.apply(el, items.length ? items.map(render) : [h("li", {className: "muted"}, [empty])]);
  }

  function incidentRow(i) {
    var actions = [];
    if (cfg.canAct) {
      (i.next || []).forEach(function (to) {
        actions.push(h("button", {type: "button", dataset: {act: "transition", id: i.id, from: i.state, to: to, testid: "to-" + to}},
                       [cfg.stateLabels[to] || to]));
      });
      if (i.can_dispatch) {
        actions.push(h("button", {type: "button", dataset: {act: "propose", id: i.id, testid: "dispatch"}}, [cfg.text.dispatch]));
      }
    }
    return h("li", {className: "incident sev-" + i.severity, dataset: {testid: "incident", id: i.id}}, [
      h("strong", null, ["#" + i.id + " " + i.type_label]), " ",
      h("span", {className: "badge sev-" + i.severity}, [i.severity_label]), " ",
      h("span", {className: "state"}, [i.state_label]), h("br"),
      h("span", {className: "muted"}, [i.where + " · " + i.at_label + (i.squad ? " · " + cfg.text.squad + " " + i.squad : "")]),
      h("br"), i.text,
      h("div", {className: "actions"}, actions),
      proposalBox(i)
    ]);
  }

  // Open dispatch proposals survive a refresh of the list (a live event may redraw it at any moment).
  var proposals = {};

  function proposalBox(i) {
    var box = h("div", {className: "proposal", id: "proposal-" + i.id});
    if (proposals[i.id] && i.can_dispatch) { fillProposal(box, i.id, proposals[i.id]); }
    return box;
  }

  function fillProposal(box, id, p) {
    if (!p.proposed) { box.textContent = cfg.text.noFreeSquad; return; }
    box.replaceChildren(cfg.text.proposal.replace("%(squad)s", p.proposed.squad).replace("%(km)s", p.proposed.distance_km.toFixed(1)) + " ",
      h("button", {type: "button", dataset: {act: "accept", id: id, squad: p.proposed.squad, testid: "accept-dispatch"}}, [cfg.text.accept]));
  }

  function draw(data) {
    $("board-now").textContent = data.now_label;
    $("count-tps").textContent = data.counts.tps;
    $("count-opened").textContent = data.counts.opened;
    $("count-not-opened").textContent = data.counts.not_opened;
    $("count-silent").textContent = data.counts.silent;
    $("count-incidents").textContent = data.counts.open_incidents;
    rows($("alerts"), data.alerts, function (a) {
      return h("li", {className: "alert alert-" + a.kind, dataset: {testid: "alert"}}, [a.text]);
    }, cfg.text.noAlerts);
    rows($("incidents"), data.incidents, incidentRow, cfg.text.noIncidents);
    rows($("districts"), data.districts, function (d) {
      return h("li", {className: "level level-" + d.level, dataset: {testid: "district-level"}}, [
        h("span", {className: "dot"}), d.name + " — " + (LEVEL_LABELS[d.level] || d.level),
        d.reason ? " " : "", d.reason ? h("span", {className: "muted"}, ["(" + d.reason + ")"]) : null
      ]);
    }, "");
    rows($("reserves"), data.reserves, function (s) {
      return h("li", {className: "squad squad-" + s.state}, [
        h("strong", null, [s.id]), " " + s.unit + " — " + s.state_label + (s.incident ? " (#" + s.incident + ")" : "")
      ]);
    }, cfg.text.noReserves);
    rows($("escort"), data.escort || [], function (l) {
      return h("li", {className: "alert alert-escort", dataset: {testid: "escort-late"}}, [l.text]);
    }, cfg.text.noEscort);
    drawMap(data);
  }

  function refresh() {
    refreshTimer = null; lastRefresh = Date.now();
    return fetch(root.dataset.dataUrl, {credentials: "same-origin"})
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) { draw(data); $("board-status").textContent = ""; })
      .catch(function () { $("board-status").textContent = cfg.text.loadFailed; });
  }
  function scheduleRefresh() {
    if (refreshTimer) { return; }
    refreshTimer = setTimeout(refresh, Math.max(0, 1500 - (Date.now() - lastRefresh)));
  }

  function ticker(name, data) {
    var li = document.createElement("li");
    li.setAttribute("data-testid", "ticker-item");
    li.textContent = (data.at_label || "") + " " + (data.text || name);
    var list = $("ticker");
    list.insertBefore(li, list.firstChild);
    while (list.children.length > 50) { list.removeChild(list.lastChild); }
  }

  function connect() {
    if (!window.EventSource) { setInterval(refresh, 10000); return; }
    var source = new EventSource(root.dataset.eventsUrl + "&after=" + lastEventId);
    var live = $("board-live");
    var busy = false;
    source.onopen = function () { busy = false; live.textContent = cfg.text.live; live.className = "live on"; };
    source.onerror = function () {
      if (!busy) { live.textContent = cfg.text.reconnecting; live.className = "live off"; }
    };
    // The server holds only so many live streams: beyond them it answers "busy" and a long retry; reload the data
    // meanwhile, each time the browser asks again.
    source.addEventListener("busy", function () {
      busy = true;
      live.textContent = cfg.text.busy; live.className = "live off";
      scheduleRefresh();
    });
    cfg.eventKinds.forEach(function (kind) {
      source.addEventListener(kind, function (e) {
        lastEventId = parseInt(e.lastEventId, 10) || lastEventId;
        var data = {}; try { data = JSON.parse(e.data); } catch (err) { data = {}; }
        ticker(kind, data);
        scheduleRefresh();
      });
    });
  }

  root.addEventListener("click", function (e) {
    var b = e.target.closest("button[data-act]");
    if (!b) { return; }
    var id = b.dataset.id;
    b.disabled = true;
    var done = function () { b.disabled = false; scheduleRefresh(); };
    var fail = function (err) { b.disabled = false; alert(err.message); };
    if (b.dataset.act === "transition") {
      var note = b.dataset.to === "rejected" ? prompt(cfg.text.rejectNote) : "";
      if (b.dataset.to === "rejected" && !note) { b.disabled = false; return; }
      api("POST", "/incidents/" + id + "/transitions", {to: b.dataset.to, note: note || "", expected: b.dataset.from}).then(done, fail);
    } else if (b.dataset.act === "propose") {
      api("GET", "/incidents/" + id + "/dispatch").then(function (p) {
        proposals[id] = p;
        var box = $("proposal-" + id);
        if (box) { fillProposal(box, id, p); }
        b.disabled = false;
      }, fail);
    } else if (b.dataset.act === "accept") {
      delete proposals[id];
      api("POST", "/incidents/" + id + "/dispatch", {squad: b.dataset.squad}).then(done, fail);
    }
  });

  lastEventId = parseInt(root.dataset.lastEvent, 10) || 0;
  refresh().then(connect);
  setInterval(scheduleRefresh, 60000);  // time alone makes TPS late or silent and escort legs overdue
})();
