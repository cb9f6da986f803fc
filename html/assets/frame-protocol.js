// The parent side of the frame protocol, once for every page that hosts an app's frame
// (the app's local preview, the local portal's cards and sliders): a message from the
// frame is `COMMAND:PARAMS:CALLBACK:APP_SID` (PARAMS is JSON and may hold colons), the
// answer is `CALLBACK:RESULT` posted back to the frame.
(function () {
  "use strict";
  window.B24Frame = {
    // the parts of a message, or null for anything that is not one
    parse: function (data) {
      var text = String(data);
      var first = text.indexOf(":");
      var last = text.lastIndexOf(":");
      var beforeLast = text.lastIndexOf(":", last - 1);
      if (first < 0 || beforeLast < first) return null;
      var raw = text.slice(first + 1, beforeLast);
      var params = null, bad = false;
      if (raw) { try { params = JSON.parse(raw); } catch (_) { bad = true; } }
      return { command: text.slice(0, first), raw: raw, params: params, badParams: bad,
               callback: text.slice(beforeLast + 1, last), appSid: text.slice(last + 1) };
    },
    // answers a callback of the frame (or an event it bound)
    reply: function (frame, callback, result) {
      if (frame && frame.contentWindow) frame.contentWindow.postMessage(callback + ":" + JSON.stringify(result), "*");
    },
    // calls handle(message) for each message of the frame `current()` returns
    listen: function (current, handle) {
      window.addEventListener("message", function (e) {
        var frame = current();
        if (!frame || e.source !== frame.contentWindow) return;
        var message = window.B24Frame.parse(e.data);
        if (message) handle(message, frame);
      });
    },
    // whether a button of the built-in interface takes no click, as the portal shows it:
    // a locked or finished widget, a hidden, disabled or loading button
    busy: function (state, button) {
      return !button || state.locked || state.finished || button.state === "disabled" || button.state === "loading";
    }
  };
})();
