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

  // Each event is posted at once (the server runs a frame's events in order, and judges
  // a click by what the frame showed when it came). The answer streams one JSON line per
  // command as the widget sends it, then how the event ended; answers are read in the
  // order their events were sent, each command applied as soon as it arrives.
  var queue = Promise.resolve();
  function handle(text) {
    text = text.trim();
    if (!text) return;
    var line;
    try { line = JSON.parse(text); } catch (_) { console.error("b24 widget: not a JSON line:", text); return; }
    if (line.command) call(line.command, line.params);
    else if (line.error) console.error("b24 widget:", line.error);
    else if (line.dropped) console.info("b24 widget: event dropped:", line.dropped);
  }
  function read(response) {
    if (!response.ok) {
      return response.text().then(function (t) { console.error("b24 widget:", response.status, t); });
    }
    var reader = response.body.getReader();
    var decoder = new TextDecoder();
    var pending = "";
    function pump() {
      return reader.read().then(function (chunk) {
        if (chunk.done) { handle(pending); return; }
        pending += decoder.decode(chunk.value, { stream: true });
        var i;
        while ((i = pending.indexOf("\n")) >= 0) {
          handle(pending.slice(0, i));
          pending = pending.slice(i + 1);
        }
        return pump();
      });
    }
    return pump();
  }
  function send(event) {
    event.session = config.session;
    var answer = fetch(config.eventUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(event)
    });
    queue = queue.then(function () {
      return answer.then(read).catch(function (err) { console.error("b24 widget:", err); });
    });
  }

  call("setLayout", config.layout);
  call("bindLayoutEventCallback", null, function (d) { send({ kind: "layoutEvent", id: d.id, value: d.value }); });
  call("bindValueChangeCallback", null, function (d) { send({ kind: "valueChange", id: d.id, value: d.value }); });
  call("bindPrimaryButtonClickCallback", null, function () { send({ kind: "primaryButtonClick" }); });
  call("bindSecondaryButtonClickCallback", null, function () { send({ kind: "secondaryButtonClick" }); });
  call("bindEntityUpdateCallback", null, function () { send({ kind: "entityUpdate" }); });

  // What the server sends unasked (the widget's answer to a change of the frame's object
  // elsewhere), applied after the answers already on their way.
  if (window.EventSource) {
    var pushed = new EventSource(config.eventUrl + "?session=" + encodeURIComponent(config.session));
    pushed.onmessage = function (e) {
      queue = queue.then(function () { handle(e.data); });
    };
  }
})();
