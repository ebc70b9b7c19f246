// The staff console: a thin page over the admin API. It rides on the staff
// session's cookie, and sends the session's form token with every request
// (X-CSRF-Token); every value from the API is written with textContent, so
// nothing a member typed becomes markup.
(function () {
  "use strict";
  var root = document.getElementById("console");
  var say = root.dataset;
  var list = document.getElementById("list");
  var message = document.getElementById("message");
  var status = "pending";
  var lang = root.dataset.lang;

  function api(method, path, body) {
    return fetch(path + (path.indexOf("?") < 0 ? "?" : "&") + "lang=" + say.lang, {
      method: method,
      headers: { "X-CSRF-Token": say.csrf, "Content-Type": "application/json" },
      credentials: "same-origin",
      body: body ? JSON.stringify(body) : undefined
    }).then(function (res) {
      return res.json().then(function (data) {
        if (res.status === 401) { window.location.href = "/admin/signin?lang=" + lang; throw new Error(say.unauthorized); }
        if (!res.ok) { throw new Error(data.error); }
        return data;
      });
    });
  }

  function cell(row, text) {
    var td = document.createElement("td");
    td.textContent = text;
    row.appendChild(td);
    return td;
  }

  function button(td, label, action, id, needsReason) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.addEventListener("click", function () {
      var body = {};
      if (needsReason) {
        body.reason = window.prompt(say.reason) || "";
        if (!body.reason) { return; }
      }
      api("POST", "/api/v1/admin/members/" + id + "/" + action, body)
        .then(function (m) { message.textContent = m.name + (lang === "fr" ? "\u00a0: " : ": ") + (say["is" + m.status] || m.status); load(); })
        .catch(function (e) { message.textContent = e.message; });
    });
    td.appendChild(b);
  }

  // embedsButton lists the sites showing a member's badge, flagging those
  // outside the member's own domain.
  function embedsButton(td, m) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = say.embeds;
    b.addEventListener("click", function () {
      api("GET", "/api/v1/admin/members/" + m.id + "/embeds").then(function (page) {
        var sites = page.embeds;
        message.textContent = m.name + " — " + (sites.length ? sites.map(function (e) {
          return e.site + " (" + e.views + ")" + (e.own ? "" : " ⚠ " + say.foreign);
        }).join(" · ") : say.noembeds);
      }).catch(function (e) { message.textContent = e.message; });
    });
    td.appendChild(b);
  }

  function load() {
    api("GET", "/api/v1/admin/members?status=" + status + "&limit=1000").then(function (data) {
      list.replaceChildren();
      if (!data.members.length) { cell(list.insertRow(), say.empty); }
      data.members.forEach(function (m) {
        var row = list.insertRow();
        link(cell(row, ""), "/admin/members/" + m.id + "?lang=" + lang, m.name);
        cell(row, m.website);
        cell(row, m.region);
        cell(row, m.contact_name + " <" + m.contact_email + ">");
        var actions = cell(row, "");
        if (m.status === "pending") {
          button(actions, say.approve, "approve", m.id, false);
          button(actions, say.reject, "reject", m.id, true);
        }
        if (m.status === "approved") {
          button(actions, say.revoke, "revoke", m.id, true);
          embedsButton(actions, m);
        }
        if (m.status === "revoked") { button(actions, say.reinstate, "reinstate", m.id, false); }
        if (m.status === "rejected") { button(actions, say.reconsider, "reconsider", m.id, false); }
      });
    }).catch(function (e) { message.textContent = e.message; });
  }

  // link adds an <a> to a cell; href and text come from our own API.
  function link(td, href, text) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    td.appendChild(a);
    td.appendChild(document.createTextNode(" "));
  }

  // loadEvents lists events with their funnel and what to send an
  // organizer: the QR code in PNG and SVG, and the posters.
  function loadEvents() {
    api("GET", "/api/v1/admin/events").then(function (data) {
      list.replaceChildren();
      if (!data.events.length) { cell(list.insertRow(), say.noevents); }
      data.events.forEach(function (e) {
        var row = list.insertRow();
        cell(row, (lang === "en" ? e.name_en : e.name_fr) + " (" + e.code + ")");
        cell(row, e.starts_on + " " + e.place);
        cell(row, say.funnel.replace("%s", e.scans).replace("%s", e.joins).replace("%s", e.approved));
        var files = cell(row, "");
        link(files, e.print.qr_png, "QR PNG");
        link(files, e.print.qr_png_logo, "QR PNG + logo");
        link(files, e.print.qr_svg, "QR SVG");
        link(files, e.print.poster_letter_fr, "PDF Letter FR");
        link(files, e.print.poster_letter_en, "PDF Letter EN");
        link(files, e.print.poster_a4_fr, "PDF A4 FR");
        link(files, e.print.poster_a4_en, "PDF A4 EN");
      });
    }).catch(function (e) { message.textContent = e.message; });
  }

  document.querySelectorAll("[data-status]").forEach(function (b) {
    b.addEventListener("click", function () { status = b.dataset.status; load(); });
  });
  document.getElementById("events").addEventListener("click", loadEvents);
  load();
})();
