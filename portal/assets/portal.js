// The local portal's pages: placements open in the slider (or the card's tab), the
// timeline's actions go to the portal, and the frame protocol is answered (the parent
// side is frame-protocol.js).
(function () {
  "use strict";
  var slider = document.getElementById("slider"), overlay = document.getElementById("slider-overlay");
  var frame = null, current = null, events = {}, lastField = null;
  function showRequest() {
    fetch("/portal/requests").then(function (r) { return r.json(); }).then(function (all) {
      document.getElementById("portal-request").textContent = JSON.stringify(all[all.length - 1] || null, null, 2);
    });
  }
  function log(text) { var li = document.createElement("li"); li.textContent = text; document.getElementById("portal-log").appendChild(li); }
  function closeSlider() {
    slider.classList.remove("open"); overlay.hidden = true;
    setTimeout(function () { if (!slider.classList.contains("open")) slider.hidden = true; }, 250);
  }
  document.getElementById("slider-close").addEventListener("click", closeSlider);
  overlay.addEventListener("click", closeSlider);
  // a menu closes when another opens, or on a click outside
  document.addEventListener("click", function (e) {
    document.querySelectorAll("details.menu[open]").forEach(function (d) { if (!d.contains(e.target)) d.open = false; });
  });
  var tabContent = document.getElementById("tab-content"), cardMain = document.getElementById("card-main");
  function selectTab(button) {
    document.querySelectorAll(".tabs .tab").forEach(function (t) { t.classList.toggle("active", t === button); });
  }
  var general = document.querySelector('[data-b24-tab="main"]');
  if (general) general.addEventListener("click", function () {
    selectTab(general); if (tabContent) { tabContent.hidden = true; tabContent.textContent = ""; } if (cardMain) cardMain.hidden = false;
  });
  document.querySelectorAll("[data-b24-placement]").forEach(function (b) {
    b.addEventListener("click", function () {
      var menu = b.closest("details.menu"); if (menu) menu.open = false;
      var field = b.getAttribute("data-query") ? (b.parentNode.querySelector(".b24-query") || null) : null;
      if (field) lastField = field;
      fetch("/portal/open", { method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ placement: b.getAttribute("data-b24-placement"), id: b.getAttribute("data-id"),
          query: field ? field.value || "" : "" }) })
        .then(function (r) { return r.json(); })
        .then(function (req) {
          if (req.error) { log(req.error); return; }
          if (b.getAttribute("data-built-in") === "Y") { builtIn(req); b.disabled = true; return; }
          if (field) {
            // a search or an autofill runs beside its field, as the form's drop-down does
            var beside = field.parentNode.querySelector(".query-frame");
            if (!beside) { beside = document.createElement("div"); beside.className = "query-frame"; field.parentNode.appendChild(beside); }
            show(req, b.textContent, beside); return;
          }
          if (b.hasAttribute("data-b24-tab-placement") && tabContent) {
            selectTab(b); cardMain.hidden = true; tabContent.hidden = false; show(req, b.textContent, tabContent); return;
          }
          show(req, b.textContent, null);
        });
    });
  });
  // the kanban: a card dragged to another stage is moved as the Move button moves it
  var dragged = null;
  document.querySelectorAll("[data-b24-kanban-card]").forEach(function (c) {
    c.addEventListener("dragstart", function () { dragged = c; c.classList.add("dragging"); });
    c.addEventListener("dragend", function () { c.classList.remove("dragging"); });
  });
  document.querySelectorAll("[data-b24-column]").forEach(function (col) {
    col.addEventListener("dragover", function (e) { if (dragged) e.preventDefault(); });
    col.addEventListener("drop", function (e) {
      e.preventDefault();
      if (!dragged || dragged.closest("[data-b24-column]") === col) return;
      var select = dragged.querySelector('[data-b24="kanban-move"]');
      select.value = col.getAttribute("data-b24-column");
      select.form.submit();
    });
  });
  // the timeline's actions: a restEvent goes to the app through the portal, an
  // openRestApp opens the app's slider with the record's context
  document.querySelectorAll("[data-b24-rest-event]").forEach(function (b) {
    b.addEventListener("click", function () {
      fetch("/portal/timeline/action", { method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ target: b.getAttribute("data-target"), pointer: b.getAttribute("data-pointer") }) })
        .then(function (r) { return r.json(); })
        .then(function (a) { log(a.ok ? "restEvent sent: onCrmTimelineItemAction" : "refused: " + a.error); location.reload(); });
    });
  });
  document.querySelectorAll("[data-b24-open-app]").forEach(function (b) {
    b.addEventListener("click", function () {
      fetch("/portal/timeline/open", { method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ target: b.getAttribute("data-target"), pointer: b.getAttribute("data-pointer") }) })
        .then(function (r) { return r.json(); })
        .then(function (req) { if (req.error) { log(req.error); return; } show(req, b.textContent, null); });
    });
  });
  // a handler opened in a frame named as Bitrix24 names it, its request posted into it
  function show(req, title, container) {
    if (frame) frame.remove();
    var q = {}; req.query.forEach(function (p) { q[p[0]] = p[1]; });
    var f = {}; req.fields.forEach(function (p) { f[p[0]] = p[1]; });
    current = { query: q, fields: f, placement: req.placement };
    frame = document.createElement("iframe");
    frame.name = (q.DOMAIN || location.host) + "|" + (q.PROTOCOL || "0") + "|" + (q.APP_SID || "");
    frame.setAttribute("data-b24-frame", req.placement);
    if (container) { container.textContent = ""; container.appendChild(frame); }
    else {
      slider.appendChild(frame);
      document.getElementById("slider-title").textContent = title;
      slider.hidden = false; overlay.hidden = false;
      requestAnimationFrame(function () { slider.classList.add("open"); });
    }
    if (req.method === "GET") { frame.src = req.handler; log("opened " + req.placement); showRequest(); return; }
    var form = document.createElement("form");
    form.method = req.method; form.target = frame.name;
    form.action = req.handler + (req.query.length ? "?" + new URLSearchParams(req.query).toString() : "");
    req.fields.forEach(function (p) { var i = document.createElement("input"); i.type = "hidden"; i.name = p[0]; i.value = p[1]; form.appendChild(i); });
    document.body.appendChild(form); form.submit(); form.remove();
    log("opened " + req.placement);
    showRequest();
  }
  // the built-in interface: the widget's page runs in a hidden frame, the card draws its
  // layout in the timeline's editor (the same renderer as the app's preview)
  function builtIn(req) {
    var q = {}; req.query.forEach(function (p) { q[p[0]] = p[1]; });
    var host = document.getElementById("built-in");
    host.hidden = false;
    var css = document.createElement("link"); css.rel = "stylesheet"; css.href = "/portal/assets/preview.css"; document.head.appendChild(css);
    host.innerHTML = '<div id="card"><div id="layout"></div><div id="buttons"></div></div>' +
      '<aside><button id="entity-update" type="button">Simulate: saved in the editor</button><ol id="log"></ol></aside>';
    var widget = document.createElement("iframe");
    widget.id = "widget"; widget.name = q.DOMAIN + "|" + q.PROTOCOL + "|" + q.APP_SID; widget.hidden = true;
    host.appendChild(widget);
    var form = document.createElement("form");
    form.id = "placement-form"; form.method = "POST"; form.target = widget.name;
    form.action = req.handler + "?" + new URLSearchParams(req.query).toString();
    req.fields.forEach(function (p) { var i = document.createElement("input"); i.type = "hidden"; i.name = p[0]; i.value = p[1]; form.appendChild(i); });
    host.appendChild(form);
    var script = document.createElement("script"); script.src = "/portal/assets/preview.js"; document.body.appendChild(script);
    log("opened " + req.placement + " (built-in interface)");
  }

  // the frame protocol (frame-protocol.js): COMMAND:PARAMS:CALLBACK:APP_SID
  B24Frame.listen(function () { return frame; }, function (m) {
    var command = m.command, callback = m.callback, raw = m.raw, params = m.badParams ? null : m.params;
    var result = {};
    if (command === "getInitData") {
      // what BX24.js and the official SDK read at start: the request the frame was opened with
      var c = current || { query: {}, fields: {} }, options = {};
      try { options = JSON.parse(c.fields.PLACEMENT_OPTIONS || "{}"); } catch (_) { options = {}; }
      result = { LANG: c.query.LANG || "en", DOMAIN: c.query.DOMAIN || location.host, PROTOCOL: 0, PATH: "/rest",
        APP_SID: c.query.APP_SID || "", AUTH_ID: c.fields.AUTH_ID || "", AUTH_EXPIRES: Number(c.fields.AUTH_EXPIRES || 0),
        REFRESH_ID: c.fields.REFRESH_ID || "", MEMBER_ID: c.fields.member_id || "", IS_ADMIN: true, INSTALL: true,
        FIRST_RUN: false, USER_OPTIONS: {}, APP_OPTIONS: {}, PLACEMENT: c.placement || "", PLACEMENT_OPTIONS: options };
    }
    else if (command === "resizeWindow" && params) { frame.style.height = (params.height || 0) + "px"; }
    else if (command === "setTitle" && params) { document.getElementById("slider-title").textContent = params.title || ""; }
    else if (command === "closeApplication") { closeSlider(); }
    else if (command === "crmShowFoundEntities" && params) {
      // the search's options, shown under the field that asked, as the form shows them
      var list = document.getElementById("found") || document.createElement("ul");
      list.id = "found"; list.className = "found"; list.textContent = "";
      (params.data || []).forEach(function (o) {
        var li = document.createElement("li"); li.setAttribute("data-b24-found", o.id);
        li.textContent = o.name + (o.phone ? " · " + o.phone : "") + (o.email ? " · " + o.email : "");
        // picking an option: the portal tells the app, which creates the entity
        li.addEventListener("click", function () {
          var cb = events.onCrmEntityIsNeedToCreate;
          if (cb) B24Frame.reply(frame, cb, { appSid: (current && current.query.APP_SID) || "", data: o });
          log("onCrmEntityIsNeedToCreate " + o.id);
        });
        list.appendChild(li);
      });
      if (!(params.data || []).length) { var none = document.createElement("li"); none.textContent = "(the app found nothing: its item is greyed out)"; list.appendChild(none); }
      var field = lastField || document.querySelector(".b24-query"); (field ? field.parentNode : document.body).appendChild(list);
    }
    else if (command === "crmShowCreatedEntity" && params) {
      var f = lastField || document.querySelector(".b24-query"); if (f) f.value = params.title || "";
    }
    else if (command === "placementBindEvent" && params && params.event) {
      // an event the app listens to: answered later, when it happens
      events[params.event] = callback; log(command + " " + params.event); return;
    }
    else if (command === "reloadData" || command === "openPath" || command === "openApplication") { }
    else { log("ignored, as Bitrix24 ignores it: " + command); }
    log(command + (raw ? " " + raw : ""));
    B24Frame.reply(frame, callback, result);
  });
})();
