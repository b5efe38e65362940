/* Siaga field page: TPS status steps and incidents from a phone, through a queue in localStorage.
 *
 * Every report gets a client id at tap time and is stored in the queue before anything is sent. The queue is
 * sent in order, each item with its client id as Idempotency-Key, and resent (back-off, on "online", on return
 * to the page) until the server acknowledges it (201 stored, 200 already stored). So a double tap, a timeout or
 * an offline hour stores a report exactly once. A refusal (4xx) stops resending that item and says why; 401
 * (session ended) keeps the queue until the user logs in again.
 */
(function () {
  "use strict";

  var cfg = JSON.parse(document.getElementById("field-config").textContent);
  var M = cfg.messages;
  var KEY = "siaga.queue." + cfg.user;
  var KEEP_DONE = 30;
  var TAP_LOCK_MS = 1500;
  var TIMEOUT_MS = 15000;
  var stepLabel = {};
  var stepOrder = {};
  cfg.steps.forEach(function (s, i) { stepLabel[s[0]] = s[1]; stepOrder[s[0]] = i; });
  var server = {};
  cfg.tps.forEach(function (t) { server[t.code] = t; });
  var backoff = 2000, timer = null, flushing = false, authProblem = false;

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);  // also on plain http, where randomUUID is missing
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }

  function save(items) {
    var done = items.filter(function (i) { return i.state === "sent" || i.state === "failed"; });
    var drop = done.slice(0, Math.max(0, done.length - KEEP_DONE)).map(function (i) { return i.id; });
    items = items.filter(function (i) { return drop.indexOf(i.id) < 0; });
    localStorage.setItem(KEY, JSON.stringify(items));  // may throw (storage full): callers say so
  }

  function update(id, changes) {
    var items = load();
    items.forEach(function (i) { if (i.id === id) Object.keys(changes).forEach(function (k) { i[k] = changes[k]; }); });
    save(items);
  }

  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (m) return decodeURIComponent(m[1]);
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function enqueue(item) {
    item.id = item.id || uuid();
    item.created = new Date().toISOString();
    item.state = "queued";
    var items = load();
    if (items.some(function (i) { return i.id === item.id; })) return true;
    items.push(item);
    try { save(items); } catch (e) { message(M.storage_full, true); return false; }
    render();
    flush();
    return true;
  }

  // --- sending -----------------------------------------------------------------------------------------
  function send(item) {
    var ctrl = window.AbortController ? new AbortController() : null;
    var t = setTimeout(function () { if (ctrl) ctrl.abort(); }, TIMEOUT_MS);
    return fetch(item.url, {
      method: "POST", credentials: "same-origin", signal: ctrl ? ctrl.signal : undefined,
      headers: {"Content-Type": "application/json", "Accept": "application/json", "Idempotency-Key": item.id,
                "X-CSRFToken": csrf()},
      body: JSON.stringify(item.body)
    }).then(function (res) {
      clearTimeout(t);
      if (res.status === 200 || res.status === 201) return {state: "sent"};
      if (res.status === 401) return {state: "auth"};
      if (res.status === 429 || res.status >= 500) return {state: "retry"};
      return res.json().then(function (body) {
        return {state: "failed", error: (body.error && body.error.message) || String(res.status)};
      }, function () { return {state: "failed", error: String(res.status)}; });
    }, function () { clearTimeout(t); return {state: "retry"}; });
  }

  function flush() {
    if (flushing) return;
    clearTimeout(timer);
    var next = load().filter(function (i) { return i.state === "queued" || i.state === "sending"; })[0];
    if (!next) { backoff = 2000; render(); return; }
    flushing = true;
    update(next.id, {state: "sending"});
    render();
    send(next).then(function (r) {
      flushing = false;
      if (r.state === "sent" || r.state === "failed") {
        update(next.id, {state: r.state, error: r.error || "", done: new Date().toISOString()});
        authProblem = false; backoff = 2000;
        flush();
        return;
      }
      update(next.id, {state: "queued", tries: (next.tries || 0) + 1});
      authProblem = r.state === "auth";
      timer = setTimeout(flush, backoff);
      backoff = Math.min(backoff * 2, 60000);
      render();
    });
  }

  // --- reports -------------------------------------------------------------------------------------------
  function current(code) {
    var best = server[code] && server[code].step ? {step: server[code].step, at: server[code].at, pending: false} : null;
    load().forEach(function (i) {
      if (i.kind !== "status" || i.tps !== code || i.state === "failed") return;
      if (!best || Date.parse(i.body.at) >= Date.parse(best.at)) {
        best = {step: i.body.status, at: i.body.at, pending: i.state !== "sent"};
      }
    });
    return best;
  }

  function reportStep(code, step, note) {
    var body = {status: step, at: new Date().toISOString(), operation: cfg.operation};
    if (note) body.note = note;
    return enqueue({kind: "status", tps: code, label: stepLabel[step], body: body,
                    url: cfg.api + "/tps/" + encodeURIComponent(code) + "/status"});
  }

  function lockButton(btn) {
    btn.disabled = true;  // a double tap within the lock is one report
    setTimeout(function () { btn.disabled = false; render(); }, TAP_LOCK_MS);
  }

  document.querySelectorAll(".tps-card").forEach(function (card) {
    var code = card.getAttribute("data-tps");
    card.querySelector("[data-action=next]").addEventListener("click", function (ev) {
      var btn = ev.currentTarget;
      if (btn.disabled) return;
      var now = current(code);
      var next = cfg.steps[now ? stepOrder[now.step] + 1 : 0];
      if (!next) return;
      lockButton(btn);
      reportStep(code, next[0], "");
    });
    card.querySelector("[data-action=correct]").addEventListener("click", function (ev) {
      var btn = ev.currentTarget;
      if (btn.disabled) return;
      lockButton(btn);
      var note = card.querySelector("[data-role=note]");
      reportStep(code, card.querySelector("[data-role=step]").value, note.value.trim());
      note.value = "";
      card.querySelector("details").open = false;
    });
  });

  function shrink(file) {
    return new Promise(function (resolve, reject) {
      var img = new Image();
      var url = URL.createObjectURL(file);
      img.onload = function () {
        URL.revokeObjectURL(url);
        var tries = [[1280, 0.7], [960, 0.6], [720, 0.5]];
        for (var k = 0; k < tries.length; k++) {
          var scale = Math.min(1, tries[k][0] / Math.max(img.width, img.height));
          var c = document.createElement("canvas");
          c.width = Math.round(img.width * scale); c.height = Math.round(img.height * scale);
          c.getContext("2d").drawImage(img, 0, 0, c.width, c.height);
          var data = c.toDataURL("image/jpeg", tries[k][1]);
          if (data.length < 1900000) { resolve(data); return; }
        }
        reject(new Error(M.photo_big));
      };
      img.onerror = function () { URL.revokeObjectURL(url); reject(new Error(M.photo_big)); };
      img.src = url;
    });
  }

  var form = document.getElementById("incident-form");
  if (form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var submit = form.querySelector("[type=submit]");
      if (submit.disabled) return;
      submit.disabled = true;
      var id = uuid();  // made at tap time, before the photo is read
      var body = {type: form.type.value, severity: form.severity.value, text: form.text.value.trim(),
                  tps: form.tps.value, at: new Date().toISOString(), operation: cfg.operation};
      var file = form.photo.files && form.photo.files[0];
      (file ? shrink(file) : Promise.resolve(null)).then(function (photo) {
        if (photo) body.photo = photo;
        if (enqueue({id: id, kind: "incident", tps: body.tps, label: form.type.options[form.type.selectedIndex].text,
                     body: body, url: cfg.api + "/incidents"})) form.reset();
      }, function (e) { message(e.message, true); }).then(function () { submit.disabled = false; });
    });
  }

  // --- display -------------------------------------------------------------------------------------------
  function message(text, problem) {
    var el = document.getElementById("queue-msg");
    el.textContent = text || "";
    document.getElementById("queue").classList.toggle("problem", !!problem);
  }

  function render() {
    var items = load();
    var waiting = items.filter(function (i) { return i.state === "queued" || i.state === "sending"; });
    var queue = document.getElementById("queue");
    document.getElementById("queue-count").textContent = String(waiting.length);
    queue.classList.toggle("offline", !navigator.onLine);
    queue.classList.toggle("pending", waiting.length > 0);
    queue.setAttribute("data-pending", String(waiting.length));
    document.getElementById("net").textContent = navigator.onLine ? M.online : M.offline;
    if (authProblem) message(M.login, true);
    else if (!document.getElementById("queue-msg").textContent || !waiting.length) message("", false);

    document.querySelectorAll(".tps-card").forEach(function (card) {
      var code = card.getAttribute("data-tps");
      var now = current(code);
      var nowEl = card.querySelector(".now");
      nowEl.replaceChildren();
      var b = document.createElement("b");
      b.textContent = now ? stepLabel[now.step] : M.none;
      nowEl.appendChild(b);
      if (now) nowEl.appendChild(document.createTextNode(" · " + new Date(now.at).toLocaleTimeString() +
                                                         (now.pending ? " · " + M.queued : "")));
      nowEl.classList.toggle("pending", !!(now && now.pending));
      var btn = card.querySelector("[data-action=next]");
      var next = cfg.steps[now ? stepOrder[now.step] + 1 : 0];
      btn.textContent = next ? M.next + ": " + next[1] : M.done;
      if (!next) btn.disabled = true;
      btn.setAttribute("data-next", next ? next[0] : "");
    });

    var log = document.getElementById("queue-log");
    log.replaceChildren();
    items.slice().reverse().forEach(function (i) {
      var li = document.createElement("li");
      li.setAttribute("data-testid", "queue-item");
      li.setAttribute("data-state", i.state);
      var what = document.createElement("span");
      what.textContent = (i.kind === "status" ? M.status : M.incident) + " " + i.tps + ": " + i.label;
      var when = document.createElement("span");
      when.className = "meta";
      when.textContent = new Date(i.created).toLocaleTimeString();
      var st = document.createElement("span");
      st.className = "st-" + i.state;
      st.textContent = M[i.state] + (i.error ? " — " + i.error : "");
      li.appendChild(what); li.appendChild(when); li.appendChild(st);
      log.appendChild(li);
    });
  }

  window.addEventListener("online", function () { backoff = 2000; flush(); });
  window.addEventListener("offline", render);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) flush(); });
  window.addEventListener("storage", function (e) { if (e.key === KEY) render(); });
  document.getElementById("queue-flush").addEventListener("click", function () { backoff = 2000; flush(); });
  // an item left "sending" by a closed page is simply sent again: the server stores it once
  render();
  flush();
})();
