/* Siaga vulnerability map: TPS coloured by category, clustered; server grid clusters for big areas.
   Leaflet and MarkerCluster are served by Siaga itself; tiles only when SIAGA_TILE_URL is set. */
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }
  var cfg = JSON.parse(document.getElementById("map-config").textContent);
  var COLORS = {belum_dinilai: "#8a8f99", kurang_rawan: "#2e9e4f", rawan: "#e0a100", khusus: "#7b3fb0", sangat_rawan: "#c62828"};
  var cats = cfg.categories;
  var map = L.map(el, {preferCanvas: true, maxZoom: 19, minZoom: 4}).setView([-2.5, 118], 5);
  map.attributionControl.setPrefix("Leaflet");  // no outside link
  if (cfg.tileUrl) {
    L.tileLayer(cfg.tileUrl, {maxZoom: 19}).addTo(map);
  }
  var cluster = L.markerClusterGroup({
    disableClusteringAtZoom: 16, chunkedLoading: true, showCoverageOnHover: false,
    iconCreateFunction: function (c) {
      var worst = 0;
      c.getAllChildMarkers().forEach(function (m) { if (m.options.cat > worst) { worst = m.options.cat; } });
      return bubble(c.getChildCount(), worst);
    }
  }).addTo(map);
  var grid = L.layerGroup().addTo(map);
  var posts = L.layerGroup();  // shown from POST_ZOOM on, where they no longer hide the TPS
  var POST_ZOOM = 14;
  var labels = L.layerGroup().addTo(map);
  var status = document.getElementById("map-status");
  var panel = document.getElementById("panel");
  var panelBody = document.getElementById("panel-body");
  var first = true, timer = null, seq = 0;
  var h = Siaga.h, tip = Siaga.tip;  // data goes into the DOM as text only (siaga/page.js)

  function bubble(count, worst) {
    var size = count < 100 ? 30 : count < 1000 ? 38 : 46;
    return L.divIcon({className: "gridcluster size-" + size, iconSize: [size, size], iconAnchor: [size / 2, size / 2],
      html: h("div", {className: "cat-" + cats[worst]}, [String(count)])});
  }

  function filters() {
    var form = document.getElementById("map-filters");
    var params = new URLSearchParams();
    new FormData(form).forEach(function (v, k) { if (v) { params.set(k, v); } });
    return params;
  }
  function load() {
    var params = filters();
    if (!first) {
      var b = map.getBounds();
      params.set("bbox", [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()].map(function (x) { return x.toFixed(5); }).join(","));
      params.set("zoom", map.getZoom());
    }
    var mine = ++seq;
    status.textContent = "…";
    fetch(el.dataset.url + "?" + params.toString(), {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (data) { if (mine === seq) { draw(data); } })
      .catch(function () { status.textContent = cfg.text.mapFailed; });
  }
  function draw(data) {
    cluster.clearLayers(); grid.clearLayers(); posts.clearLayers(); labels.clearLayers();
    (data.districts || []).forEach(function (d) {
      L.marker([d[1], d[2]], {interactive: false, icon: L.divIcon({className: "district-label", html: h("span", null, [d[0]]), iconSize: null})}).addTo(labels);
    });
    if (data.mode === "clusters") {
      data.clusters.forEach(function (c) {
        var m = L.marker([c[0], c[1]], {icon: bubble(c[2], c[3])});
        m.on("click", function () { map.setView([c[0], c[1]], Math.min(map.getZoom() + 2, 18)); });
        grid.addLayer(m);
      });
    } else {
      var markers = data.points.map(function (p) {
        var m = L.circleMarker([p[1], p[2]], {radius: 6, weight: 1, color: "#fff", fillColor: COLORS[cats[p[3]]], fillOpacity: 0.95, cat: p[3]});
        m.on("click", function () { openTps(p[0]); });
        m.bindTooltip(tip(p[0]));
        return m;
      });
      cluster.addLayers(markers);
      (data.posts || []).forEach(function (p) {
        L.circleMarker([p[1], p[2]], {radius: 4, weight: 2, color: "#1d2330", fillColor: "#fff", fillOpacity: 1})
          .bindTooltip(tip(p[0] + " (" + p[4] + " TPS)")).addTo(posts);
      });
    }
    status.textContent = data.count + " TPS" + (data.mode === "clusters" ? " (" + cfg.text.clustered + ")" : "");
    if (first) {
      first = false;
      if (data.bounds) { map.fitBounds([[data.bounds[0], data.bounds[1]], [data.bounds[2], data.bounds[3]]], {padding: [20, 20]}); }
      else { load(); }
    }
  }
  function openTps(code) {
    fetch(el.dataset.tpsUrl + encodeURIComponent(code) + "/?partial=1", {credentials: "same-origin"})
      .then(function (r) { return r.text(); })
      .then(function (html) { Siaga.fill(panelBody, html); panel.hidden = false; map.invalidateSize(); });
  }
  document.getElementById("panel-close").addEventListener("click", function () { panel.hidden = true; map.invalidateSize(); });
  map.on("zoomend", function () {
    if (map.getZoom() >= POST_ZOOM) { posts.addTo(map); } else { posts.remove(); }
  });
  map.on("moveend", function () { clearTimeout(timer); timer = setTimeout(load, 250); });
  load();
  if (el.dataset.open) { openTps(el.dataset.open); }
}());
