// The widget side of the frame protocol (BX24.placement.call), without an SDK.
// To the parent: "COMMAND:PARAMS_JSON:CALLBACK_ID:APP_SID". From the parent:
// "CALLBACK_ID:RESULT_JSON". bind* callbacks stay registered for the life of the frame.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("b24-config").textContent);
  var parts = (window.name || "").split("|");
  var domain = parts[0], protocol = parts[1], appSid = parts[2] || "";
  var origin = domain ? (protocol === "1" ? "https://" : "http://") + domain : "*";
  var callbacks = {};
  var next = 1;

  function call(command, params, callback) {
    var id = "b24cb" + next++;
    if (callback) callbacks[id] = callback;
    var json = params === undefined || params === null ? "" : JSON.stringify(params);
    window.parent.postMessage(command + ":" + json + ":" + id + ":" + appSid, origin);
  }

  window.addEventListener("message", function (e) {
    if (e.source !== window.parent) return;
    var text = String(e.data);
    var i = text.indexOf(":");
    if (i < 0) return;
    var callback = callbacks[text.slice(0, i)];
    if (!callback) return;
    var data = null;
    try { data = JSON.parse(text.slice(i + 1)); } catch (_) { data = null; }
    callback(data || {});
  });

  var queue = Promise.resolve();
  function send(event) {
    event.session = config.session;
    queue = queue.then(function () {
      return fetch(config.eventUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(event)
      }).then(function (r) { return r.json(); }).then(function (commands) {
        (commands || []).forEach(function (c) { call(c.command, c.params); });
      }).catch(function (err) { console.error("b24 widget:", err); });
    });
  }

  call("setLayout", config.layout);
  call("bindLayoutEventCallback", null, function (d) { send({ kind: "layoutEvent", id: d.id, value: d.value }); });
  call("bindValueChangeCallback", null, function (d) { send({ kind: "valueChange", id: d.id, value: d.value }); });
  call("bindPrimaryButtonClickCallback", null, function () { send({ kind: "primaryButtonClick" }); });
  call("bindSecondaryButtonClickCallback", null, function () { send({ kind: "secondaryButtonClick" }); });
  call("bindEntityUpdateCallback", null, function () { send({ kind: "entityUpdate" }); });
})();
