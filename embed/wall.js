/* technopolys wall of members — https://github.com/technopolys/technopolys
 * <div data-technopolys-wall data-lang="fr" data-region="Laval" data-limit="12"></div>
 * <script src="https://TECHNOPOLYS/embed/wall.js" async></script>
 * Dependency-free. It draws inside a shadow root of each element and
 * changes nothing on the page outside them. */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script ? new URL(script.src).origin : "";
  var words = {
    fr: { list: "Membres de technopolys", empty: "Aucune entreprise membre pour l\u2019instant", one: "Nouveau membre\u00a0: ", many: "Nouveaux membres\u00a0: ", all: "Tous les membres de technopolys" },
    en: { list: "Members of technopolys", empty: "No member companies yet", one: "New member: ", many: "New members: ", all: "All members of technopolys" }
  };
  var css = ":host{display:block}" +
    "ul{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(13em,1fr));gap:.5em}" +
    "li{background:#E8EDF5;color:#4A5568;border-radius:6px;padding:.6em .8em;line-height:1.3;overflow-wrap:anywhere}" +
    "a{color:#1A2B4C;font-weight:700;text-decoration:none}a:hover,a:focus{text-decoration:underline}" +
    "a:focus-visible{outline:2px solid #003DA5;outline-offset:2px}" +
    "span{display:block;font-size:.85em}p{margin:0}.by{margin-top:.5em;font-size:.9em}.by a{color:#003DA5;text-decoration:underline}" +
    ".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}" +
    ".new{animation:tp-in .6s ease-out}@keyframes tp-in{from{opacity:0;transform:translateY(-.4em)}}" +
    "@media (prefers-reduced-motion:reduce){.new{animation:none}}" +
    "@media (prefers-color-scheme:dark){li{background:#1C2230;color:#B4BCC8}a,.by a{color:#E6EBF4}a:focus-visible{outline-color:#9CC0FF}}";
  var walls = [];

  function lang(el) {
    var l = (el.getAttribute("data-lang") || document.documentElement.lang || navigator.language || "fr").slice(0, 2).toLowerCase();
    return l === "en" ? "en" : "fr";
  }

  // regionKey turns a region's name into its key, as counter.js does.
  function regionKey(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim().replace(/[^a-z0-9]+/g, "-");
  }

  function make(tag, parent, text) {
    var e = document.createElement(tag);
    if (text) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }

  // styleRoot gives the shadow root its style: a constructed sheet where
  // the browser has them (no inline style for the page's CSP to refuse),
  // a <style> otherwise.
  function styleRoot(root) {
    try {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      root.adoptedStyleSheets = [sheet];
    } catch (err) {
      make("style", root, css);
    }
  }

  function setup(el) {
    if (el.__technopolys || !el.attachShadow) return;
    el.__technopolys = true;
    var w = { el: el, lang: lang(el), shown: null, timer: 0 };
    var limit = parseInt(el.getAttribute("data-limit"), 10);
    w.query = "limit=" + (limit >= 1 ? Math.min(limit, 100) : 24);
    var region = regionKey(el.getAttribute("data-region") || "");
    if (region) w.query += "&region=" + encodeURIComponent(region);
    var root = el.attachShadow({ mode: "open" });
    styleRoot(root);
    w.list = make("ul", root);
    w.list.setAttribute("aria-label", words[w.lang].list);
    // The wall says whose it is, and leads to the whole directory.
    var by = make("a", make("p", root), words[w.lang].all);
    by.parentNode.className = "by";
    by.href = base + "/members?lang=" + w.lang;
    w.status = make("p", root);
    w.status.className = "sr";
    w.status.setAttribute("role", "status");
    w.status.setAttribute("aria-live", "polite");
    walls.push(w);
    load(w);
  }

  function load(w) {
    fetch(base + "/widget/wall.json?" + w.query, { credentials: "omit", cache: "no-cache" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (page) { if (page) show(w, page.members || []); })
      .catch(function () {});
  }

  // show draws the members, marks and announces the ones not shown before
  // (none on the first drawing: nobody is new to a reader who just came).
  function show(w, members) {
    var t = words[w.lang], fresh = [], before = w.shown;
    w.shown = {};
    w.list.textContent = "";
    members.forEach(function (m) {
      w.shown[m.slug] = true;
      var li = make("li", w.list);
      var a = make("a", li, m.name);
      a.href = m.url;
      make("span", li, m.region);
      if (before && !before[m.slug]) {
        li.className = "new";
        fresh.push(m.name);
      }
    });
    if (!members.length) make("li", w.list, t.empty);
    if (fresh.length) w.status.textContent = (fresh.length === 1 ? t.one : t.many) + fresh.join(", ");
  }

  // changed re-reads every wall soon after the counts move: the stream
  // says how many members there are, the wall says who.
  function changed() {
    walls.forEach(function (w) {
      clearTimeout(w.timer);
      w.timer = setTimeout(function () { load(w); }, 300);
    });
  }

  var polling = 0;
  function poll() {
    if (!polling) polling = setInterval(changed, 30000);
  }

  function listen() {
    if (typeof EventSource !== "function") return poll();
    var es = new EventSource(base + "/api/v1/stats/stream");
    // Each event is a new state of the counts (the first may be newer than
    // the walls' first load); a wall that did not change costs a 304.
    es.addEventListener("counts", changed);
    es.onerror = function () {
      if (es.readyState === EventSource.CLOSED) poll();
    };
  }

  function start() {
    var els = document.querySelectorAll("[data-technopolys-wall]");
    for (var i = 0; i < els.length; i++) setup(els[i]);
    if (walls.length) listen();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
