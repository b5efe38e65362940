/* Siaga: what every page shares. Loaded by web/base.html before the page's own script.

   The Content-Security-Policy forbids inline script and inline style (docs/web.md), so the page behaviour that
   used to sit in onchange= and style= attributes lives here, and the page scripts build their DOM from data
   with Siaga.h (text nodes only: data never becomes markup). */
(function () {
  "use strict";

  // h("li", {className: "x", dataset: {id: 3}, title: "…"}, ["text", childNode]): an element whose text and
  // attributes come from data. Strings become text nodes; nothing is parsed as HTML.
  function h(tag, props, children) {
    var el = document.createElement(tag);
    Object.keys(props || {}).forEach(function (k) {
      var v = props[k];
      if (v === null || v === undefined || v === false) { return; }
      if (k === "className") { el.className = String(v); }
      else if (k === "dataset") { Object.keys(v).forEach(function (d) { el.dataset[d] = String(v[d]); }); }
      else if (k === "style" || k.slice(0, 2).toLowerCase() === "on") { throw new Error("Siaga.h: no " + k); }
      else { el.setAttribute(k, String(v)); }
    });
    append(el, children);
    return el;
  }
  function append(el, children) {
    (Array.isArray(children) ? children : [children]).forEach(function (c) {
      if (c === null || c === undefined || c === false || c === "") { return; }
      el.appendChild(typeof c === "object" ? c : document.createTextNode(String(c)));
    });
    return el;
  }
  // Leaflet tooltips take a string as HTML: give them a function that returns a text-only element instead.
  function tip(text) {
    return function () { return h("span", null, [text]); };
  }
  // Server-rendered partial (Django template, escaped there) into a panel: parsed inert, then moved in.
  function fill(target, html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    target.replaceChildren.apply(target, Array.prototype.slice.call(doc.body.childNodes));
  }
  window.Siaga = {h: h, append: append, tip: tip, fill: fill};

  // <select data-submit> submits its form when changed; data-clear="a b" first empties those fields of the form.
  document.addEventListener("change", function (ev) {
    var el = ev.target;
    if (!el.matches || !el.matches("select[data-submit]") || !el.form) { return; }
    (el.dataset.clear || "").split(/\s+/).forEach(function (name) {
      var field = name && el.form.elements[name];
      if (field) { field.value = ""; }
    });
    el.form.submit();
  });

  // <span data-width="42">: a bar 42 % wide (set through the DOM: the CSP blocks style= attributes).
  document.querySelectorAll("[data-width]").forEach(function (el) {
    var w = parseFloat(el.dataset.width);
    el.style.width = (isFinite(w) ? Math.max(0, Math.min(100, w)) : 0) + "%";
  });
}());
