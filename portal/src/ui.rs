//! The portal's own pages: a CRM card with every placement the app has bound for its
//! entity, where Bitrix24 puts it (each element carries `data-b24-placement`), opening the
//! handler in a slider with its family's request; and the log of those requests.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use b24_placement::placement::{Entity, Family, KnownPlacement};
use serde_json::{json, Value};

use crate::Portal;

pub(crate) fn routes() -> Router<Arc<Portal>> {
    Router::new()
        .route("/portal/crm/{entity}/details/{id}/", get(card))
        .route("/portal/open", post(open))
        .route("/portal/requests", get(requests))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn host(headers: &HeaderMap) -> String {
    headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| b24_placement::request::is_valid_domain(h))
        .unwrap_or("localhost")
        .to_owned()
}

/// Where each family of a card lives, in the order a card shows them.
const CARD_AREAS: &[(Family, &str)] = &[
    (Family::DETAIL_TAB, "Tabs of the card"),
    (Family::DETAIL_TOOLBAR, "The card's top button menu"),
    (Family::DETAIL_ACTIVITY, "More, above the timeline"),
    (Family::DOCUMENTGENERATOR_BUTTON, "Document > Extensions"),
    (
        Family::ACTIVITY_TIMELINE_MENU,
        "A timeline record's menu > Extensions",
    ),
];

async fn card(State(portal): State<Arc<Portal>>, Path((entity, id)): Path<(String, u64)>) -> Response {
    let wanted = entity.to_ascii_uppercase();
    let bound = portal.placements();
    let mut areas = String::new();
    for (family, title) in CARD_AREAS {
        let items: String = bound
            .iter()
            .filter_map(|b| {
                let p: KnownPlacement = b.placement.parse().ok()?;
                let e = p.entity()?;
                let name = match e {
                    Entity::DYNAMIC(n) => format!("TYPE/{n}"),
                    other => other.kind().as_str().to_owned(),
                };
                (p.family() == *family && name == wanted).then(|| {
                    format!(
                        "<button type=\"button\" data-b24-placement=\"{}\" data-id=\"{id}\">{}</button>",
                        escape(&b.placement),
                        escape(&b.title)
                    )
                })
            })
            .collect();
        if !items.is_empty() {
            areas.push_str(&format!("<section><h3>{}</h3>{items}</section>", escape(title)));
        }
    }
    if areas.is_empty() {
        areas = "<p>The app has bound no placement of this card.</p>".into();
    }
    let page = format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>{e} #{id}</title><style>{CSS}</style></head><body>\n\
         <header>Local portal · {e} #{id}</header>\n<main>{areas}</main>\n\
         <div id=\"slider\" hidden><div id=\"slider-title\"></div><button id=\"slider-close\" type=\"button\">Close</button></div>\n\
         <ol id=\"portal-log\"></ol>\n<script>{JS}</script>\n</body></html>\n",
        e = escape(&wanted),
    );
    Html(page).into_response()
}

/// `POST /portal/open` `{"placement", "id", "query"}`: the request to post into the
/// placement's frame, made and recorded by the portal.
async fn open(State(portal): State<Arc<Portal>>, headers: HeaderMap, Json(ask): Json<Value>) -> Response {
    let code = ask.get("placement").and_then(Value::as_str).unwrap_or_default();
    let id = ask
        .get("id")
        .and_then(|v| v.as_u64().or_else(|| v.as_str()?.parse().ok()));
    let query = ask.get("query").and_then(Value::as_str).unwrap_or("");
    match portal.open(code, id, query, &host(&headers)) {
        Some(opened) => Json(opened.to_json()).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "the app has bound no handler for this placement"})),
        )
            .into_response(),
    }
}

/// `GET /portal/requests`: every handler request the portal made, tokens masked.
async fn requests(State(portal): State<Arc<Portal>>) -> Json<Vec<Value>> {
    Json(portal.requests())
}

const CSS: &str = "body{font:14px sans-serif;margin:0;background:#eef2f4}header{background:#2fc6f6;color:#fff;padding:10px 16px}\
main{padding:16px}section{background:#fff;border-radius:8px;padding:8px 12px;margin-bottom:10px}\
section h3{margin:4px 0;font-size:13px;color:#525c69}button{margin:4px}\
#slider{position:fixed;top:0;right:0;bottom:0;width:60%;background:#fff;box-shadow:-4px 0 12px #0003}\
#slider iframe{width:100%;height:calc(100% - 40px);border:0}#portal-log{font:12px monospace;color:#525c69}";

/// Opens a placement in the slider: the request comes from the portal, is posted into
/// the frame (named as Bitrix24 names it), and the frame protocol is answered.
const JS: &str = r#"(function () {
  "use strict";
  var slider = document.getElementById("slider"), frame = null;
  function log(text) { var li = document.createElement("li"); li.textContent = text; document.getElementById("portal-log").appendChild(li); }
  document.getElementById("slider-close").addEventListener("click", function () { slider.hidden = true; });
  document.querySelectorAll("[data-b24-placement]").forEach(function (b) {
    b.addEventListener("click", function () {
      fetch("/portal/open", { method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ placement: b.getAttribute("data-b24-placement"), id: b.getAttribute("data-id") }) })
        .then(function (r) { return r.json(); })
        .then(function (req) {
          if (frame) frame.remove();
          var q = {}; req.query.forEach(function (p) { q[p[0]] = p[1]; });
          frame = document.createElement("iframe");
          frame.name = (q.DOMAIN || location.host) + "|" + (q.PROTOCOL || "0") + "|" + (q.APP_SID || "");
          frame.setAttribute("data-b24-frame", req.placement);
          slider.appendChild(frame);
          document.getElementById("slider-title").textContent = b.textContent;
          slider.hidden = false;
          var form = document.createElement("form");
          form.method = req.method; form.target = frame.name;
          form.action = req.handler + (req.query.length ? "?" + new URLSearchParams(req.query).toString() : "");
          req.fields.forEach(function (p) { var i = document.createElement("input"); i.type = "hidden"; i.name = p[0]; i.value = p[1]; form.appendChild(i); });
          document.body.appendChild(form); form.submit(); form.remove();
          log("opened " + req.placement);
        });
    });
  });
  // the frame protocol: COMMAND:PARAMS:CALLBACK:APP_SID
  window.addEventListener("message", function (e) {
    if (!frame || e.source !== frame.contentWindow) return;
    var text = String(e.data), first = text.indexOf(":"), last = text.lastIndexOf(":"), before = text.lastIndexOf(":", last - 1);
    if (first < 0 || before < first) return;
    var command = text.slice(0, first), callback = text.slice(before + 1, last), raw = text.slice(first + 1, before), params = null;
    try { params = raw ? JSON.parse(raw) : null; } catch (_) { params = null; }
    var result = {};
    if (command === "getInitData") result = { LANG: "en", DOMAIN: location.host, PROTOCOL: 0, PLACEMENT: frame.getAttribute("data-b24-frame"), INSTALL: true, FIRST_RUN: false, IS_ADMIN: true };
    else if (command === "resizeWindow" && params) { frame.style.height = (params.height || 0) + "px"; }
    else if (command === "setTitle" && params) { document.getElementById("slider-title").textContent = params.title || ""; }
    else if (command === "closeApplication") { slider.hidden = true; }
    else if (command === "reloadData" || command === "openPath" || command === "openApplication") { }
    else { log("ignored, as Bitrix24 ignores it: " + command); }
    log(command + (raw ? " " + raw : ""));
    frame.contentWindow.postMessage(callback + ":" + JSON.stringify(result), "*");
  });
})();"#;
