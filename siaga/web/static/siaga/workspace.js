/* Siaga plan workspace: posts of one plan version on the map (coloured by category, with their TPS), a post's
   panel on click, and the re-plan job's progress bar (polls the API's job route, /api/v1/jobs/ID, every second).
   Leaflet is served by Siaga itself; tiles only when SIAGA_TILE_URL is set. */
(function () {
  "use strict";
  var cfgEl = document.getElementById("ws-config");
  if (!cfgEl) { return; }
  var cfg = JSON.parse(cfgEl.textContent);
  var COLORS = {kurang_rawan: "#2e9e4f", rawan: "#e0a100", sangat_rawan: "#c62828", khusus: "#7b3fb0"};
  var TPS_ZOOM = 13;

  // --- re-plan job ------------------------------------------------------------------------------------
  var jobEl = document.getElementById("job");
  var bar = jobEl && jobEl.querySelector("progress");
  var text = document.getElementById("job-text");
  var errorEl = document.getElementById("job-error");
  var done = document.getElementById("job-done");
  var doneLink = document.getElementById("job-done-link");
  var form = document.getElementById("replan-form");
  var button = form && form.querySelector("button");

  function showJob(job) {
    jobEl.hidden = false;
    jobEl.dataset.jobId = job.id;
    jobEl.dataset.state = job.state;
    bar.value = job.progress;
    text.textContent = job.state_label + " · " + job.stage_label + " (" + Math.round(job.progress * 100) + "%)";
    errorEl.hidden = !job.message;
    errorEl.textContent = job.message || "";
    var finished = job.state === "done" || job.state === "failed";
    if (button) { button.disabled = !finished; }
    var url = job.url || (job.version ? "?operation=" + job.operation + "&version=" + job.version : "");
    if (job.state === "done" && url) {
      doneLink.href = url;
      doneLink.textContent = doneLink.textContent.replace(/ v\d+$/, "") + " v" + job.version;
      done.hidden = false;
    }
    return finished;
  }
  function poll(id) {
    fetch(cfg.jobUrl.replace("__JOB__", id), {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (r) {
        if (r.status === 401) {  // the session ended: say so instead of polling a login form
          errorEl.hidden = false;
          errorEl.textContent = cfg.text.sessionExpired;
          return null;
        }
        if (!r.ok) { throw new Error(r.status); }
        return r.json();
      })
      .then(function (job) { if (job && !showJob(job)) { setTimeout(function () { poll(id); }, 1000); } })
      .catch(function () { setTimeout(function () { poll(id); }, 3000); });
  }
  if (form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      button.disabled = true;
      var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
      fetch(form.action, {method: "POST", body: new FormData(form), credentials: "same-origin",
                          headers: {Accept: "application/json", "X-CSRFToken": token}})
        .then(function (r) { return r.json().then(function (body) { return {status: r.status, body: body}; }); })
        .then(function (res) {
          if (res.status === 202) { done.hidden = true; showJob(res.body); poll(res.body.id); return; }
          jobEl.hidden = false;
          errorEl.hidden = false;
          errorEl.textContent = (res.body.error && res.body.error.message) || ("HTTP " + res.status);
          button.disabled = false;
        })
        .catch(function () { button.disabled = false; errorEl.hidden = false; errorEl.textContent = cfg.text.serverDown; });
    });
  }
  if (jobEl && jobEl.dataset.jobId && jobEl.dataset.state !== "done" && jobEl.dataset.state !== "failed") {
    poll(jobEl.dataset.jobId);
  }

  // --- map --------------------------------------------------------------------------------------------
  var el = document.getElementById("ws-map");
  if (!el || !window.L) { return; }
  var map = L.map(el, {preferCanvas: true, maxZoom: 19, minZoom: 4}).setView([-2.5, 118], 5);
  map.attributionControl.setPrefix("Leaflet");  // no outside link
  if (cfg.tileUrl) { L.tileLayer(cfg.tileUrl, {maxZoom: 19}).addTo(map); }
  var tpsLayer = L.layerGroup();
  var postLayer = L.layerGroup().addTo(map);
  var linkLayer = L.layerGroup().addTo(map);
  var status = document.getElementById("ws-status");
  var panel = document.getElementById("panel");
  var panelBody = document.getElementById("panel-body");
  var data = null;
  var h = Siaga.h, tip = Siaga.tip;  // data goes into the DOM as text only (siaga/page.js)

  function color(cat) { return COLORS[data.categories[cat]] || "#8a8f99"; }

  function fillPicker() {
    var list = document.getElementById("post-ids");
    var picker = document.getElementById("post-picker");
    if (!list || !picker) { return; }
    list.replaceChildren.apply(list, data.posts.map(function (p) { return h("option", {value: p[0]}); }));
    picker.addEventListener("submit", function (ev) {
      var id = picker.elements.post.value.trim();
      if (!id) { return; }
      ev.preventDefault();
      openPost(id);
      data.posts.forEach(function (p) { if (p[0] === id) { map.setView([p[1], p[2]], Math.max(map.getZoom(), 15)); } });
    });
  }
  function draw() {
    fillPicker();
    data.tps.forEach(function (t) {
      L.circleMarker([t[1], t[2]], {radius: 3, weight: 0, fillColor: color(t[4]), fillOpacity: 0.8})
        .bindTooltip(tip(t[0])).addTo(tpsLayer);
    });
    data.posts.forEach(function (p) {
      var m = L.circleMarker([p[1], p[2]], {radius: 6, weight: p[5] ? 3 : 1.5, color: p[5] ? "#7f0000" : "#1d2330",
                                            fillColor: color(p[3]), fillOpacity: 0.95});
      m.bindTooltip(tip(p[0] + " · " + p[4] + " TPS" + (p[5] ? " · kurang " + p[5] : "")));
      m.on("click", function () { openPost(p[0]); });
      m.addTo(postLayer);
    });
    status.textContent = data.posts.length + " " + cfg.text.posts + " · " + data.tps.length + " TPS";
    if (data.bounds) { map.fitBounds([[data.bounds[0], data.bounds[1]], [data.bounds[2], data.bounds[3]]], {padding: [20, 20]}); }
    toggleTps();
    if (cfg.open) { highlight(cfg.open); }
  }
  function toggleTps() {
    if (map.getZoom() >= TPS_ZOOM || data.tps.length < 2000) { tpsLayer.addTo(map); } else { tpsLayer.remove(); }
  }
  function highlight(postId) {
    linkLayer.clearLayers();
    if (!data) { return; }
    var idx = -1;
    data.posts.forEach(function (p, i) { if (p[0] === postId) { idx = i; } });
    if (idx < 0) { return; }
    var post = data.posts[idx];
    data.tps.forEach(function (t) {
      if (t[3] === idx) {
        L.polyline([[post[1], post[2]], [t[1], t[2]]], {color: "#1f4e8c", weight: 2, interactive: false}).addTo(linkLayer);
        L.circleMarker([t[1], t[2]], {radius: 5, weight: 2, color: "#1f4e8c", fillColor: color(t[4]), fillOpacity: 1,
                                      interactive: false}).addTo(linkLayer);
      }
    });
  }
  function openPost(id) {
    fetch(cfg.panelUrl.replace("__POST__", encodeURIComponent(id)), {credentials: "same-origin"})
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.text(); })
      .then(function (html) {
        Siaga.fill(panelBody, html);
        panel.hidden = false;
        map.invalidateSize();
        highlight(id);
        var url = new URL(window.location.href);
        url.searchParams.set("post", id);
        window.history.replaceState(null, "", url.toString());
      })
      .catch(function () { status.textContent = cfg.text.postMissing.replace("%(id)s", id); });
  }
  document.getElementById("panel-close").addEventListener("click", function () {
    panel.hidden = true; linkLayer.clearLayers(); map.invalidateSize();
  });
  map.on("zoomend", function () { if (data) { toggleTps(); } });
  fetch(cfg.dataUrl, {credentials: "same-origin"})
    .then(function (r) { return r.json(); })
    .then(function (body) { data = body; draw(); })
    .catch(function () { status.textContent = cfg.text.mapFailed; });
}());
