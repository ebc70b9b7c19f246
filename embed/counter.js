/* technopolys live member counter — https://github.com/technopolys/technopolys
 * <div data-technopolys-counter data-lang="fr" data-region="Laval"></div>
 * <script src="https://TECHNOPOLYS/embed/counter.js" async></script>
 * Dependency-free. It changes nothing on the page outside its elements. */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script ? new URL(script.src).origin : "";
  var labels = {
    fr: ["entreprise membre", "entreprises membres"],
    en: ["member company", "member companies"]
  };
  var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var widgets = [];

  function lang(el) {
    var l = (el.getAttribute("data-lang") || document.documentElement.lang || navigator.language || "fr").slice(0, 2).toLowerCase();
    return l === "en" ? "en" : "fr";
  }

  // regionKey turns a region's name ("Capitale-Nationale",
  // "Saguenay–Lac-Saint-Jean") into its key ("capitale-nationale"): every
  // key is its name without accents, in lower case, dashes for the rest.
  // A key is left as it is.
  function regionKey(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim().replace(/[^a-z0-9]+/g, "-");
  }

  function setup(el) {
    if (el.__technopolys) return;
    el.__technopolys = true;
    el.setAttribute("role", "status");
    el.setAttribute("aria-live", "polite");
    el.setAttribute("aria-atomic", "true");
    var w = { el: el, lang: lang(el), region: regionKey(el.getAttribute("data-region") || ""), shown: null, timer: 0 };
    w.format = new Intl.NumberFormat(w.lang === "fr" ? "fr-CA" : "en-CA");
    widgets.push(w);
  }

  // text says n with the singular or plural label: French takes the
  // singular below 2 (« 0 entreprise membre »), English for 1 only.
  function text(w, n) {
    var one = w.lang === "fr" ? n < 2 : n === 1;
    return w.format.format(n) + "\u00a0" + labels[w.lang][one ? 0 : 1];
  }

  // show writes the number, debounced so that a screen reader announces
  // the settled value once, and counts up unless motion is reduced.
  function show(w, n) {
    clearTimeout(w.timer);
    w.timer = setTimeout(function () {
      var from = w.shown;
      w.shown = n;
      if (still || from === null || from === n || typeof requestAnimationFrame !== "function") {
        w.el.textContent = text(w, n);
        return;
      }
      var start = null;
      w.el.setAttribute("aria-busy", "true");
      requestAnimationFrame(function step(t) {
        if (start === null) start = t;
        var k = Math.min(1, (t - start) / 600);
        w.el.textContent = text(w, Math.round(from + (n - from) * k));
        if (k < 1 && w.shown === n) requestAnimationFrame(step);
        else w.el.removeAttribute("aria-busy");
      });
    }, 300);
  }

  function update(counts) {
    widgets.forEach(function (w) {
      var n = w.region ? counts.by_region && counts.by_region[w.region] : counts.members;
      if (typeof n === "number") show(w, n);
    });
  }

  var polling = 0;
  function poll() {
    if (polling) return;
    var get = function () {
      fetch(base + "/widget/count.json", { credentials: "omit" })
        .then(function (r) { return r.json(); }).then(update).catch(function () {});
    };
    get();
    polling = setInterval(get, 30000);
  }

  function listen() {
    if (typeof EventSource !== "function") return poll();
    var es = new EventSource(base + "/api/v1/stats/stream");
    es.addEventListener("counts", function (e) {
      try { update(JSON.parse(e.data)); } catch (err) { /* ignore a bad event */ }
    });
    es.onerror = function () {
      // EventSource retries by itself; when it gives up, poll instead.
      if (es.readyState === EventSource.CLOSED) poll();
    };
  }

  function start() {
    var els = document.querySelectorAll("[data-technopolys-counter]");
    for (var i = 0; i < els.length; i++) setup(els[i]);
    if (widgets.length) listen();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
