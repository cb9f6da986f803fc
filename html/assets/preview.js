// The portal's part, for a local preview: answers the frame protocol of the widget iframe
// (read by frame-protocol.js, loaded before it) and renders the LayoutDto it is sent.
// Every text goes through textContent (escaped).
(function () {
  "use strict";
  var frame = document.getElementById("widget");
  var root = document.getElementById("layout");
  var buttons = document.getElementById("buttons");
  var log = document.getElementById("log");
  var state = { layout: null, primary: null, secondary: null, locked: false, finished: false };
  var bound = { layoutEvent: [], valueChange: [], primary: [], secondary: [], entityUpdate: [] };

  function note(text) {
    var li = document.createElement("li");
    li.textContent = text;
    log.insertBefore(li, log.firstChild);
  }
  function reply(id, result) { B24Frame.reply(frame, id, result); }
  function fire(list, data, id) {
    list.forEach(function (b) { if (b.filter === null || b.filter === id) reply(b.callback, data); });
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function find(blocks, id, out) {
    Object.keys(blocks || {}).forEach(function (k) {
      var b = blocks[k];
      if (k === id) out.push(b);
      if (b && b.properties && b.properties.blocks) find(b.properties.blocks, id, out);
    });
    return out;
  }
  function act(id, action) {
    if (!action) return;
    if (action.type === "layoutEvent") { note("layoutEvent " + id + ": " + action.value); fire(bound.layoutEvent, { id: id, value: action.value }, id); }
    else if (action.type === "redirect") { note("would open " + action.value); }
    else if (action.type === "openRestApp") { note("would open the app slider with " + JSON.stringify(action.value === undefined ? null : action.value) + (action.sliderParams ? " " + JSON.stringify(action.sliderParams) : "")); }
  }
  function text(p, tag) {
    var e = el(tag || "span", "b24-text size-" + (p.size || "md") + " color-" + (p.color || "base_90") + (p.bold ? " bold" : ""));
    if (p.title) e.title = p.title;
    String(p.value === undefined ? "" : p.value).split("\n").forEach(function (line, i) {
      if (i > 0) { if (p.multiline) e.appendChild(document.createElement("br")); else e.appendChild(document.createTextNode("\n")); }
      e.appendChild(document.createTextNode(line));
    });
    return e;
  }
  function field(id, p, control) {
    var wrap = el("label", "b24-field" + (p.errorText ? " has-error" : ""));
    if (p.title) wrap.appendChild(el("span", "b24-field-title", p.title));
    control.dataset.blockId = id;
    if (p.disabled || state.locked) control.disabled = true;
    wrap.appendChild(control);
    if (p.errorText) wrap.appendChild(el("span", "b24-error", p.errorText));
    return wrap;
  }
  function options(select, p) {
    var keys = Object.keys(p.values || {});
    var selected = keys.indexOf(p.selectedValue) >= 0 ? p.selectedValue : keys[0];
    keys.forEach(function (k) { var o = el("option", null, p.values[k]); o.value = k; if (k === selected) o.selected = true; select.appendChild(o); });
    select.addEventListener("change", function () { p.selectedValue = select.value; fire(bound.valueChange, { id: select.dataset.blockId, value: select.value }, select.dataset.blockId); });
  }
  // stable hooks for tests: data-b24-id and data-b24-type on every block (the block
  // inside a withTitle has no id of its own), data-b24-action on a link
  function block(id, b, inner) {
    var p = (b && b.properties) || {};
    var e;
    switch (b && b.type) {
      case "text": e = text(p, "div"); break;
      case "link":
        e = el("a", "b24-link size-" + (p.size || "md") + (p.bold ? " bold" : ""), p.text);
        e.href = "#";
        e.addEventListener("click", function (ev) { ev.preventDefault(); if (!state.locked) act(id, p.action); });
        if (p.action && p.action.type) e.setAttribute("data-b24-action", p.action.type);
        break;
      case "withTitle":
        e = el("div", "b24-with-title" + (p.inline ? " inline title-" + (p.titleWidth || "md") : ""));
        e.appendChild(el("div", "b24-title", p.title));
        var v = el("div", "b24-value"); v.appendChild(block(id, p.block, true)); e.appendChild(v);
        break;
      case "lineOfBlocks":
        e = el("div", "b24-line");
        Object.keys(p.blocks || {}).forEach(function (k) { e.appendChild(block(k, p.blocks[k])); });
        break;
      case "list":
        e = el("ul", "b24-list");
        Object.keys(p.blocks || {}).forEach(function (k) { var li = el("li"); li.appendChild(block(k, p.blocks[k])); e.appendChild(li); });
        break;
      case "section":
        e = el("section", "b24-section type-" + (p.type || "default"));
        if (p.imageSrc && /^https?:\/\//i.test(p.imageSrc)) { var img = el("img", "b24-image size-" + (p.imageSize || "lg")); img.src = p.imageSrc; img.alt = ""; e.appendChild(img); }
        var body = el("div", "b24-section-body");
        Object.keys(p.blocks || {}).forEach(function (k) { body.appendChild(block(k, p.blocks[k])); });
        e.appendChild(body);
        break;
      case "input": case "textarea":
        var c = el(b.type === "input" ? "input" : "textarea");
        c.value = p.value || "";
        if (p.placeholder) c.placeholder = p.placeholder;
        c.addEventListener("change", function () { p.value = c.value; fire(bound.valueChange, { id: id, value: c.value }, id); });
        e = field(id, p, c);
        break;
      case "select":
        var s = el("select"); e = field(id, p, s); options(s, p); break;
      case "dropdownMenu":
        var d = el("select", "b24-dropdown"); d.dataset.blockId = id; options(d, p); e = d; break;
      default:
        e = el("div", "b24-unknown", "(a block Bitrix24 would drop: " + (b && b.type) + ")");
    }
    e.dataset.blockId = e.dataset.blockId || id;
    if (!inner) e.setAttribute("data-b24-id", id);
    if (b && b.type) e.setAttribute("data-b24-type", b.type);
    if (b && b.visible === false) e.hidden = true;
    return e;
  }
  function button(key, b, list) {
    if (!b) return;
    var e = el("button", "b24-button " + key + " state-" + (b.state || "normal"), b.title);
    e.id = key;
    e.setAttribute("data-b24", key);
    if (b.state === "loading") e.setAttribute("aria-busy", "true");
    e.disabled = B24Frame.busy(state, b);
    e.addEventListener("click", function () { if (!e.disabled) fire(list, {}, null); });
    buttons.appendChild(e);
  }
  function render() {
    root.textContent = "";
    buttons.textContent = "";
    document.body.classList.toggle("locked", state.locked);
    document.body.classList.toggle("finished", state.finished);
    if (!state.layout) return;
    Object.keys(state.layout.blocks || {}).forEach(function (k) { root.appendChild(block(k, state.layout.blocks[k])); });
    button("primaryButton", state.primary, bound.primary);
    button("secondaryButton", state.secondary, bound.secondary);
  }
  function merge(target, patch) { Object.keys(patch || {}).forEach(function (k) { target[k] = patch[k]; }); return target; }

  var handlers = {
    // what the official JS SDK asks first (BX24.init / initializeB24Frame)
    getInitData: function () {
      return {
        LANG: "en", DOMAIN: location.host, PROTOCOL: location.protocol === "https:" ? 1 : 0, PATH: "/rest",
        APP_SID: "preview", AUTH_ID: "", AUTH_EXPIRES: 0, REFRESH_ID: "", MEMBER_ID: "preview",
        IS_ADMIN: false, INSTALL: false, FIRST_RUN: false, USER_OPTIONS: {}, APP_OPTIONS: {},
        PLACEMENT: "CRM_DEAL_DETAIL_ACTIVITY",
        PLACEMENT_OPTIONS: { entityTypeId: "2", entityId: "1", useBuiltInInterface: "Y" }
      };
    },
    setLayout: function (p) { state.layout = p; state.primary = p && p.primaryButton || null; state.secondary = p && p.secondaryButton || null; state.finished = false; return { result: "success" }; },
    setLayoutItemState: function (p) {
      if (!p || !p.id) return { result: "error", errors: ["Wrong id"] };
      var found = find(state.layout && state.layout.blocks, p.id, []);
      if (!found.length) return { result: "error", errors: ["item not found"] };
      found.forEach(function (b) { if (typeof p.visible === "boolean") b.visible = p.visible; merge(b.properties, p.properties); });
      return { result: "success" };
    },
    setPrimaryButtonState: function (p) { state.primary = p === null ? null : merge(state.primary || {}, p); return { result: "success" }; },
    setSecondaryButtonState: function (p) { state.secondary = p === null ? null : merge(state.secondary || {}, p); return { result: "success" }; },
    lock: function () { state.locked = true; return { result: "success" }; },
    unlock: function () { state.locked = false; return { result: "success" }; },
    finish: function () { state.finished = true; note("finish: the timeline returns to its default tab"); return { result: "success" }; }
  };
  var binds = {
    bindLayoutEventCallback: "layoutEvent", bindValueChangeCallback: "valueChange",
    bindPrimaryButtonClickCallback: "primary", bindSecondaryButtonClickCallback: "secondary",
    bindEntityUpdateCallback: "entityUpdate"
  };

  B24Frame.listen(function () { return frame; }, function (m) {
    if (m.badParams) { reply(m.callback, { result: "error", errors: ["Wrong params"] }); return; }
    var command = m.command, params = m.params, callback = m.callback;
    note(command + (m.raw ? " " + m.raw : ""));
    if (binds[command]) { bound[binds[command]].push({ callback: callback, filter: typeof params === "string" ? params : null }); return; }
    var handler = handlers[command];
    var result = handler ? handler(params) : { result: "error", errors: ["unknown command " + command] };
    render();
    reply(callback, result);
    // what the widget did may have written to the timeline (a comment saved)
    soon();
  });
  document.getElementById("entity-update").addEventListener("click", function () { fire(bound.entityUpdate, {}, null); });

  // the object's timeline, as the card shows it beside the widget (when the page says
  // where to read it)
  var timeline = document.getElementById("timeline");
  var timelineUrl = timeline && timeline.getAttribute("data-source");
  function refreshTimeline() {
    if (!timelineUrl) return;
    fetch(timelineUrl).then(function (r) { return r.json(); }).then(function (answer) {
      var items = (answer && answer.result) || [];
      timeline.textContent = "";
      items.slice().reverse().forEach(function (c) {
        var li = el("li", "b24-comment", c.COMMENT);
        li.setAttribute("data-b24-comment", c.ID);
        timeline.appendChild(li);
      });
    }).catch(function (err) { note("timeline: " + err); });
  }
  // read after the widget's commands, and every 5 s for changes made elsewhere: the
  // portal's REST calls are counted by its bucket (2 a second), which the widget's own
  // calls need
  var pending = null;
  function soon() {
    if (pending) return;
    pending = setTimeout(function () { pending = null; refreshTimeline(); }, 200);
  }
  refreshTimeline();
  setInterval(function () { if (document.visibilityState !== "hidden") refreshTimeline(); }, 5000);
  document.getElementById("placement-form").submit();
})();
